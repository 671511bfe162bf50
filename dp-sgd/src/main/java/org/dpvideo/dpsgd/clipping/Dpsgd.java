package org.dpvideo.dpsgd.clipping;

import java.util.Map;

/**
 * DPSGD (Abadi et al. 2016; spec section 2.2): each unit's gradient is scaled by
 * {@code min(1, C / (n + 1e-6))}, so its norm is at most C.
 *
 * @param clipNorm C, finite and &gt; 0
 */
public record Dpsgd(double clipNorm) implements ClippingRule {
  public Dpsgd {
    Rules.requirePositive("clip norm C", clipNorm,
        "pick a value near the median per-unit gradient norm measured on public data");
  }

  @Override
  public ClippingState initialState() {
    return new ClippingState.Stateless();
  }

  @Override
  public ClippingBounds bounds(ClippingState state, double[] unitNorms, int[] unitGroups, StatisticNoise noise) {
    return new ClippingBounds(new double[] {clipNorm}, Double.NaN, clipNorm, Map.of());
  }

  @Override
  public double factor(double norm, int group, ClippingBounds bounds) {
    ClippingRule.requireValidNorm(norm);
    return ClippingRule.clipFactor(clipNorm, norm);
  }

  @Override
  public ClippingState nextState(ClippingState state, double[] unitNorms, StatisticNoise noise, double expectedBatchSize) {
    return state;
  }
}
