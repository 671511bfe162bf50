package org.dpvideo.dpsgd.accounting;

/** The accountants dpvideo offers. */
public enum AccountantKind {
  /** Privacy loss distributions composed by FFT: tight; the default. */
  PLD,
  /** Rényi DP of the subsampled Gaussian with the improved conversion to (epsilon, delta). */
  RDP;

  /** The lower-case name used on the command line and in JSON. */
  public String cliName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Parses {@code pld} or {@code rdp} (any case). */
  public static AccountantKind parse(String name) {
    for (AccountantKind k : values()) {
      if (k.cliName().equalsIgnoreCase(name == null ? "" : name.trim())) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown accountant '" + name + "'; expected one of pld, rdp");
  }
}
