package org.dpvideo.fairness.misalignment;

import java.util.List;
import java.util.Objects;
import org.dpvideo.fairness.Provenance;

/**
 * The diagnostics of one logged step.
 *
 * @param step the training step
 * @param norms per-group norm statistics (every group, empty ones with NaN)
 * @param alignment alignment figures, or null when no gradient sums were given
 * @param lossTerms expected-loss terms for the groups with a full-data gradient (empty when no alignment)
 * @param provenance what the figures were computed from
 */
public record MisalignmentSnapshot(long step, List<GroupNormStats> norms, BatchAlignment alignment,
    List<ExpectedLossTerms> lossTerms, Provenance provenance) {

  /** Validates and copies. */
  public MisalignmentSnapshot {
    norms = List.copyOf(norms);
    lossTerms = List.copyOf(lossTerms);
    Objects.requireNonNull(provenance, "provenance");
  }
}
