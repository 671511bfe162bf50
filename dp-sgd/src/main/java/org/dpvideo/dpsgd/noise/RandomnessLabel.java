package org.dpvideo.dpsgd.noise;

/**
 * Where the randomness of a run came from. Every report that touches noise or sampling prints
 * {@link #reportText()}.
 */
public enum RandomnessLabel {
  /** Keyed from {@link java.security.SecureRandom}: not replayable, the default. */
  SECURE,
  /** Keyed from a user-given seed: reproducible, and therefore NOT private against anyone who knows the seed. */
  SEEDED;

  /** The text reports print, for example {@code randomness: seeded (reproducible; not private)}. */
  public String reportText() {
    return this == SECURE
        ? "secure (ChaCha20 keyed from SecureRandom)"
        : "seeded (reproducible; NOT private: anyone with the seed can remove the noise)";
  }

  /** The lower-case name used in JSON reports. */
  public String jsonName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
