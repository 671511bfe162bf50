package org.dpvideo.fairness.tuning;

import java.util.Objects;
import org.dpvideo.dpsgd.accounting.DpEvent;

/**
 * One run of a sweep.
 *
 * @param candidate the hyper-parameters
 * @param phase candidate or refit
 * @param noiseMultiplier σ of the run (NaN when not private)
 * @param event what the run released (its spent event; the planned event when it failed), or null when not private
 * @param epsilon ε of this run alone at the sweep's δ (NaN when not private)
 * @param score the selection score (NaN for the refit, a failed run, or an unscorable one)
 * @param failure why the run failed, or null
 */
public record CandidateOutcome(Candidate candidate, TuningPhase phase, double noiseMultiplier, DpEvent event,
    double epsilon, double score, String failure) {

  /** Validates. */
  public CandidateOutcome {
    Objects.requireNonNull(candidate, "candidate");
    Objects.requireNonNull(phase, "phase");
  }

  /** Whether the run failed. */
  public boolean failed() {
    return failure != null;
  }
}
