package org.dpvideo.fairness.release;

import java.util.SplittableRandom;

/**
 * A seeded, replayable Gaussian source for tests and reproduction runs. Releases made with it are not
 * differentially private (anyone with the seed can subtract the noise); every report that uses it says
 * {@link NoiseSourceKind#SEEDED}.
 *
 * <p>Not thread-safe.
 */
public final class SeededGaussianNoise implements GaussianNoiseSource {
  private final SplittableRandom random;
  private final long seed;
  private double spare = Double.NaN;

  /** @param seed the seed */
  public SeededGaussianNoise(long seed) {
    this.random = new SplittableRandom(seed);
    this.seed = seed;
  }

  @Override
  public double nextStandardGaussian() {
    if (!Double.isNaN(spare)) {
      double s = spare;
      spare = Double.NaN;
      return s;
    }
    // Box-Muller on (0, 1] uniforms.
    double u1 = 1.0 - random.nextDouble();
    double u2 = random.nextDouble();
    double r = Math.sqrt(-2 * Math.log(u1));
    spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }

  @Override
  public NoiseSourceKind kind() {
    return NoiseSourceKind.SEEDED;
  }

  @Override
  public String description() {
    return "seeded SplittableRandom (seed " + seed + "), Box-Muller: NOT private, for tests and reproduction only";
  }
}
