package org.dpvideo.dpsgd.ledger;

import java.util.regex.Pattern;

/**
 * The identity of a dataset in the ledger: the lower-case hexadecimal SHA-256 content hash computed by
 * {@link DatasetFingerprint}. Two byte-identical datasets share an identity, and so share a budget; a
 * dataset with one byte changed is a different dataset (see {@code docs/ledger.md} for what that means
 * for overlapping datasets).
 *
 * @param hex 64 lower-case hexadecimal digits
 */
public record DatasetId(String hex) {
  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

  public DatasetId {
    if (hex == null || !HEX64.matcher(hex).matches()) {
      throw new IllegalArgumentException("dataset id must be 64 lower-case hexadecimal digits (a SHA-256"
          + " content hash), got '" + hex + "'; `dpvideo budget show` lists the ids of known datasets");
    }
  }

  /** Parses a full id, accepting upper-case digits. */
  public static DatasetId of(String hex) {
    return new DatasetId(hex == null ? null : hex.trim().toLowerCase(java.util.Locale.ROOT));
  }

  /** The first 12 digits, for display. */
  public String abbreviated() {
    return hex.substring(0, 12);
  }

  @Override
  public String toString() {
    return hex;
  }
}
