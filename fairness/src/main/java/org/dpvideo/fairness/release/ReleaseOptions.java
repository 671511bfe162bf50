package org.dpvideo.fairness.release;

/**
 * Settings of the release mechanisms that do not change ε: the small-group rule (applied to noisy
 * counts, so it is free post-processing) and the interval quantiles.
 *
 * @param minNoisyCount groups whose noisy count is below it are suppressed (fairness spec §5.2 item 3
 *     suggests 100); &gt;= 1
 * @param lowerQuantile interval lower quantile, in (0, 1)
 * @param upperQuantile interval upper quantile, in (lowerQuantile, 1)
 */
public record ReleaseOptions(double minNoisyCount, double lowerQuantile, double upperQuantile) {

  /** The spec's suggested threshold: 100. */
  public static final double DEFAULT_MIN_NOISY_COUNT = 100;

  /** Validates. */
  public ReleaseOptions {
    if (!(minNoisyCount >= 1) || Double.isInfinite(minNoisyCount)) {
      throw new IllegalArgumentException("minimum noisy count must be finite and >= 1, got " + minNoisyCount
          + "; the spec suggests 100");
    }
    if (!(lowerQuantile > 0 && lowerQuantile < upperQuantile && upperQuantile < 1)) {
      throw new IllegalArgumentException("interval quantiles must satisfy 0 < lower < upper < 1, got " + lowerQuantile
          + " and " + upperQuantile);
    }
  }

  /** Minimum noisy count 100, central 95% intervals. */
  public static ReleaseOptions defaults() {
    return new ReleaseOptions(DEFAULT_MIN_NOISY_COUNT, 0.025, 0.975);
  }

  /** With another minimum noisy count. */
  public ReleaseOptions withMinNoisyCount(double min) {
    return new ReleaseOptions(min, lowerQuantile, upperQuantile);
  }
}
