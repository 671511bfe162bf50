package org.dpvideo.dpsgd.sampling;

import java.util.Arrays;
import java.util.Objects;
import org.dpvideo.dpsgd.noise.RandomStream;
import org.dpvideo.dpsgd.noise.RandomnessLabel;

/**
 * Poisson sampling: every unit is included independently with probability q, by one Bernoulli draw
 * per unit from a cryptographic stream (exact on 53 bits). This is the sampling the accountants'
 * subsampled-Gaussian events assume; the batch size is random and may be zero. Not thread-safe.
 */
public final class PoissonSampler {
  private final RandomStream stream;

  /** A sampler reading from {@code stream}. */
  public PoissonSampler(RandomStream stream) {
    this.stream = Objects.requireNonNull(stream, "stream");
  }

  /** Where the randomness comes from. */
  public RandomnessLabel label() {
    return stream.label();
  }

  /** The stream (also used to pick examples of large units). */
  public RandomStream stream() {
    return stream;
  }

  /**
   * The sampled units, in increasing order.
   *
   * @param units N, &gt;= 1
   * @param rate q, in (0, 1]
   */
  public int[] sample(int units, double rate) {
    if (units < 1) {
      throw new IllegalArgumentException("need at least one unit to sample from, got " + units);
    }
    if (!(rate > 0 && rate <= 1)) {
      throw new IllegalArgumentException("sampling rate q must be in (0, 1], got " + rate);
    }
    int[] out = new int[Math.min(units, 16)];
    int n = 0;
    for (int u = 0; u < units; u++) {
      if (stream.nextDouble() < rate) {
        if (n == out.length) {
          out = Arrays.copyOf(out, Math.min(units, out.length * 2));
        }
        out[n++] = u;
      }
    }
    return Arrays.copyOf(out, n);
  }
}
