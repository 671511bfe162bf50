package org.dpvideo.dpsgd.sampling;

/** What one unit of the privacy guarantee is. */
public enum PrivacyUnit {
  /** One example (one clip or sequence): example-level DP. */
  EXAMPLE,
  /** One subject (a person, a sticker id) with every example of it: user-level DP. */
  SUBJECT;

  /** The lower-case name used in reports. */
  public String reportName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
