package org.dpvideo.fairness.report;

import java.util.List;
import java.util.Objects;
import org.dpvideo.dpsgd.accounting.AccountantKind;
import org.dpvideo.dpsgd.accounting.DpEvent;

/**
 * The run's privacy guarantee and what it covers.
 *
 * @param epsilon total ε at {@code delta} (training plus accounted statistics releases)
 * @param delta δ
 * @param accountant the accountant that computed ε
 * @param privacyUnit what one protected unit is, e.g. "clip" or "subject"
 * @param event the run's total composed event
 * @param epsilonOverSteps ε of the training alone after each logged step (chart)
 * @param statisticsEpsilon ε of the accounted statistics releases alone (the "diagnostics budget"), or
 *     NaN when none
 * @param releases the accounted statistics releases (name and event)
 */
public record PrivacySection(double epsilon, double delta, AccountantKind accountant, String privacyUnit,
    DpEvent event, List<StepValue> epsilonOverSteps, double statisticsEpsilon, List<AccountedStatistic> releases) {

  /** Validates and copies. */
  public PrivacySection {
    Objects.requireNonNull(accountant, "accountant");
    Objects.requireNonNull(privacyUnit, "privacyUnit");
    epsilonOverSteps = epsilonOverSteps == null ? List.of() : List.copyOf(epsilonOverSteps);
    releases = releases == null ? List.of() : List.copyOf(releases);
  }

  /**
   * One accounted statistics release.
   *
   * @param statistic what was released
   * @param event its event
   */
  public record AccountedStatistic(String statistic, DpEvent event) {}
}
