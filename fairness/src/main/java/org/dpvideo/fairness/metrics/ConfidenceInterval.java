package org.dpvideo.fairness.metrics;

import java.util.Objects;

/**
 * A two-sided interval {@code [lower, upper]} between the quantiles {@code lowerQuantile} and
 * {@code upperQuantile} of the estimator's distribution (e.g. 0.025 and 0.975 for a central 95%
 * interval). Bounds are NaN when the interval is undefined (e.g. too few valid bootstrap replicates).
 *
 * @param lower lower bound, or NaN
 * @param upper upper bound, or NaN
 * @param lowerQuantile in (0, 1)
 * @param upperQuantile in (lowerQuantile, 1)
 * @param method how it was computed
 * @param replicates bootstrap replicates (or seeds) that gave a finite value; 0 for analytic intervals
 */
public record ConfidenceInterval(double lower, double upper, double lowerQuantile, double upperQuantile,
    IntervalMethod method, int replicates) {

  /** Validates. */
  public ConfidenceInterval {
    if (!(lowerQuantile > 0 && lowerQuantile < upperQuantile && upperQuantile < 1)) {
      throw new IllegalArgumentException("interval quantiles must satisfy 0 < lower < upper < 1, got " + lowerQuantile
          + " and " + upperQuantile);
    }
    Objects.requireNonNull(method, "method");
    if (replicates < 0) {
      throw new IllegalArgumentException("replicates must be >= 0, got " + replicates);
    }
    if (!Double.isNaN(lower) && !Double.isNaN(upper) && lower > upper) {
      throw new IllegalArgumentException("interval lower bound " + lower + " exceeds upper bound " + upper);
    }
  }

  /** The nominal coverage, {@code upperQuantile - lowerQuantile}. */
  public double level() {
    return upperQuantile - lowerQuantile;
  }

  /** Whether both bounds are finite. */
  public boolean defined() {
    return Double.isFinite(lower) && Double.isFinite(upper);
  }

  /** Whether {@code x} lies in the closed interval (false when undefined). */
  public boolean contains(double x) {
    return defined() && x >= lower && x <= upper;
  }
}
