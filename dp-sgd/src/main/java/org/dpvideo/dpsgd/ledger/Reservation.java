package org.dpvideo.dpsgd.ledger;

import java.util.Objects;
import java.util.Optional;
import org.dpvideo.dpsgd.PrivacyUnit;
import org.dpvideo.dpsgd.accounting.DpEvent;

/**
 * A run's claim on a dataset's budget, held by the process that runs it. Store {@link #runId()} in the
 * run's checkpoints: a resumed process calls {@link PrivacyLedger#resume} with it and gets a new
 * reservation for the same run with the next attempt number. Only the latest attempt may record progress
 * or complete the run, so a process that was presumed dead and replaced cannot keep writing.
 *
 * @param runId the run
 * @param attempt 1 for the process that reserved, +1 for every resumption
 * @param dataset the dataset
 * @param planned the reserved planned event
 * @param delta the run's reporting delta
 * @param privacyUnit the protected unit
 * @param latestProgress the last spent-so-far event recorded for the run (empty for a new run)
 */
public record Reservation(RunId runId, int attempt, DatasetId dataset, DpEvent planned, double delta,
    PrivacyUnit privacyUnit, Optional<DpEvent> latestProgress) {
  public Reservation {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(planned, "planned");
    Objects.requireNonNull(privacyUnit, "privacyUnit");
    Objects.requireNonNull(latestProgress, "latestProgress");
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be >= 1, got " + attempt);
    }
  }
}
