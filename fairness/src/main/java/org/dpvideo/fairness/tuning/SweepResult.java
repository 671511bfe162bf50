package org.dpvideo.fairness.tuning;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.dpvideo.dpsgd.accounting.AccountantKind;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.accounting.PrivacyGuarantee;

/**
 * The outcome of a {@link HyperparameterSweep}: every run, the selected candidate, the final run (the
 * refit, or the selected candidate itself), and the accounted privacy cost of the whole tuning.
 *
 * @param <R> the run type of the target
 */
public final class SweepResult<R> {
  private final SweepGrid grid;
  private final TuningNoise noise;
  private final double delta;
  private final AccountantKind accountant;
  private final List<CandidateOutcome> candidates;
  private final int selectedIndex;
  private final CandidateOutcome refit;
  private final R finalRun;
  private final DpEvent totalEvent;
  private final PrivacyGuarantee totalGuarantee;
  private final String selectionData;
  private final boolean selectionDataPublic;
  private final String scoreDescription;

  SweepResult(SweepGrid grid, TuningNoise noise, double delta, AccountantKind accountant,
      List<CandidateOutcome> candidates, int selectedIndex, CandidateOutcome refit, R finalRun, DpEvent totalEvent,
      PrivacyGuarantee totalGuarantee, String selectionData, boolean selectionDataPublic, String scoreDescription) {
    this.grid = grid;
    this.noise = noise;
    this.delta = delta;
    this.accountant = accountant;
    this.candidates = List.copyOf(candidates);
    this.selectedIndex = selectedIndex;
    this.refit = refit;
    this.finalRun = Objects.requireNonNull(finalRun, "finalRun");
    this.totalEvent = totalEvent;
    this.totalGuarantee = totalGuarantee;
    this.selectionData = selectionData;
    this.selectionDataPublic = selectionDataPublic;
    this.scoreDescription = scoreDescription;
  }

  /** The grid. */
  public SweepGrid grid() {
    return grid;
  }

  /** The noise policy. */
  public TuningNoise noise() {
    return noise;
  }

  /** δ of every reported ε. */
  public double delta() {
    return delta;
  }

  /** The accountant of every reported ε. */
  public AccountantKind accountant() {
    return accountant;
  }

  /** Every candidate run, in grid order. */
  public List<CandidateOutcome> candidates() {
    return candidates;
  }

  /** The selected candidate's run. */
  public CandidateOutcome selected() {
    return candidates.get(selectedIndex);
  }

  /** The refit run, if the sweep refitted. */
  public Optional<CandidateOutcome> refit() {
    return Optional.ofNullable(refit);
  }

  /** The final run: the refit, or the selected candidate's run. */
  public R finalRun() {
    return finalRun;
  }

  /** The outcome of the final run. */
  public CandidateOutcome finalOutcome() {
    return refit != null ? refit : selected();
  }

  /** Everything the tuning released (all candidates, and the refit), or empty when not private. */
  public Optional<DpEvent> totalEvent() {
    return Optional.ofNullable(totalEvent);
  }

  /** (ε, δ) of {@link #totalEvent()}, or empty when not private. */
  public Optional<PrivacyGuarantee> totalGuarantee() {
    return Optional.ofNullable(totalGuarantee);
  }

  /** What the selection data is. */
  public String selectionData() {
    return selectionData;
  }

  /** Whether the selection data is public. */
  public boolean selectionDataPublic() {
    return selectionDataPublic;
  }

  /** What the score is. */
  public String scoreDescription() {
    return scoreDescription;
  }

  /**
   * The tuning statement for outputs and reports: which candidates were tried, on what, which won, what each
   * run and the whole tuning cost, and what the accounting does not cover.
   */
  public String statement() {
    StringBuilder b = new StringBuilder();
    b.append("Hyper-parameter sweep ").append(grid).append(": ").append(candidates.size())
        .append(" candidate run(s) on the private training data");
    if (refit != null) {
      b.append(" plus a refit of the winner on all the training data");
    }
    b.append("; selected ").append(selected().candidate()).append(" by ").append(scoreDescription).append(" on ")
        .append(selectionData).append(". ");
    if (totalGuarantee == null) {
      b.append("The runs are not private: no privacy guarantee.");
      return b.toString();
    }
    String perRun;
    if (noise instanceof TuningNoise.EpsilonPerRun p) {
      perRun = "each run was calibrated to epsilon " + fmt(p.epsilon()) + " on its own";
    } else if (noise instanceof TuningNoise.EpsilonTotal t) {
      perRun = "one noise multiplier for all runs, calibrated so that the whole tuning meets epsilon "
          + fmt(t.epsilon());
    } else {
      perRun = "every run used noise multiplier " + fmt(((TuningNoise.FixedMultiplier) noise).sigma());
    }
    b.append("Privacy: ").append(perRun).append("; every run is a release, so the tuning's cost is the composition of"
        + " all of them: epsilon ").append(fmt(totalGuarantee.epsilon())).append(" at delta ").append(fmt(delta))
        .append(" (").append(accountant.cliName()).append(" accountant), against epsilon ")
        .append(fmt(finalOutcome().epsilon())).append(" of the final run alone. ");
    if (selectionDataPublic) {
      b.append("The selection data is public, so the selection adds no privacy cost.");
    } else {
      b.append("The selection read the candidates' scores on private data (").append(selectionData).append(") without a"
          + " DP mechanism: the choice of the winner is NOT covered by this guarantee (private selection, e.g."
          + " Papernot and Steinke 2022, is not implemented).");
    }
    return b.toString();
  }

  private static String fmt(double v) {
    if (v != 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e6)) {
      return String.format(Locale.ROOT, "%.3g", v);
    }
    return String.format(Locale.ROOT, "%.4g", v);
  }
}
