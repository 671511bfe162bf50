package org.dpvideo.dpsgd.audit;

import java.util.Locale;

/** What the auditor sees and how it scores canaries. */
public enum AuditMode {
  /**
   * Gradient canaries: each canary unit's per-unit gradient is a chosen direction (see
   * {@link GradientCanary}); the score is the inner product of that direction with the sum of the model
   * updates over the run (with SGD, the learning rate times the sum of the released noisy gradients).
   * The strongest auditor: it sees every parameter and controls the canaries' gradients.
   */
  WHITE_BOX,
  /**
   * Input-space canaries: mislabelled examples; the score is how much the final model's loss on the
   * canary dropped during training. The auditor sees only the final model's losses.
   */
  BLACK_BOX;

  /** The command-line and JSON name, e.g. {@code white-box}. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Parses {@code white-box} or {@code black-box}. */
  public static AuditMode parse(String s) {
    for (AuditMode m : values()) {
      if (m.cliName().equalsIgnoreCase(s == null ? "" : s.trim())) {
        return m;
      }
    }
    throw new IllegalArgumentException("audit mode must be white-box or black-box, got '" + s + "'");
  }
}
