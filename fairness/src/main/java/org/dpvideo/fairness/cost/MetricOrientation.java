package org.dpvideo.fairness.cost;

/** Whether larger values of a metric are better; fixes the sign of a privacy cost. */
public enum MetricOrientation {
  /**
   * Accuracy-like: cost = reference - private (paper eq. 1, privacy cost π); the gap between groups is
   * the privacy cost gap PCG.
   */
  HIGHER_IS_BETTER,
  /**
   * Loss-like: cost = private - reference (paper eq. 2, excessive risk R); the gap between groups is
   * the excessive risk gap ERG.
   */
  LOWER_IS_BETTER;

  /** The paper's name of the per-group cost. */
  public String costName() {
    return this == HIGHER_IS_BETTER ? "privacy cost" : "excessive risk";
  }

  /** The paper's name of the gap between groups. */
  public String gapName() {
    return this == HIGHER_IS_BETTER ? "privacy cost gap (PCG)" : "excessive risk gap (ERG)";
  }
}
