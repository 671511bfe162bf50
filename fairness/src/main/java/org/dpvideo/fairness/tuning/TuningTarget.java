package org.dpvideo.fairness.tuning;

import org.dpvideo.dpsgd.accounting.DpEvent;

/**
 * What a {@link HyperparameterSweep} tunes: it trains a run for a candidate, scores it on the selection data
 * and says what the run released. The classifier path implements it in {@code fairness.classify}; the
 * fine-tuning command can implement it for its trainer.
 *
 * @param <R> a trained run (for example a model with its privacy record)
 */
public interface TuningTarget<R> {

  /** Whether the runs are private (their events are composed); false for a non-private baseline. */
  boolean isPrivate();

  /**
   * The event a private run of {@code candidate} in {@code phase} would record with noise multiplier
   * {@code sigma}; it must equal what {@link #train} then spends (the sweep calibrates with it and accounts
   * it for a run that fails).
   */
  DpEvent plannedEvent(Candidate candidate, TuningPhase phase, double sigma);

  /**
   * Trains a run.
   *
   * @param sigma the noise multiplier (NaN when not private)
   * @throws RuntimeException if training fails (for example diverges); the sweep records the failure and
   *     accounts the run's planned event
   */
  R train(Candidate candidate, TuningPhase phase, double sigma);

  /** The event a private run spent (what its trainer recorded). */
  DpEvent spentEvent(R run);

  /** The run's score on the selection data; higher is better; NaN when it cannot be scored. */
  double score(R run);

  /** Frees a run the sweep no longer needs (not selected, or replaced by the refit). */
  default void discard(R run) {}

  /** What the selection data is, for the tuning statement (e.g. "a 20% validation split of the training data"). */
  String selectionDataDescription();

  /** Whether the selection data is public: then selecting on it reveals nothing private. */
  boolean selectionDataPublic();

  /** What the score is (e.g. "validation accuracy"). */
  String scoreDescription();
}
