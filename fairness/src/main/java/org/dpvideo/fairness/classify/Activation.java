package org.dpvideo.fairness.classify;

import java.util.Locale;

/** The hidden-layer activation of the MLP classifier. */
public enum Activation {
  /** tanh, the fairness spec's choice for every model (spec §2.1). */
  TANH,
  /** max(0, x). */
  RELU;

  /** The command-line name ({@code tanh}, {@code relu}). */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a command-line name.
   *
   * @throws IllegalArgumentException naming the allowed values
   */
  public static Activation parse(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    for (Activation a : values()) {
      if (a.cliName().equals(n)) {
        return a;
      }
    }
    throw new IllegalArgumentException("activation must be tanh or relu, got '" + name + "'");
  }
}
