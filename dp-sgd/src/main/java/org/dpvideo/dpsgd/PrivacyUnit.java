package org.dpvideo.dpsgd;

import java.util.Locale;

/**
 * What one differential-privacy guarantee protects: the neighbouring datasets differ by the addition or
 * removal of one unit. Epsilons stated for different units do not compose with each other, so the budget
 * ledger refuses to mix them on one dataset.
 */
public enum PrivacyUnit {
  /** One training example (for video, one clip): example-level DP. */
  EXAMPLE,
  /** One subject (a person, a sticker identity) with every example of it: user-level DP. */
  SUBJECT;

  /** The lower-case name used on the command line, in JSON and in the ledger. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code example} or {@code subject} (any case).
   *
   * @throws IllegalArgumentException naming the allowed values otherwise
   */
  public static PrivacyUnit parse(String name) {
    for (PrivacyUnit u : values()) {
      if (u.cliName().equalsIgnoreCase(name == null ? "" : name.trim())) {
        return u;
      }
    }
    throw new IllegalArgumentException("unknown privacy unit '" + name + "'; expected one of example, subject");
  }
}
