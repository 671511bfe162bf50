package org.dpvideo.fairness.misalignment;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.dpvideo.fairness.group.GroupKey;

/**
 * Collects misalignment diagnostics every N training steps. The trainer asks {@link #isDue(long)} before
 * it prepares the (possibly expensive) inputs, then calls {@link #record}.
 *
 * <p>Not thread-safe: one trainer thread calls it.
 */
public final class MisalignmentDiagnostics {
  private final MisalignmentOptions options;
  private final List<MisalignmentSnapshot> snapshots = new ArrayList<>();

  /** @param options schedule, Hessian terms and provenance */
  public MisalignmentDiagnostics(MisalignmentOptions options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  /** The options. */
  public MisalignmentOptions options() {
    return options;
  }

  /** Whether diagnostics are due at {@code step} (steps 0, N, 2N, ...). */
  public boolean isDue(long step) {
    return step >= 0 && step % options.everySteps() == 0;
  }

  /**
   * Computes and keeps the diagnostics of one step.
   *
   * @throws IllegalStateException when the step is not due or not after the last recorded step
   * @throws IllegalArgumentException when Hessian terms are on but no oracle was given
   */
  public MisalignmentSnapshot record(StepObservation obs) {
    Objects.requireNonNull(obs, "obs");
    if (!isDue(obs.step())) {
      throw new IllegalStateException("diagnostics are not due at step " + obs.step() + " (every "
          + options.everySteps() + " steps); check isDue(step) before preparing inputs");
    }
    if (!snapshots.isEmpty() && obs.step() <= snapshots.get(snapshots.size() - 1).step()) {
      throw new IllegalStateException("step " + obs.step() + " is not after the last recorded step "
          + snapshots.get(snapshots.size() - 1).step());
    }
    MisalignmentSnapshot s = compute(obs, options);
    snapshots.add(s);
    return s;
  }

  /** The recorded snapshots, in step order. */
  public List<MisalignmentSnapshot> snapshots() {
    return List.copyOf(snapshots);
  }

  /** Computes one step's diagnostics without recording them. */
  public static MisalignmentSnapshot compute(StepObservation obs, MisalignmentOptions options) {
    List<GroupNormStats> norms = GroupNormStats.compute(obs.norms(), obs.scaleFactors(), obs.groups(),
        obs.clipThreshold());
    BatchAlignment alignment = null;
    List<ExpectedLossTerms> terms = new ArrayList<>();
    if (obs.sums() != null && obs.sums().batchSize() > 0) {
      alignment = BatchAlignment.compute(obs.sums(), obs.fullDataGroupGradients());
      if (options.hessian() != null && obs.hessian() == null && !obs.fullDataGroupGradients().isEmpty()) {
        throw new IllegalArgumentException("Hessian terms are switched on but step " + obs.step() + " has no Hessian"
            + " oracle; pass one with withHessian(...) or switch the terms off");
      }
      LayeredVector gB = null;
      LayeredVector gBbar = null;
      if (options.hessian() != null && !obs.fullDataGroupGradients().isEmpty()) {
        gB = obs.sums().batchGradient();
        gBbar = obs.sums().clippedBatchGradient();
      }
      for (GroupAlignment ga : alignment.groups()) {
        GroupKey key = ga.group();
        if (!obs.fullDataGroupGradients().containsKey(key)) {
          continue;
        }
        ExpectedLossTerms.HessianForms forms = gB == null ? null
            : ExpectedLossTerms.HessianForms.evaluate(obs.hessian(), key, gB, gBbar, options.hessian());
        double loss = obs.groupLosses().getOrDefault(key, Double.NaN);
        terms.add(ExpectedLossTerms.compute(ga, alignment.batchNorm(), alignment.clippedBatchNorm(), loss,
            obs.learningRate(), obs.clipNorm(), obs.noiseMultiplier(), forms));
      }
    }
    return new MisalignmentSnapshot(obs.step(), norms, alignment, terms, options.provenance());
  }
}
