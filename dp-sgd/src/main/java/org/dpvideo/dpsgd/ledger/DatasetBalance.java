package org.dpvideo.dpsgd.ledger;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.dpvideo.dpsgd.accounting.AccountantKind;

/**
 * What a dataset has spent, by composition of every run's charged event (not a sum of epsilons). Open
 * reservations are counted in full.
 *
 * @param dataset the dataset
 * @param runs its runs, in reservation order
 * @param accountant the accountant that composed the events
 * @param spentEpsilon epsilon at the budget's delta of all runs composed, open ones counted in full (0 without runs)
 * @param closedEpsilon the same over completed and abandoned runs only
 * @param openRuns how many runs are open
 */
public record DatasetBalance(DatasetRecord dataset, List<RunBalance> runs, AccountantKind accountant,
    double spentEpsilon, double closedEpsilon, int openRuns) {
  public DatasetBalance {
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(accountant, "accountant");
    runs = List.copyOf(runs);
  }

  /** The budget, if set. */
  public Optional<PrivacyBudget> budget() {
    return dataset.budget();
  }

  /** Whether what is spent (open reservations included) exceeds the budget. */
  public boolean overBudget() {
    return dataset.budget().map(b -> spentEpsilon > b.epsilon()).orElse(false);
  }
}
