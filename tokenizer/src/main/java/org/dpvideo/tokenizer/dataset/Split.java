package org.dpvideo.tokenizer.dataset;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The split a manifest row belongs to; written in lower case ({@code train}, {@code val}, {@code test}). */
public enum Split {
  /** Training data. */
  TRAIN,
  /** Validation data (model selection, early stopping). */
  VAL,
  /** Held-out test data (final figures only). */
  TEST;

  /** The manifest spelling. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses the manifest spelling; {@code null} when unknown. */
  public static Split parseOrNull(String s) {
    for (Split v : values()) {
      if (v.label().equals(s.trim().toLowerCase(Locale.ROOT))) {
        return v;
      }
    }
    return null;
  }

  /** The accepted spellings, for error messages. */
  public static String allowed() {
    return Arrays.stream(values()).map(Split::label).collect(Collectors.joining(", "));
  }
}
