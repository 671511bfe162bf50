package org.dpvideo.dpsgd.noise;

/**
 * The source of every random stream of a run: secure (keyed from {@code SecureRandom}, the default)
 * or seeded (reproducible, not private). Streams for different purposes (sampling, gradient noise)
 * are independent.
 */
public final class Randomness {
  private final RandomnessLabel label;
  private final long seed;

  private Randomness(RandomnessLabel label, long seed) {
    this.label = label;
    this.seed = seed;
  }

  /** Fresh secure streams; nothing can replay them. */
  public static Randomness secure() {
    return new Randomness(RandomnessLabel.SECURE, 0);
  }

  /** Reproducible streams from a seed. NOT private; every report prints {@link RandomnessLabel#SEEDED}. */
  public static Randomness seeded(long seed) {
    return new Randomness(RandomnessLabel.SEEDED, seed);
  }

  /** The label reports print. */
  public RandomnessLabel label() {
    return label;
  }

  /** The seed of a seeded source (for reproducibility records). */
  public long seed() {
    if (label != RandomnessLabel.SEEDED) {
      throw new IllegalStateException("a secure randomness source has no seed");
    }
    return seed;
  }

  /** A new stream for a purpose ({@code "sampling"}, {@code "gradient-noise"}, ...). */
  public RandomStream stream(String purpose) {
    return label == RandomnessLabel.SECURE ? RandomStream.secure(purpose) : RandomStream.seeded(seed, purpose);
  }

  /**
   * A keyed pseudo-random function for a purpose: keyed from {@code SecureRandom} for a secure source
   * (a new key on every call), from the seed for a seeded one (the same key on every call, so a
   * resumed seeded run makes the same decisions).
   */
  public KeyedPrf prf(String purpose) {
    return label == RandomnessLabel.SECURE ? KeyedPrf.secure(purpose) : KeyedPrf.seeded(seed, purpose);
  }

  /**
   * A seeded stream positioned after {@code bytesConsumed} bytes (to resume a seeded run exactly); a
   * secure source returns a fresh stream instead, since secure streams are never replayed.
   */
  public RandomStream resumedStream(String purpose, long bytesConsumed) {
    return label == RandomnessLabel.SECURE ? RandomStream.secure(purpose)
        : RandomStream.seededAt(seed, purpose, bytesConsumed);
  }
}
