/**
 * Hyper-parameter sweeps whose privacy cost is stated and accounted. Every candidate trained on private data
 * is a release, so a sweep's total event is the composition of all candidate events (and the refit's); the
 * selection itself, when it reads a private validation split, is not covered (private selection after
 * Papernot and Steinke 2022 is not implemented). Model-agnostic: a {@link org.dpvideo.fairness.tuning.TuningTarget}
 * trains and scores runs (the classifier's is {@code fairness.classify.ClassifierTuning}; the fine-tuning
 * command can supply its own).
 */
package org.dpvideo.fairness.tuning;
