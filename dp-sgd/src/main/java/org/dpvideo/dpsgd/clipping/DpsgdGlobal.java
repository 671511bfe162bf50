package org.dpvideo.dpsgd.clipping;

import java.util.Map;

/**
 * DPSGD-Global (Bu et al.; spec section 2.3): a unit with {@code min(1, C/(n + 1e-6)) >= C/Z}
 * (that is {@code n + 1e-6 <= Z}) is scaled by {@code C/Z}, every other unit is dropped (factor 0).
 * Scaled norms are at most C, so the noise stays {@code sigma * C}.
 *
 * @param clipNorm C, finite and &gt; 0
 * @param strictBound Z, finite and &gt;= C (with Z &lt; C every unit would be dropped)
 */
public record DpsgdGlobal(double clipNorm, double strictBound) implements ClippingRule {
  public DpsgdGlobal {
    Rules.requirePositive("clip norm C", clipNorm, "it scales the kept gradients by C/Z");
    Rules.requirePositive("strict bound Z", strictBound, "it is the largest per-unit norm kept");
    if (strictBound < clipNorm) {
      throw new IllegalArgumentException("DPSGD-Global needs strict bound Z >= clip norm C, got Z = " + strictBound
          + " < C = " + clipNorm + "; with Z < C every unit's gradient would be dropped: raise Z or lower C");
    }
  }

  @Override
  public ClippingState initialState() {
    return new ClippingState.Stateless();
  }

  @Override
  public ClippingBounds bounds(ClippingState state, double[] unitNorms, int[] unitGroups, StatisticNoise noise) {
    return new ClippingBounds(new double[] {clipNorm}, strictBound, clipNorm, Map.of());
  }

  @Override
  public double factor(double norm, int group, ClippingBounds bounds) {
    ClippingRule.requireValidNorm(norm);
    double keep = clipNorm / strictBound;
    return ClippingRule.clipFactor(clipNorm, norm) >= keep ? keep : 0.0;
  }

  @Override
  public ClippingState nextState(ClippingState state, double[] unitNorms, StatisticNoise noise, double expectedBatchSize) {
    return state;
  }
}
