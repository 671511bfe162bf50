package org.dpvideo.dpsgd.ledger;

import java.util.Objects;
import org.dpvideo.dpsgd.PrivacyUnit;
import org.dpvideo.dpsgd.accounting.DpEvent;

/**
 * What a run asks the ledger for before it reads any private data.
 *
 * @param dataset the dataset it will read (registered, with a budget)
 * @param planned the whole planned event of the run (every step of its schedule, every accounted
 *     statistic), not only its first phase
 * @param delta the delta at which the run reports its own epsilon, in (0, 1)
 * @param privacyUnit the unit its guarantee protects; must match the dataset's
 * @param provenance who and what starts it
 */
public record ReservationRequest(DatasetId dataset, DpEvent planned, double delta, PrivacyUnit privacyUnit,
    Provenance provenance) {
  public ReservationRequest {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(planned, "planned event");
    Objects.requireNonNull(privacyUnit, "privacyUnit");
    Objects.requireNonNull(provenance, "provenance");
    if (!(delta > 0 && delta < 1)) {
      throw new IllegalArgumentException("delta of a run must be in (0, 1), got " + delta);
    }
  }
}
