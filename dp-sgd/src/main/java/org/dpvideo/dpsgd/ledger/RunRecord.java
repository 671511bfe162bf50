package org.dpvideo.dpsgd.ledger;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.dpvideo.dpsgd.PrivacyUnit;
import org.dpvideo.dpsgd.accounting.AccountantKind;
import org.dpvideo.dpsgd.accounting.DpEvent;

/**
 * One run as the ledger knows it (replayed from its entries). Immutable.
 *
 * @param id the run id
 * @param dataset the dataset it reads
 * @param status open, completed or abandoned
 * @param planned the whole planned event it reserved
 * @param delta the delta at which the run reports its own epsilon
 * @param privacyUnit the unit its guarantee protects
 * @param accountant the accountant that checked its reservation
 * @param reservedBy who reserved it
 * @param reservedAt when
 * @param attempt 1 for the first process, +1 for every resumption; only the latest attempt may record
 * @param latestProgress the last spent-so-far event it recorded, if any
 * @param lastProgressAt when
 * @param finalEvent the final event, when completed
 * @param closedAt when it was completed or abandoned
 * @param abandonReason why it was abandoned, when it was
 * @param chargedEvent what the ledger counts against the dataset for this run: the planned event while
 *     open or when abandoned, the final event when completed, or a recorded event that exceeded the
 *     reservation
 * @param exceededReservation whether the run ever recorded spending more than it reserved
 */
public record RunRecord(RunId id, DatasetId dataset, RunStatus status, DpEvent planned, double delta,
    PrivacyUnit privacyUnit, AccountantKind accountant, Provenance reservedBy, Instant reservedAt, int attempt,
    Optional<DpEvent> latestProgress, Optional<Instant> lastProgressAt, Optional<DpEvent> finalEvent,
    Optional<Instant> closedAt, Optional<String> abandonReason, DpEvent chargedEvent,
    boolean exceededReservation) {
  public RunRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(planned, "planned");
    Objects.requireNonNull(privacyUnit, "privacyUnit");
    Objects.requireNonNull(accountant, "accountant");
    Objects.requireNonNull(reservedBy, "reservedBy");
    Objects.requireNonNull(reservedAt, "reservedAt");
    Objects.requireNonNull(latestProgress, "latestProgress");
    Objects.requireNonNull(lastProgressAt, "lastProgressAt");
    Objects.requireNonNull(finalEvent, "finalEvent");
    Objects.requireNonNull(closedAt, "closedAt");
    Objects.requireNonNull(abandonReason, "abandonReason");
    Objects.requireNonNull(chargedEvent, "chargedEvent");
  }

  /** Whether the run still holds a reservation (counted in full). */
  public boolean isOpen() {
    return status == RunStatus.OPEN;
  }
}
