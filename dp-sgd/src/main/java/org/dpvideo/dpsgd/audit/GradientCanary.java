package org.dpvideo.dpsgd.audit;

import java.util.Locale;

/**
 * The direction of a white-box canary's gradient. Each canary unit's per-unit gradient is
 * {@code G * u_i} with G = {@link CanaryAudit#CANARY_GRADIENT_SCALE} times the clip norm, so a correct
 * clip scales it to exactly C and a missing clip lets it through at full size.
 */
public enum GradientCanary {
  /** One coordinate per canary (Dirac canaries of Steinke et al. 2023): canaries do not interfere. */
  DIRAC,
  /**
   * A uniformly random unit direction per canary in a probe space of {@link CanaryAudit#RANDOM_PROBE_FACTOR}
   * times m coordinates: canaries interfere slightly (inner products about 1/sqrt(dimension)).
   */
  RANDOM_DIRECTION;

  /** The command-line and JSON name. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Parses {@code dirac} or {@code random-direction}. */
  public static GradientCanary parse(String s) {
    for (GradientCanary g : values()) {
      if (g.cliName().equalsIgnoreCase(s == null ? "" : s.trim())) {
        return g;
      }
    }
    throw new IllegalArgumentException("gradient canary must be dirac or random-direction, got '" + s + "'");
  }
}
