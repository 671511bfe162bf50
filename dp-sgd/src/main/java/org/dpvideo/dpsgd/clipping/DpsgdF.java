package org.dpvideo.dpsgd.clipping;

import java.util.Map;
import java.util.OptionalDouble;

/**
 * DPSGD-F (Xu et al. 2021, as re-implemented in fair-dp; spec section 2.5): per-group clip bounds
 * from private counts of large gradients.
 *
 * <p>For every group k (also those absent from the batch): {@code m_k = #{a = k, n > C0}},
 * {@code o_k = #{a = k, n <= C0}}, each released with Gaussian noise sigma_c and post-processed as
 * {@code max(trunc(count + noise), 0)}; {@code r_k = m~_k / (m~_k + o~_k)} (1 when the sum is 0);
 * {@code C_k = C0 (1 + r_k / (mean_k r_k + 1e-8))}; unit factor {@code min(1, C_{a}/(n + 1e-6))}.
 * The noise is calibrated to {@code max_k C_k} over ALL groups (spec caveat A3: the reference code
 * takes the maximum over the groups present in the batch, which makes the noise scale data
 * dependent). The 2K counts form one histogram in which each unit sits in exactly one cell (L2
 * sensitivity 1), released once per step and accounted jointly with the gradient ({@link NoisePlan}).
 *
 * @param baseClipNorm C0, finite and &gt; 0
 * @param countNoiseMultiplier sigma_c, finite and &gt; 0
 * @param groupCount K, the number of groups, &gt;= 1
 */
public record DpsgdF(double baseClipNorm, double countNoiseMultiplier, int groupCount) implements ClippingRule {
  public DpsgdF {
    Rules.requirePositive("base clip norm C0", baseClipNorm, "the group bounds are multiples of it");
    Rules.requirePositive("count noise multiplier sigma_c", countNoiseMultiplier, "the reference scripts use 8 to 10");
    if (groupCount < 1) {
      throw new IllegalArgumentException("DPSGD-F needs at least one group, got " + groupCount);
    }
  }

  @Override
  public double clipNorm() {
    return baseClipNorm;
  }

  @Override
  public boolean needsGroups() {
    return true;
  }

  @Override
  public boolean needsAllNormsFirst() {
    return true;
  }

  @Override
  public OptionalDouble statisticNoiseMultiplier() {
    return OptionalDouble.of(countNoiseMultiplier);
  }

  @Override
  public ClippingState initialState() {
    return new ClippingState.Stateless();
  }

  @Override
  public ClippingBounds bounds(ClippingState state, double[] unitNorms, int[] unitGroups, StatisticNoise noise) {
    if (unitNorms == null) {
      throw new IllegalArgumentException("DPSGD-F needs the norms of every sampled unit before scaling any");
    }
    return boundsFromCounts(state, countsBeforeClipping(unitNorms, unitGroups), noise);
  }

  /** Per group k: units with norm above C0 at index k, the others at index K + k (exact, private). */
  @Override
  public long[] countsBeforeClipping(double[] unitNorms, int[] unitGroups) {
    Rules.requireGroups(unitGroups, unitNorms.length, groupCount, "DPSGD-F");
    long[] counts = new long[2 * groupCount];
    for (int i = 0; i < unitNorms.length; i++) {
      ClippingRule.requireValidNorm(unitNorms[i]);
      if (unitNorms[i] > baseClipNorm) {
        counts[unitGroups[i]]++;
      } else {
        counts[groupCount + unitGroups[i]]++;
      }
    }
    return counts;
  }

  @Override
  public ClippingBounds boundsFromCounts(ClippingState state, long[] counts, StatisticNoise noise) {
    if (counts.length != 2 * groupCount) {
      throw new IllegalArgumentException("DPSGD-F needs " + 2 * groupCount + " counts (large and small per group), got "
          + counts.length);
    }
    long[] large = java.util.Arrays.copyOfRange(counts, 0, groupCount);
    long[] small = java.util.Arrays.copyOfRange(counts, groupCount, 2 * groupCount);
    double[] noisyLarge = new double[groupCount];
    double[] noisySmall = new double[groupCount];
    double[] ratio = new double[groupCount];
    double ratioSum = 0;
    for (int k = 0; k < groupCount; k++) {
      noisyLarge[k] = Math.max((long) noise.release(large[k], 1.0, countNoiseMultiplier), 0L);
      noisySmall[k] = Math.max((long) noise.release(small[k], 1.0, countNoiseMultiplier), 0L);
      double total = noisyLarge[k] + noisySmall[k];
      ratio[k] = total > 0 ? noisyLarge[k] / total : 1.0;
      ratioSum += ratio[k];
    }
    double meanRatio = ratioSum / groupCount;
    double[] bounds = new double[groupCount];
    double max = 0;
    for (int k = 0; k < groupCount; k++) {
      bounds[k] = baseClipNorm * (1 + ratio[k] / (meanRatio + 1e-8));
      max = Math.max(max, bounds[k]);
    }
    return new ClippingBounds(bounds, Double.NaN, max,
        Map.of("noisy_large_counts", noisyLarge, "noisy_small_counts", noisySmall, "group_clip_norms", bounds.clone()));
  }

  @Override
  public double factor(double norm, int group, ClippingBounds bounds) {
    ClippingRule.requireValidNorm(norm);
    return ClippingRule.clipFactor(bounds.clipNorm(group), norm);
  }

  @Override
  public ClippingState nextState(ClippingState state, double[] unitNorms, StatisticNoise noise, double expectedBatchSize) {
    return state;
  }
}
