package org.dpvideo.dpsgd.clipping;

/**
 * Releases a private statistic of a step (a count) with Gaussian noise. The private step passes
 * {@link org.dpvideo.dpsgd.noise.LatticeGaussianMechanism#noisyScalar}; tests of the rules against
 * the spec's noise-off vectors pass {@link #NOISE_OFF_FOR_TESTS}.
 */
@FunctionalInterface
public interface StatisticNoise {
  /**
   * The value plus Gaussian noise of standard deviation {@code noiseMultiplier * sensitivity}.
   *
   * @param value the exact statistic
   * @param sensitivity its L2 sensitivity (1 for a count)
   * @param noiseMultiplier sigma of the statistic
   */
  double release(double value, double sensitivity, double noiseMultiplier);

  /** Returns the value unchanged. Only for checking rules against noise-off test vectors; never private. */
  StatisticNoise NOISE_OFF_FOR_TESTS = (value, sensitivity, noiseMultiplier) -> value;
}
