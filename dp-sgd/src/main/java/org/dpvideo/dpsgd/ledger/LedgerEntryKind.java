package org.dpvideo.dpsgd.ledger;

import java.util.Optional;

/** What a ledger entry records. The wire names are stored in the ledger and hashed; never rename them. */
public enum LedgerEntryKind {
  /** The first entry of every ledger: the schema version and who created it. */
  LEDGER_CREATED("ledger_created"),
  /** A dataset became known: its content hash and, when known, the manifest digest, file count and size. */
  DATASET_REGISTERED("dataset_registered"),
  /** A dataset's budget (epsilon, delta) was set or changed, optionally fixing its privacy unit. */
  BUDGET_SET("budget_set"),
  /** A run reserved its whole planned event after passing the budget check. */
  RUN_RESERVED("run_reserved"),
  /** A running run recorded what it has spent so far. */
  RUN_PROGRESS("run_progress"),
  /** A crashed or stopped run was resumed by a new process, continuing the same reservation. */
  RUN_RESUMED("run_resumed"),
  /** A run finished; its final event replaces the reservation. */
  RUN_COMPLETED("run_completed"),
  /** A run will never finish; its reservation stays counted in full. */
  RUN_ABANDONED("run_abandoned");

  private final String wireName;

  LedgerEntryKind(String wireName) {
    this.wireName = wireName;
  }

  /** The name stored in the ledger. */
  public String wireName() {
    return wireName;
  }

  /** The kind with this stored name, if any. */
  public static Optional<LedgerEntryKind> fromWireName(String name) {
    for (LedgerEntryKind k : values()) {
      if (k.wireName.equals(name)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }
}
