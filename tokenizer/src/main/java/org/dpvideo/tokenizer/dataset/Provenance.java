package org.dpvideo.tokenizer.dataset;

import java.util.Locale;

/**
 * Where a row's footage comes from. {@code public} footage may be used to fit tokenizers and to
 * calibrate; {@code private} footage may only be used by a differentially private training run.
 */
public enum Provenance {
  /** Publicly released footage (e.g. MIT-licensed stickers). */
  PUBLIC,
  /** The user's private footage, protected by the DP guarantee. */
  PRIVATE;

  /** The manifest spelling. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses the manifest spelling; {@code null} when unknown. */
  public static Provenance parseOrNull(String s) {
    for (Provenance v : values()) {
      if (v.label().equals(s.trim().toLowerCase(Locale.ROOT))) {
        return v;
      }
    }
    return null;
  }
}
