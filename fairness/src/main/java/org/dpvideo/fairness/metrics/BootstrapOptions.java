package org.dpvideo.fairness.metrics;

/**
 * Percentile bootstrap settings (Fairlearn's {@code n_boot}, {@code ci_quantiles}, {@code random_state}):
 * examples are resampled with replacement to the original size, every statistic is recomputed on each
 * resample, and the two quantiles of the finite replicate values are reported.
 *
 * <p>The bootstrap uses a seeded generator on purpose (reproducible intervals); it is a statistical tool
 * for releasable evaluation data, not a privacy mechanism.
 *
 * @param replicates number of resamples, in [20, 1,000,000]
 * @param lowerQuantile in (0, 1)
 * @param upperQuantile in (lowerQuantile, 1)
 * @param seed generator seed
 */
public record BootstrapOptions(int replicates, double lowerQuantile, double upperQuantile, long seed) {

  /** Validates. */
  public BootstrapOptions {
    if (replicates < 20 || replicates > 1_000_000) {
      throw new IllegalArgumentException("bootstrap replicates must be in [20, 1000000], got " + replicates
          + "; 1000 is a common choice for 95% intervals");
    }
    if (!(lowerQuantile > 0 && lowerQuantile < upperQuantile && upperQuantile < 1)) {
      throw new IllegalArgumentException("bootstrap quantiles must satisfy 0 < lower < upper < 1, got "
          + lowerQuantile + " and " + upperQuantile + "; use 0.025 and 0.975 for a central 95% interval");
    }
  }

  /** A central 95% interval (quantiles 0.025 and 0.975) from {@code replicates} resamples. */
  public static BootstrapOptions central95(int replicates, long seed) {
    return new BootstrapOptions(replicates, 0.025, 0.975, seed);
  }

  /** The same settings with another seed. */
  public BootstrapOptions withSeed(long newSeed) {
    return new BootstrapOptions(replicates, lowerQuantile, upperQuantile, newSeed);
  }

  /** The same settings with another number of replicates. */
  public BootstrapOptions withReplicates(int newReplicates) {
    return new BootstrapOptions(newReplicates, lowerQuantile, upperQuantile, seed);
  }
}
