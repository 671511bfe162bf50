package org.dpvideo.fairness;

/**
 * What data a figure was computed from, and so whether it may leave the run (fairness spec §5.2 item 1).
 * Every number in a report carries one.
 */
public enum Provenance {
  /**
   * An evaluation split that the data owner marked releasable (consented audit set or public data),
   * scored by a differentially private model or a public model. Released as is.
   */
  EVAL_PUBLIC("evaluation data marked releasable", true),
  /**
   * Private evaluation data released through an accounted differentially private mechanism (noisy sums
   * and counts); its cost is in the run's privacy accounting.
   */
  EVAL_PRIVATE_DP("private evaluation data, released with accounted differential privacy", true),
  /**
   * Private training data released through an accounted differentially private mechanism (noisy sums
   * and counts, or post-processing of the noisy training updates); its cost is in the run's accounting.
   */
  TRAIN_DP("private training data, released with accounted differential privacy", true),
  /**
   * Computed from private training data (or from a non-private model trained on it) without any privacy
   * mechanism: internal, not differentially private. Never exported unless a report is explicitly
   * rendered as internal.
   */
  TRAIN_UNPROTECTED("internal, not differentially private", false);

  private final String description;
  private final boolean releasable;

  Provenance(String description, boolean releasable) {
    this.description = description;
    this.releasable = releasable;
  }

  /** A short human-readable statement of the source, e.g. "internal, not differentially private". */
  public String description() {
    return description;
  }

  /** Whether figures of this provenance may appear in a released (non-internal) report. */
  public boolean releasable() {
    return releasable;
  }

  /**
   * The provenance of a figure computed from figures of provenances {@code a} and {@code b}: the less
   * protected of the two (an unprotected input makes the result unprotected; any training-data input
   * makes it a training-data figure).
   */
  public static Provenance combine(Provenance a, Provenance b) {
    return a.ordinal() >= b.ordinal() ? a : b;
  }
}
