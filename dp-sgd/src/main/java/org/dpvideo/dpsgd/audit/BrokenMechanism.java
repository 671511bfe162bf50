package org.dpvideo.dpsgd.audit;

import java.util.Locale;

/**
 * The deliberately broken configurations an audit can run to show that it detects broken privacy.
 * Only {@link DeliberatelyBrokenMechanism} turns one into a run, and only with an acknowledgement.
 */
public enum BrokenMechanism {
  /** Noise effectively removed, while the ε of the configured noise multiplier is claimed. */
  NOISE_OFF,
  /** Per-unit clipping effectively removed, while the noise stays calibrated to the configured C. */
  CLIPPING_OFF;

  /** The command-line and JSON name, e.g. {@code noise-off}. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Parses {@code noise-off} or {@code clipping-off}. */
  public static BrokenMechanism parse(String s) {
    for (BrokenMechanism b : values()) {
      if (b.cliName().equalsIgnoreCase(s == null ? "" : s.trim())) {
        return b;
      }
    }
    throw new IllegalArgumentException("the broken mechanism must be noise-off or clipping-off, got '" + s + "'");
  }
}
