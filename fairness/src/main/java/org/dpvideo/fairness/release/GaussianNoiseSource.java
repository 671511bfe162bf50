package org.dpvideo.fairness.release;

/**
 * A source of standard normal draws for the release mechanisms. The DP engine's generator (a
 * cryptographically keyed stream) implements it for real runs; seeded sources exist only for tests and
 * must say so through {@link #kind()}.
 *
 * <p>Implementations must be thread-safe or used by one thread.
 */
public interface GaussianNoiseSource {

  /** One draw from N(0, 1). */
  double nextStandardGaussian();

  /** Whether the draws are secure or seeded. */
  NoiseSourceKind kind();

  /** A label for reports, e.g. "ChaCha20 keyed from SecureRandom". */
  String description();

  /** Fills {@code out} with independent N(0, std²) draws. */
  default void fill(double[] out, double std) {
    for (int i = 0; i < out.length; i++) {
      out[i] = std * nextStandardGaussian();
    }
  }
}
