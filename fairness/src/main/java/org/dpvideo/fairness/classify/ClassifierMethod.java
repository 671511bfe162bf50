package org.dpvideo.fairness.classify;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How the classifier is trained: non-privately, or with one of the DP engine's clipping rules (fairness
 * spec §2: DPSGD, DPSGD-Global, DPSGD-Global-Adapt, DPSGD-F).
 */
public enum ClassifierMethod {
  /** Plain mini-batch SGD without clipping or noise: the paper's reference model θ*. No privacy guarantee. */
  NONPRIVATE("nonprivate"),
  /** DP-SGD with per-example clipping to C (Abadi et al. 2016; spec §2.2). */
  DPSGD("dpsgd"),
  /** DPSGD-Global with a fixed strict bound Z (Bu et al.; spec §2.3). */
  DPSGD_GLOBAL("dpsgd-global"),
  /** DPSGD-Global-Adapt with an adaptive strict bound (Esipova et al. 2023, Algorithm 2; spec §2.4). */
  DPSGD_GLOBAL_ADAPT("dpsgd-global-adapt"),
  /** DPSGD-F with per-group clip bounds from private counts (Xu et al. 2021 as in fair-dp; spec §2.5). */
  DPSGD_F("dpsgd-f");

  private final String cliName;

  ClassifierMethod(String cliName) {
    this.cliName = cliName;
  }

  /** The command-line name. */
  public String cliName() {
    return cliName;
  }

  /** Whether the method trains with differential privacy. */
  public boolean isPrivate() {
    return this != NONPRIVATE;
  }

  /**
   * Parses a command-line name.
   *
   * @throws IllegalArgumentException naming the allowed values
   */
  public static ClassifierMethod parse(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    for (ClassifierMethod m : values()) {
      if (m.cliName.equals(n)) {
        return m;
      }
    }
    throw new IllegalArgumentException("method must be one of " + Arrays.stream(values()).map(ClassifierMethod::cliName)
        .collect(Collectors.joining(", ")) + "; got '" + name + "'");
  }
}
