package org.dpvideo.fairness.tuning;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.DoubleFunction;
import org.dpvideo.dpsgd.accounting.ComposedEvent;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.accounting.NoiseCalibration;
import org.dpvideo.dpsgd.accounting.PrivacyAccountant;
import org.dpvideo.dpsgd.accounting.PrivacyGuarantee;

/**
 * A grid search over hyper-parameters whose privacy cost is accounted.
 *
 * <p>Every candidate is trained on private training data, so every candidate's output is a release: the
 * selection looks at all of them. The sweep's total event is therefore the composition of every candidate's
 * event and, when the winner is refitted on all the training data, the refit's event (privacy loss composes;
 * accounting it this way is an upper bound because each candidate saw only part of the data). Failed runs
 * are accounted with their planned event. This is the plain composition approach; private selection with a
 * random number of candidates (Liu and Talwar 2019; Papernot and Steinke 2022), whose cost can be far below
 * the composition, is not implemented.
 *
 * <p>What the composition does not cover: the selection reads the candidates' scores on the selection data.
 * When that data is a validation split carved from the private training data, the choice of the winner
 * depends on those examples without any DP mechanism; it is covered only when the selection data is public.
 * {@link SweepResult#statement()} says so.
 *
 * <p>Not thread-safe; use once per sweep.
 */
public final class HyperparameterSweep {
  private final SweepGrid grid;
  private final TuningNoise noise;
  private final double delta;
  private final PrivacyAccountant accountant;
  private final boolean refit;

  /**
   * @param grid the candidates
   * @param noise how each private run's noise multiplier is chosen ({@link TuningNoise.NotPrivate} for a
   *     non-private target)
   * @param delta the δ at which every run and the total are reported, in (0, 1)
   * @param accountant the accountant of every ε and of the calibrations
   * @param refit whether the winner is trained again on all the training data (one more release)
   */
  public HyperparameterSweep(SweepGrid grid, TuningNoise noise, double delta, PrivacyAccountant accountant,
      boolean refit) {
    this.grid = Objects.requireNonNull(grid, "grid");
    this.noise = Objects.requireNonNull(noise, "noise");
    if (!(delta > 0 && delta < 1)) {
      throw new IllegalArgumentException("delta must be in (0, 1), got " + delta);
    }
    this.delta = delta;
    this.accountant = Objects.requireNonNull(accountant, "accountant");
    this.refit = refit;
  }

