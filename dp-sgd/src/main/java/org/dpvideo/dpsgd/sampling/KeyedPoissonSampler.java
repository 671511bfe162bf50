package org.dpvideo.dpsgd.sampling;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;
import org.dpvideo.dpsgd.noise.KeyedPrf;
import org.dpvideo.dpsgd.noise.RandomStream;
import org.dpvideo.dpsgd.noise.Randomness;
import org.dpvideo.dpsgd.noise.RandomnessLabel;

/**
 * Poisson sampling by a keyed pseudo-random function: unit u is in the batch of step t iff
 * {@code F_K(SAMPLING, t, u) / 2^64 < q} (compared on 53 bits, exact for every q that is a multiple of
 * 2^-53, as {@link PoissonSampler}). Each unit is included independently with probability q, so the
 * accountants' subsampled-Gaussian events hold as for the stream sampler. A large unit's example
 * subset is drawn from a stream that is a function of (K, t, u) too.
 *
 * <p>Unlike {@link PoissonSampler}, no state advances: any machine holding the key computes the same
 * decision for (t, u) in any order, any number of times. Data-parallel workers decide for their own
 * units, a retried task decides exactly as the lost one did, and the single-process trainer
 * ({@code DpTrainer.Builder.keyedSampling()}) makes the same decisions, which is what the distributed
 * equivalence tests compare.
 *
 * <p>The key is secret (who knows it knows the batches); it is serialized only to the machines that
 * hold the data. Immutable and thread-safe.
 */
public final class KeyedPoissonSampler implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final int SAMPLING = 1;
  private static final int EXAMPLES = 2;

  private final KeyedPrf prf;

  /** A sampler over a keyed PRF. */
  public KeyedPoissonSampler(KeyedPrf prf) {
    this.prf = Objects.requireNonNull(prf, "prf");
  }

  /** A sampler keyed from a randomness source (secure: a fresh key; seeded: derived from the seed). */
  public static KeyedPoissonSampler fromRandomness(Randomness randomness) {
    return new KeyedPoissonSampler(randomness.prf("keyed-sampling"));
  }

  /** Where the key came from. */
  public RandomnessLabel label() {
    return prf.label();
  }

  /**
   * The sampled units of step {@code step} among {@code [firstUnit, endUnit)}, in increasing order.
   *
   * @param rate q, in (0, 1]
   */
  public int[] sample(long step, int firstUnit, int endUnit, double rate) {
    if (firstUnit < 0 || endUnit < firstUnit) {
      throw new IllegalArgumentException("unit range must satisfy 0 <= first <= end, got [" + firstUnit + ", " + endUnit
          + ")");
    }
    requireRate(rate);
    int[] out = new int[Math.min(endUnit - firstUnit, 16)];
    int n = 0;
    long[] words = new long[Math.min(endUnit - firstUnit, KeyedPrf.MAX_WORDS_PER_CALL)];
    for (int start = firstUnit; start < endUnit; start += words.length) {
      int len = Math.min(words.length, endUnit - start);
      long[] w = len == words.length ? words : new long[len];
      prf.words(SAMPLING, step, start, w);
      for (int i = 0; i < len; i++) {
        if ((w[i] >>> 11) * 0x1.0p-53 < rate) {
          if (n == out.length) {
            out = Arrays.copyOf(out, Math.max(16, out.length * 2));
          }
          out[n++] = start + i;
        }
      }
    }
    return Arrays.copyOf(out, n);
  }

  /**
   * The sampled units of step {@code step} among all {@code units} units.
   *
   * @param units N, &gt;= 1
   */
  public int[] sample(long step, int units, double rate) {
    if (units < 1) {
      throw new IllegalArgumentException("need at least one unit to sample from, got " + units);
    }
    return sample(step, 0, units, rate);
  }

  /** Whether unit {@code unit} is in the batch of step {@code step}. */
  public boolean includes(long step, int unit, double rate) {
    requireRate(rate);
    return (prf.word(SAMPLING, step, unit) >>> 11) * 0x1.0p-53 < rate;
  }

  /** The stream that picks the examples of a unit larger than the per-step cap, at one step. */
  public RandomStream exampleStream(long step, int unit) {
    return prf.stream(EXAMPLES, step, unit);
  }

  private static void requireRate(double rate) {
    if (!(rate > 0 && rate <= 1)) {
      throw new IllegalArgumentException("sampling rate q must be in (0, 1], got " + rate);
    }
  }

  @Override
  public String toString() {
    return "KeyedPoissonSampler[" + prf + "]";
  }
}
