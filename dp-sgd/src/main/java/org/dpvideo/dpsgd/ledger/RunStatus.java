package org.dpvideo.dpsgd.ledger;

/** Where a run stands in the ledger. */
public enum RunStatus {
  /** Reserved and not finished (running, or crashed and not yet resumed or abandoned): counted in full. */
  OPEN,
  /** Finished: its final event is what it spent. */
  COMPLETED,
  /** Will never finish: its reservation stays counted in full. */
  ABANDONED;

  /** The lower-case name used in CLI output and JSON. */
  public String cliName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
