package org.dpvideo.dpsgd.ledger;

import java.util.Objects;

/**
 * The ledger cannot be used right now: it is missing, locked by another writer, corrupted, not a dpvideo
 * ledger, too new, or its server cannot be reached. The message says what, which ledger, and what to do.
 * Nothing was written: dpvideo never repairs or recreates a ledger on its own.
 */
public final class LedgerUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why the ledger is unavailable. */
  public enum Reason {
    /** There is no ledger at the location (and the caller asked not to create one). */
    MISSING,
    /** Another process holds the write lock longer than the lock timeout. */
    LOCKED,
    /** The database file is damaged. */
    CORRUPTED,
    /** The location holds something that is not a dpvideo ledger. */
    NOT_A_LEDGER,
    /** The ledger was written by a newer dpvideo with a schema this one does not know. */
    NEWER_SCHEMA,
    /** The database server cannot be reached, or refused the login. */
    UNREACHABLE,
    /** The file or database may not be read or written by this user. */
    ACCESS_DENIED,
    /** Another database or I/O error. */
    IO_ERROR
  }

  private final Reason reason;
  private final transient LedgerLocation location;

  /**
   * @param reason why
   * @param location which ledger (may be null when there is none yet)
   * @param message a complete sentence: what, which ledger, what to do
   * @param cause the database's error, if any
   */
  public LedgerUnavailableException(Reason reason, LedgerLocation location, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.location = location;
  }

  /** Why. */
  public Reason reason() {
    return reason;
  }

  /** Which ledger. */
  public LedgerLocation location() {
    return location;
  }
}
