package org.dpvideo.dpsgd.audit;

/** Whether the empirical lower bound contradicts the accounted ε. */
public enum AuditVerdict {
  /**
   * The lower bound is at most the accounted ε. This does NOT prove the run private: a one-run
   * bound is a lower bound and is loose, especially for small ε.
   */
  CONSISTENT("consistent"),
  /**
   * The lower bound exceeds the accounted ε: with the stated confidence, the run is not
   * (ε, δ)-DP for the ε it claims. A bug in clipping, noise, sampling or accounting.
   */
  VIOLATION("VIOLATION");

  private final String text;

  AuditVerdict(String text) {
    this.text = text;
  }

  /** The word reports print: {@code consistent} or {@code VIOLATION}. */
  public String text() {
    return text;
  }
}
