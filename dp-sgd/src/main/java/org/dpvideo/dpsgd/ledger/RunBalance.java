package org.dpvideo.dpsgd.ledger;

import java.util.Objects;

/**
 * A run with its epsilons, computed by the ledger's accountant at its dataset's budget delta.
 *
 * @param run the run
 * @param plannedEpsilon epsilon of its planned event alone
 * @param chargedEpsilon epsilon of what it is charged alone (the planned event while open or abandoned,
 *     the final event when completed)
 */
public record RunBalance(RunRecord run, double plannedEpsilon, double chargedEpsilon) {
  public RunBalance {
    Objects.requireNonNull(run, "run");
  }
}
