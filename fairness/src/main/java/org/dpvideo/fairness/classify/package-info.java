/**
 * A classifier path to check the DP methods against the paper (Esipova et al., ICLR 2023) on tabular data:
 * CSV loading with complete error reports ({@link org.dpvideo.fairness.classify.TabularData}), an MLP built
 * from the DP engine's layer vocabulary ({@link org.dpvideo.fairness.classify.MlpSpec}), training with the
 * engine's trainer and clipping rules or non-privately ({@link org.dpvideo.fairness.classify.ClassifierTrainer}),
 * per-group test accuracy and loss as fairness metric frames, privacy costs against a non-private reference,
 * misalignment diagnostics, hyper-parameter sweeps with accounted cost
 * ({@link org.dpvideo.fairness.classify.ClassifierTuning}), the {@code dpvideo classify} job
 * ({@link org.dpvideo.fairness.classify.ClassifyJob}) and the paper reproduction
 * ({@link org.dpvideo.fairness.classify.PaperReproduction}).
 *
 * <p>Privacy: private runs are example-level (ε, δ)-DP under add/remove-one-example adjacency, with ε from the
 * accountant of the trainer's spent event. Test figures, the non-private reference, the privacy costs and the
 * misalignment diagnostics are not protected by that guarantee; every output marks their provenance.
 */
package org.dpvideo.fairness.classify;
