package org.dpvideo.fairness.tuning;

/** Which run of a sweep: a candidate (trained on the tuning part of the data) or the refit of the winner. */
public enum TuningPhase {
  /** A candidate, trained on the training data minus the selection data when that is carved from it. */
  CANDIDATE,
  /** The selected candidate trained again on all the training data. */
  REFIT
}
