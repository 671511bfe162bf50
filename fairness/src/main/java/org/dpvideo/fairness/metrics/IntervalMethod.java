package org.dpvideo.fairness.metrics;

/** How a confidence interval was computed. */
public enum IntervalMethod {
  /** Percentile bootstrap over examples resampled with replacement (Fairlearn's {@code n_boot}). */
  BOOTSTRAP_PERCENTILE,
  /**
   * Normal approximation by the delta method that adds the known variance of injected DP noise to the
   * sampling variance (fairness spec §5.2 item 4).
   */
  DELTA_METHOD_WITH_NOISE,
  /** Mean plus/minus a normal quantile times the standard error over independent training seeds. */
  SEED_STANDARD_ERROR
}
