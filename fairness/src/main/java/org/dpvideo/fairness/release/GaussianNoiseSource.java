package org.dpvideo.fairness.release;

import java.util.Objects;
import org.dpvideo.dpsgd.noise.GaussianSampler;
import org.dpvideo.dpsgd.noise.RandomStream;
import org.dpvideo.dpsgd.noise.Randomness;
import org.dpvideo.dpsgd.noise.RandomnessLabel;

/**
 * Standard normal draws for the release mechanisms. Real runs use the DP engine's generator
 * ({@link #of(Randomness, String)}: a ChaCha20 stream keyed from {@code SecureRandom} through
 * {@link GaussianSampler}); seeded sources exist for tests and reproduction runs and say so through
 * {@link #label()}. The mechanisms never release these draws as they are: they round them onto a
 * lattice (see {@link PrivateGroupStatistics}).
 *
 * <p>Implementations must be thread-safe or used by one thread.
 */
public interface GaussianNoiseSource {

  /** One draw from N(0, 1). */
  double nextStandardGaussian();

  /** Whether the draws are secure or seeded. */
  RandomnessLabel label();

  /** The text reports print about the source. */
  default String description() {
    return label().reportText();
  }

  /** Draws from the DP engine's sampler over {@code stream}. Not thread-safe. */
  static GaussianNoiseSource of(RandomStream stream) {
    GaussianSampler sampler = new GaussianSampler(Objects.requireNonNull(stream, "stream"));
    RandomnessLabel label = stream.label();
    return new GaussianNoiseSource() {
      @Override
      public double nextStandardGaussian() {
        return sampler.next();
      }

      @Override
      public RandomnessLabel label() {
        return label;
      }

      @Override
      public String toString() {
        return "GaussianNoiseSource[" + label.jsonName() + ", " + stream.purpose() + "]";
      }
    };
  }

  /** Draws from the run's randomness for {@code purpose} (e.g. "fairness-statistics"). */
  static GaussianNoiseSource of(Randomness randomness, String purpose) {
    return of(Objects.requireNonNull(randomness, "randomness").stream(purpose));
  }
}
