package org.dpvideo.dpsgd.ledger;

import java.util.List;
import java.util.Objects;
import org.dpvideo.dpsgd.accounting.AccountantKind;

/**
 * The whole ledger at one moment: whether its chain verifies, and every dataset's balance.
 *
 * @param location where it lives (display form, secrets redacted)
 * @param verification the result of verifying every entry
 * @param accountant the accountant the balances were computed with
 * @param datasets every dataset, in registration order
 */
public record LedgerSnapshot(String location, ChainVerification verification, AccountantKind accountant,
    List<DatasetBalance> datasets) {
  public LedgerSnapshot {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(verification, "verification");
    Objects.requireNonNull(accountant, "accountant");
    datasets = List.copyOf(datasets);
  }
}
