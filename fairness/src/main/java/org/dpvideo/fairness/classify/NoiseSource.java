package org.dpvideo.fairness.classify;

import java.util.Locale;
import org.dpvideo.dpsgd.noise.Randomness;

/** Where a private run's sampling and noise come from. */
public enum NoiseSource {
  /** ChaCha20 keyed from {@code SecureRandom}: the default, and the only private choice. */
  SECURE,
  /**
   * Keyed from the run's seed: reproducible, and therefore NOT private against anyone who knows the seed.
   * For experiments such as the paper reproduction; every output says so.
   */
  SEEDED;

  /** The engine's randomness for a run seed. */
  public Randomness randomness(long seed) {
    return this == SECURE ? Randomness.secure() : Randomness.seeded(seed);
  }

  /** The command-line name. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code secure} or {@code seeded}.
   *
   * @throws IllegalArgumentException otherwise
   */
  public static NoiseSource parse(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    for (NoiseSource s : values()) {
      if (s.cliName().equals(n)) {
        return s;
      }
    }
    throw new IllegalArgumentException("noise source must be secure or seeded, got '" + name + "'");
  }
}
