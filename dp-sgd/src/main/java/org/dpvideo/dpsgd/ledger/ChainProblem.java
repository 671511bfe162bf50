package org.dpvideo.dpsgd.ledger;

import java.util.Objects;

/**
 * One way in which a ledger's stored entries differ from an untouched append-only chain.
 *
 * @param kind what was found
 * @param seq the stored number of the entry where it was found (0 when it concerns the ledger as a whole)
 * @param message a complete sentence naming the entries involved
 */
public record ChainProblem(Kind kind, long seq, String message) {
  public ChainProblem {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(message, "message");
  }

  /** The kinds of findings. */
  public enum Kind {
    /** An entry's contents no longer hash to its stored hash. */
    EDITED,
    /** An entry follows a predecessor that is not in the ledger, or entry numbers jump. */
    DELETED,
    /** An entry stands between two entries that are linked to each other directly. */
    INSERTED,
    /** An entry is stored before the entry it follows. */
    REORDERED,
    /** The ledger has tables but no entries, or its first entry is not the ledger's creation. */
    MISSING_START,
    /** The head hash an auditor kept from an earlier export is not in the ledger. */
    ANCHOR_NOT_FOUND,
    /** The entries are linked correctly but do not describe a possible history (e.g. a run completed twice). */
    INCONSISTENT
  }

  @Override
  public String toString() {
    return kind + " at #" + seq + ": " + message;
  }
}
