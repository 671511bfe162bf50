package org.dpvideo.dpsgd.ledger;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The identity of one private run in the ledger: a random UUID chosen at reservation. A resumed run keeps
 * its id (store it in the run's checkpoint).
 *
 * @param value the canonical lower-case UUID text
 */
public record RunId(String value) {
  private static final Pattern UUID_TEXT =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  public RunId {
    if (value == null || !UUID_TEXT.matcher(value).matches()) {
      throw new IllegalArgumentException("run id must be a lower-case UUID such as"
          + " 3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b, got '" + value + "'; `dpvideo budget show` lists run ids");
    }
  }

  /** A fresh random id. */
  public static RunId random() {
    return new RunId(UUID.randomUUID().toString());
  }

  /** Parses an id, accepting upper-case digits. */
  public static RunId of(String value) {
    return new RunId(value == null ? null : value.trim().toLowerCase(java.util.Locale.ROOT));
  }

  /** The first 8 digits, for display. */
  public String abbreviated() {
    return value.substring(0, 8);
  }

  @Override
  public String toString() {
    return value;
  }
}
