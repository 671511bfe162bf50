package org.dpvideo.dpsgd.noise;

import java.util.Objects;

/**
 * Standard normal draws from a {@link RandomStream} by the Box-Muller transform in double precision
 * (Box and Muller 1958). The radius uses a full-precision uniform in (0, 1]
 * ({@link RandomStream#nextDoubleOpenZero()}), so the tail reaches about 38 standard deviations
 * instead of stopping at 8.6 as it does with a 53-bit uniform; the angle uses a 53-bit uniform.
 *
 * <p>These draws are never released as they are: {@link LatticeGaussianMechanism} rounds them onto
 * a lattice far finer than the noise scale and far coarser than double rounding error.
 *
 * <p>Not thread-safe.
 */
public final class GaussianSampler {
  private static final double TWO_PI = 2 * Math.PI;
  private final RandomStream stream;
  private double spare;
  private boolean hasSpare;

  /** A sampler reading from {@code stream}. */
  public GaussianSampler(RandomStream stream) {
    this.stream = Objects.requireNonNull(stream, "stream");
  }

  /** Where the randomness comes from. */
  public RandomnessLabel label() {
    return stream.label();
  }

  /** One N(0, 1) draw. */
  public double next() {
    if (hasSpare) {
      hasSpare = false;
      return spare;
    }
    double u1 = stream.nextDoubleOpenZero();
    double u2 = stream.nextDouble();
    double radius = Math.sqrt(-2.0 * Math.log(u1));
    double angle = TWO_PI * u2;
    spare = radius * Math.sin(angle);
    hasSpare = true;
    return radius * Math.cos(angle);
  }

  /**
   * Forgets the second draw of the last Box-Muller pair, if one is waiting. Called at the end of every
   * release, so that between releases the sampler's whole state is its stream position: a seeded run
   * checkpointed by stream positions then resumes with exactly the draws it would have made. Dropping
   * a draw does not change the distribution of later draws (they are independent).
   */
  public void discardSpare() {
    hasSpare = false;
  }
}
