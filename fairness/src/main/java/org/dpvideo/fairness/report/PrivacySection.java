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
   * The training's composed event after a step, for the ε-over-steps chart.
   *
   * @param step the step
   * @param event the training event of steps 0..step
   */
  public record StepEvent(long step, DpEvent event) {}

  /**
   * Computes the section with an accountant: ε of the training composed with every statistics release,
   * ε of the releases alone, and ε of the training after each listed step.
   *
   * @param accountant the accountant
   * @param delta δ in (0, 1)
   * @param privacyUnit e.g. "clip" or "subject"
   * @param trainingEvent the whole training's event
   * @param statistics the statistics releases of the run's training data (may hold none)
   * @param schedule training events after selected steps (may be empty)
   */
  public static PrivacySection of(org.dpvideo.dpsgd.accounting.PrivacyAccountant accountant, double delta,
      String privacyUnit, DpEvent trainingEvent, org.dpvideo.fairness.release.ReleaseAccount statistics,
      List<StepEvent> schedule) {
    Objects.requireNonNull(accountant, "accountant");
    DpEvent total = statistics.composeWith(trainingEvent);
    double eps = accountant.epsilon(total, delta).epsilon();
    double statEps = statistics.composed().map(e -> accountant.epsilon(e, delta).epsilon()).orElse(Double.NaN);
    List<StepValue> curve = new java.util.ArrayList<>();
    for (StepEvent s : schedule) {
      curve.add(new StepValue(s.step(), accountant.epsilon(s.event(), delta).epsilon()));
    }
    List<AccountedStatistic> rel = statistics.releases().stream()
        .map(r -> new AccountedStatistic(r.statistic(), r.event())).toList();
    return new PrivacySection(eps, delta, accountant.kind(), privacyUnit, total, curve, statEps, rel);
  }

  /**
   * One accounted statistics release.
   *
   * @param statistic what was released
   * @param event its event
   */
  public record AccountedStatistic(String statistic, DpEvent event) {}
}
