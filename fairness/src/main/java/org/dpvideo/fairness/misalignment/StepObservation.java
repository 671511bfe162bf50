package org.dpvideo.fairness.misalignment;

import java.util.Map;
import java.util.Objects;
import org.dpvideo.fairness.group.GroupAssignment;
import org.dpvideo.fairness.group.GroupKey;

/**
 * What a trainer hands the diagnostics at a logged step. Norm statistics need only the per-unit norms,
 * scale factors and groups (what the DP engine's internal hook exposes); alignment needs the batch's
 * per-group gradient sums and full-data group gradients; the expected-loss terms also need the group
 * losses and, for second-order terms, a Hessian oracle.
 *
 * <p>Arrays are not copied: do not modify them until {@link MisalignmentDiagnostics#record} returns.
 *
 * @param step the global training step (0-based)
 * @param norms unclipped per-unit norms n_i
 * @param scaleFactors s_i per unit
 * @param groups group of each unit
 * @param clipThreshold units with n_i above it count as clipped (C for DPSGD, Z or γZ for the global methods)
 * @param learningRate η of this step
 * @param clipNorm C
 * @param noiseMultiplier σ
 * @param sums the batch's per-group gradient sums, or null to skip alignment
 * @param fullDataGroupGradients g_{D_k} for the groups to analyse (may be empty)
 * @param groupLosses L_a, the group's mean loss, for R_non_private (may be empty)
 * @param hessian Hessian oracle, or null (second-order terms need it and must be switched on)
 */
public record StepObservation(long step, double[] norms, double[] scaleFactors, GroupAssignment groups,
    double clipThreshold, double learningRate, double clipNorm, double noiseMultiplier, GroupGradientSums sums,
    Map<GroupKey, LayeredVector> fullDataGroupGradients, Map<GroupKey, Double> groupLosses, HessianOracle hessian) {

  /** Validates. */
  public StepObservation {
    if (step < 0) {
      throw new IllegalArgumentException("step must be >= 0, got " + step);
    }
    Objects.requireNonNull(norms, "norms");
    Objects.requireNonNull(scaleFactors, "scaleFactors");
    Objects.requireNonNull(groups, "groups");
    fullDataGroupGradients = fullDataGroupGradients == null ? Map.of() : Map.copyOf(fullDataGroupGradients);
    groupLosses = groupLosses == null ? Map.of() : Map.copyOf(groupLosses);
    if (sums != null && !sums.groups().equals(groups.levels())) {
      throw new IllegalArgumentException("gradient sums are over groups " + sums.groups() + " but the units are"
          + " assigned to " + groups.levels() + "; build both from the same group assignment");
    }
  }

  /** Norm statistics only (what the engine's per-unit hook supplies). */
  public static StepObservation ofNorms(long step, double[] norms, double[] scaleFactors, GroupAssignment groups,
      double clipThreshold, double learningRate, double clipNorm, double noiseMultiplier) {
    return new StepObservation(step, norms, scaleFactors, groups, clipThreshold, learningRate, clipNorm,
        noiseMultiplier, null, Map.of(), Map.of(), null);
  }

  /** With the batch's gradient sums and the full-data group gradients. */
  public StepObservation withGradients(GroupGradientSums batchSums, Map<GroupKey, LayeredVector> fullData) {
    return new StepObservation(step, norms, scaleFactors, groups, clipThreshold, learningRate, clipNorm,
        noiseMultiplier, batchSums, fullData, groupLosses, hessian);
  }

  /** With the group losses L_a. */
  public StepObservation withGroupLosses(Map<GroupKey, Double> losses) {
    return new StepObservation(step, norms, scaleFactors, groups, clipThreshold, learningRate, clipNorm,
        noiseMultiplier, sums, fullDataGroupGradients, losses, hessian);
  }

  /** With a Hessian oracle at the current parameters. */
  public StepObservation withHessian(HessianOracle oracle) {
    return new StepObservation(step, norms, scaleFactors, groups, clipThreshold, learningRate, clipNorm,
        noiseMultiplier, sums, fullDataGroupGradients, groupLosses, oracle);
  }
}
