package org.dpvideo.fairness.metrics;

/** Fairlearn's {@code method} argument of {@code difference} and {@code ratio}. */
public enum DifferenceMethod {
  /** Difference: max over groups minus min over groups; ratio: min over groups divided by max over groups. */
  BETWEEN_GROUPS,
  /**
   * Difference: the largest |group value - overall value|; ratio: the smallest group/overall ratio,
   * each folded to at most 1 (x &gt; 1 becomes 1/x).
   */
  TO_OVERALL
}
