package org.dpvideo.dpsgd.ledger;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.dpvideo.dpsgd.PrivacyUnit;

/**
 * One dataset as the ledger knows it (replayed from its entries). Immutable.
 *
 * @param id the content hash
 * @param label a human-readable name given at registration (for example the manifest path); may be empty
 * @param fingerprint the manifest digest, file count and size, when the dataset was registered from its files
 * @param budget the current budget, if one was set
 * @param privacyUnit the unit its budget and runs protect, once fixed by a budget or by its first run
 * @param registeredAt when it was first recorded
 */
public record DatasetRecord(DatasetId id, String label, Optional<DatasetFingerprint> fingerprint,
    Optional<PrivacyBudget> budget, Optional<PrivacyUnit> privacyUnit, Instant registeredAt) {
  public DatasetRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(budget, "budget");
    Objects.requireNonNull(privacyUnit, "privacyUnit");
    Objects.requireNonNull(registeredAt, "registeredAt");
  }
}
