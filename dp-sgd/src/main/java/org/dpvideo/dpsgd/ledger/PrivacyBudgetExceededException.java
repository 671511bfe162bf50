package org.dpvideo.dpsgd.ledger;

import java.util.Locale;
import java.util.Objects;
import org.dpvideo.dpsgd.accounting.AccountantKind;

/**
 * A run was refused before it read any private data, because composing its planned event with everything
 * already spent or reserved on the dataset would exceed the dataset's budget. Nothing was recorded.
 */
public final class PrivacyBudgetExceededException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient DatasetId dataset;
  private final transient PrivacyBudget budget;
  private final double spentEpsilon;
  private final double plannedEpsilon;
  private final double totalEpsilon;
  private final int priorRuns;
  private final int openRuns;
  private final transient AccountantKind accountant;

  /**
   * @param dataset the dataset
   * @param budget its budget
   * @param spentEpsilon epsilon at the budget's delta of every earlier run's charged event, composed
   * @param plannedEpsilon epsilon at the budget's delta of the refused run's planned event alone
   * @param totalEpsilon epsilon at the budget's delta of all of them composed with the planned event
   * @param priorRuns the number of earlier runs on the dataset
   * @param openRuns how many of them are still open (counted in full)
   * @param accountant the accountant that composed them
   */
  public PrivacyBudgetExceededException(DatasetId dataset, PrivacyBudget budget, double spentEpsilon,
      double plannedEpsilon, double totalEpsilon, int priorRuns, int openRuns, AccountantKind accountant) {
    super(message(dataset, budget, spentEpsilon, plannedEpsilon, totalEpsilon, priorRuns, openRuns, accountant));
    this.dataset = Objects.requireNonNull(dataset, "dataset");
    this.budget = Objects.requireNonNull(budget, "budget");
    this.spentEpsilon = spentEpsilon;
    this.plannedEpsilon = plannedEpsilon;
    this.totalEpsilon = totalEpsilon;
    this.priorRuns = priorRuns;
    this.openRuns = openRuns;
    this.accountant = Objects.requireNonNull(accountant, "accountant");
  }

  private static String message(DatasetId dataset, PrivacyBudget budget, double spent, double planned, double total,
      int priorRuns, int openRuns, AccountantKind accountant) {
    return String.format(Locale.ROOT, "privacy budget exceeded: the planned run alone spends epsilon=%s; composed"
        + " with what dataset %s has already spent or reserved (epsilon=%s over %d run(s), %d of them still open"
        + " and counted in full), the total would be epsilon=%s at delta=%s (%s accountant), over the budget"
        + " epsilon=%s. The run was refused before reading any data and nothing was recorded. Plan a smaller"
        + " spend (more noise, fewer steps or a lower sampling rate), or, if the data owner agrees, raise the"
        + " budget with `dpvideo budget set --dataset %s --epsilon E --delta %s`.",
        fmt(planned), dataset.abbreviated(), fmt(spent), priorRuns, openRuns, fmt(total), fmt(budget.delta()),
        accountant.cliName(), fmt(budget.epsilon()), dataset.hex(), fmt(budget.delta()));
  }

  static String fmt(double v) {
    if (Double.isInfinite(v)) {
      return "infinity";
    }
    if (v != 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e6)) {
      return String.format(Locale.ROOT, "%.4g", v);
    }
    return String.format(Locale.ROOT, "%.4f", v);
  }

  /** The dataset. */
  public DatasetId dataset() {
    return dataset;
  }

  /** Its budget. */
  public PrivacyBudget budget() {
    return budget;
  }

  /** Epsilon (at the budget's delta) already spent or reserved by earlier runs, composed. */
  public double spentEpsilon() {
    return spentEpsilon;
  }

  /** Epsilon (at the budget's delta) of the refused run's plan alone. */
  public double plannedEpsilon() {
    return plannedEpsilon;
  }

  /** Epsilon (at the budget's delta) of everything composed with the plan. */
  public double totalEpsilon() {
    return totalEpsilon;
  }

  /** Earlier runs on the dataset. */
  public int priorRuns() {
    return priorRuns;
  }

  /** Earlier runs still open. */
  public int openRuns() {
    return openRuns;
  }

  /** The accountant that composed them. */
  public AccountantKind accountant() {
    return accountant;
  }
}
