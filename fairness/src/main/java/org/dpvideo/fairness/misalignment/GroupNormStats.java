package org.dpvideo.fairness.misalignment;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.dpvideo.fairness.group.GroupAssignment;
import org.dpvideo.fairness.group.GroupKey;

/**
 * Per-group statistics of one batch's per-unit gradient norms (fairness spec §1.4.2, §2.5): how large
 * the group's gradients are and how often clipping bites.
 *
 * @param group the group
 * @param count units of the group in the batch
 * @param meanNorm mean unclipped norm n_i (NaN when empty)
 * @param stdNorm sample standard deviation of n_i (n - 1 denominator; NaN with fewer than two units)
 * @param meanScaledNorm mean of s_i·n_i, the norm after clipping/scaling (NaN when empty)
 * @param meanScaleFactor mean s_i (NaN when empty)
 * @param clippedCount units with n_i &gt; threshold (DPSGD-F's m_k when the threshold is C0)
 * @param fractionClipped clippedCount / count (NaN when empty)
 */
public record GroupNormStats(GroupKey group, int count, double meanNorm, double stdNorm, double meanScaledNorm,
    double meanScaleFactor, int clippedCount, double fractionClipped) {

  /** Validates. */
  public GroupNormStats {
    Objects.requireNonNull(group, "group");
  }

  /**
   * Computes the statistics for every group of {@code groups} (empty groups included, with NaN).
   *
   * @param norms unclipped per-unit norms n_i, finite and &gt;= 0
   * @param scaleFactors s_i, finite and &gt;= 0
   * @param groups group of each unit
   * @param clipThreshold a unit counts as clipped when n_i &gt; clipThreshold: the clipping bound C for
   *     DPSGD, the strict bound Z (or γZ for Global-Adapt's count b_t) for the global methods, C0 for
   *     DPSGD-F's counts
   */
  public static List<GroupNormStats> compute(double[] norms, double[] scaleFactors, GroupAssignment groups,
      double clipThreshold) {
    BatchInputs.requireUnits(norms.length, scaleFactors, groups);
    BatchInputs.requireNorms(norms);
    BatchInputs.requireScaleFactors(scaleFactors);
    if (!(clipThreshold >= 0) || Double.isInfinite(clipThreshold)) {
      throw new IllegalArgumentException("clip threshold must be finite and >= 0, got " + clipThreshold);
    }
    int k = groups.levels().size();
    int[] n = new int[k];
    double[] sum = new double[k];
    double[] sumScaled = new double[k];
    double[] sumScale = new double[k];
    int[] clipped = new int[k];
    for (int i = 0; i < norms.length; i++) {
      int g = groups.code(i);
      n[g]++;
      sum[g] += norms[i];
      sumScaled[g] += scaleFactors[i] * norms[i];
      sumScale[g] += scaleFactors[i];
      if (norms[i] > clipThreshold) {
        clipped[g]++;
      }
    }
    double[] ss = new double[k];
    for (int i = 0; i < norms.length; i++) {
      int g = groups.code(i);
      double d = norms[i] - sum[g] / n[g];
      ss[g] += d * d;
    }
    List<GroupNormStats> out = new ArrayList<>(k);
    for (int g = 0; g < k; g++) {
      double nan = Double.NaN;
      out.add(new GroupNormStats(groups.levels().get(g), n[g],
          n[g] == 0 ? nan : sum[g] / n[g],
          n[g] < 2 ? nan : Math.sqrt(ss[g] / (n[g] - 1)),
          n[g] == 0 ? nan : sumScaled[g] / n[g],
          n[g] == 0 ? nan : sumScale[g] / n[g],
          clipped[g],
          n[g] == 0 ? nan : (double) clipped[g] / n[g]));
    }
    return out;
  }
}