  /**
   * Runs every candidate, selects the best score (ties: the first in grid order; failed or unscorable runs
   * are never selected), refits it if asked, and accounts everything.
   *
   * @throws IllegalArgumentException if the noise policy does not match the target's privacy
   * @throws IllegalStateException if no candidate could be scored
   */
  public <R> SweepResult<R> run(TuningTarget<R> target) {
    Objects.requireNonNull(target, "target");
    if (target.isPrivate() == (noise instanceof TuningNoise.NotPrivate)) {
      throw new IllegalArgumentException(target.isPrivate()
          ? "a private target needs a noise policy (a target epsilon or a noise multiplier)"
          : "a non-private target takes no noise policy; its runs have no privacy guarantee");
    }
    List<Candidate> candidates = grid.candidates();
    double sharedSigma = Double.NaN;
    if (noise instanceof TuningNoise.EpsilonTotal total) {
      sharedSigma = new NoiseCalibration(accountant).noiseMultiplier(total.epsilon(), delta,
          s -> plannedTotal(target, candidates, s)).noiseMultiplier();
    }
    List<CandidateOutcome> outcomes = new ArrayList<>();
    R best = null;
    int bestIndex = -1;
    double bestScore = Double.NaN;
    for (int i = 0; i < candidates.size(); i++) {
      Candidate c = candidates.get(i);
      double sigma = sigmaFor(target, c, TuningPhase.CANDIDATE, sharedSigma);
      R run = null;
      String failure = null;
      DpEvent event = null;
      double score = Double.NaN;
      try {
        run = target.train(c, TuningPhase.CANDIDATE, sigma);
        event = target.isPrivate() ? target.spentEvent(run) : null;
        score = target.score(run);
      } catch (RuntimeException e) {
        failure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        event = target.isPrivate() ? target.plannedEvent(c, TuningPhase.CANDIDATE, sigma) : null;
        if (run != null) {
          target.discard(run);
          run = null;
        }
      }
      outcomes.add(outcome(c, TuningPhase.CANDIDATE, sigma, event, score, failure));
      if (run != null) {
        if (!Double.isNaN(score) && (bestIndex < 0 || score > bestScore)) {
          if (best != null) {
            target.discard(best);
          }
          best = run;
          bestIndex = i;
          bestScore = score;
        } else {
          target.discard(run);
        }
      }
    }
    if (bestIndex < 0) {
      throw new IllegalStateException("no candidate of the sweep " + grid + " could be scored: "
          + outcomes.stream().map(o -> o.candidate() + ": " + (o.failed() ? o.failure() : "score undefined")).toList()
          + ". Try other values (for example smaller learning rates)");
    }
    Candidate selected = candidates.get(bestIndex);
    R finalRun = best;
    CandidateOutcome refitOutcome = null;
    if (refit) {
      double sigma = sigmaFor(target, selected, TuningPhase.REFIT, sharedSigma);
      R refitted;
      try {
        refitted = target.train(selected, TuningPhase.REFIT, sigma);
      } catch (RuntimeException e) {
        target.discard(best);
        throw new IllegalStateException("the refit of the selected candidate " + selected + " on all the training data"
            + " failed: " + e.getMessage(), e);
      }
      DpEvent event = target.isPrivate() ? target.spentEvent(refitted) : null;
      refitOutcome = outcome(selected, TuningPhase.REFIT, sigma, event, Double.NaN, null);
      target.discard(best);
      finalRun = refitted;
    }
    DpEvent total = null;
    PrivacyGuarantee totalGuarantee = null;
    if (target.isPrivate()) {
      List<DpEvent> events = new ArrayList<>();
      for (CandidateOutcome o : outcomes) {
        events.add(o.event());
      }
      if (refitOutcome != null) {
        events.add(refitOutcome.event());
      }
      total = events.size() == 1 ? events.get(0) : new ComposedEvent(events);
      totalGuarantee = accountant.epsilon(total, delta);
    }
    return new SweepResult<>(grid, noise, delta, accountant.kind(), outcomes, bestIndex, refitOutcome, finalRun, total,
        totalGuarantee, target.selectionDataDescription(), target.selectionDataPublic(), target.scoreDescription());
  }

  private CandidateOutcome outcome(Candidate c, TuningPhase phase, double sigma, DpEvent event, double score,
      String failure) {
    double eps = event == null ? Double.NaN : accountant.epsilon(event, delta).epsilon();
    return new CandidateOutcome(c, phase, sigma, event, eps, score, failure);
  }

  private DpEvent plannedTotal(TuningTarget<?> target, List<Candidate> candidates, double sigma) {
    List<DpEvent> events = new ArrayList<>();
    for (Candidate c : candidates) {
      events.add(target.plannedEvent(c, TuningPhase.CANDIDATE, sigma));
    }
    if (refit) {
      // The refit's candidate is not known yet: plan for the costliest one, so the total stays within the target.
      DpEvent worst = null;
      double worstEps = -1;
      for (Candidate c : candidates) {
        DpEvent e = target.plannedEvent(c, TuningPhase.REFIT, sigma);
        double eps = accountant.epsilon(e, delta).epsilon();
        if (eps > worstEps) {
          worstEps = eps;
          worst = e;
        }
      }
      events.add(worst);
    }
    return events.size() == 1 ? events.get(0) : new ComposedEvent(events);
  }

  private double sigmaFor(TuningTarget<?> target, Candidate c, TuningPhase phase, double sharedSigma) {
    if (noise instanceof TuningNoise.NotPrivate) {
      return Double.NaN;
    }
    if (noise instanceof TuningNoise.FixedMultiplier f) {
      return f.sigma();
    }
    if (noise instanceof TuningNoise.EpsilonTotal) {
      return sharedSigma;
    }
    double eps = ((TuningNoise.EpsilonPerRun) noise).epsilon();
    DoubleFunction<DpEvent> planned = s -> target.plannedEvent(c, phase, s);
    return new NoiseCalibration(accountant).noiseMultiplier(eps, delta, planned).noiseMultiplier();
  }

  /** The grid. */
  public SweepGrid grid() {
    return grid;
  }
}
