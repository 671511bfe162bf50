package org.dpvideo.dpsgd.ledger;

import java.util.Objects;

/**
 * The ledger's entries fail verification (an edited, deleted, inserted or reordered entry, or a history
 * that cannot have happened). Budget cannot be reserved from such a ledger, because what it says was spent
 * can no longer be trusted.
 */
public final class LedgerIntegrityException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient ChainVerification verification;

  /**
   * @param location which ledger
   * @param action what could not be done, e.g. "reserve a run"
   * @param verification the failed verification; has at least one problem
   */
  public LedgerIntegrityException(LedgerLocation location, String action, ChainVerification verification) {
    super("cannot " + action + ": the ledger " + location.display() + " fails verification ("
        + verification.problems().size() + " problem(s); first: " + verification.problems().get(0).message()
        + "). Its records of spent privacy can no longer be trusted. Run `dpvideo budget verify --ledger "
        + location.display() + "` for every finding, and restore the ledger from a backup that verifies"
        + " against the head hash of your last `dpvideo budget export`.");
    this.verification = Objects.requireNonNull(verification, "verification");
  }

  /** The failed verification. */
  public ChainVerification verification() {
    return verification;
  }
}
