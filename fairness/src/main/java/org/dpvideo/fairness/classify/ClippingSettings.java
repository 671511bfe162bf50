package org.dpvideo.fairness.classify;

import org.dpvideo.dpsgd.clipping.ClippingRule;
import org.dpvideo.dpsgd.clipping.Dpsgd;
import org.dpvideo.dpsgd.clipping.DpsgdF;
import org.dpvideo.dpsgd.clipping.DpsgdGlobal;
import org.dpvideo.dpsgd.clipping.DpsgdGlobalAdapt;

/**
 * The clipping parameters of every private method; each method reads the ones it uses. Defaults are the
 * fairness spec's (§2.7, fair-dp's config): Z = 100 (DPSGD-Global), Z0 = 50, σ_b = 10, η_Z = 0.1, γ = 1
 * (Global-Adapt), σ_c = 10 (DPSGD-F), no floor on Z.
 *
 * @param clipNorm C (C0 for DPSGD-F), finite and &gt; 0
 * @param strictBound Z of DPSGD-Global, &gt;= C
 * @param initialBound Z0 of Global-Adapt, &gt; 0
 * @param countNoiseMultiplier σ_b of Global-Adapt's count and σ_c of DPSGD-F's counts, &gt; 0
 * @param boundLearningRate η_Z of Global-Adapt, &gt; 0
 * @param threshold γ of Global-Adapt, &gt; 0
 * @param boundFloor the smallest Z Global-Adapt may reach, &gt;= 0 (0: none)
 */
public record ClippingSettings(double clipNorm, double strictBound, double initialBound, double countNoiseMultiplier,
    double boundLearningRate, double threshold, double boundFloor) {

  /** Z of DPSGD-Global in the spec's image config. */
  public static final double DEFAULT_STRICT_BOUND = 100;
  /** σ_c of DPSGD-F in the spec's config. */
  public static final double DEFAULT_COUNTS_NOISE_MULTIPLIER = 10;

  /** Validates what every method shares; each rule validates its own parameters when built. */
  public ClippingSettings {
    positive("clip norm C", clipNorm);
    positive("strict bound Z", strictBound);
    positive("initial bound Z0", initialBound);
    positive("count noise multiplier", countNoiseMultiplier);
    positive("bound learning rate etaZ", boundLearningRate);
    positive("threshold gamma", threshold);
    if (!(boundFloor >= 0) || Double.isInfinite(boundFloor)) {
      throw new IllegalArgumentException("bound floor must be finite and >= 0 (0 = none), got " + boundFloor);
    }
  }

  /** The spec's defaults around a clip norm. */
  public static ClippingSettings withDefaults(double clipNorm) {
    return new ClippingSettings(clipNorm, DEFAULT_STRICT_BOUND, DpsgdGlobalAdapt.DEFAULT_INITIAL_BOUND,
        DpsgdGlobalAdapt.DEFAULT_COUNT_NOISE_MULTIPLIER, DpsgdGlobalAdapt.DEFAULT_BOUND_LEARNING_RATE,
        DpsgdGlobalAdapt.DEFAULT_THRESHOLD, 0);
  }

  /** Another clip norm. */
  public ClippingSettings withClipNorm(double c) {
    return new ClippingSettings(c, strictBound, initialBound, countNoiseMultiplier, boundLearningRate, threshold,
        boundFloor);
  }

  /** Another strict bound Z (DPSGD-Global). */
  public ClippingSettings withStrictBound(double z) {
    return new ClippingSettings(clipNorm, z, initialBound, countNoiseMultiplier, boundLearningRate, threshold,
        boundFloor);
  }

  /** Another initial bound Z0 (Global-Adapt). */
  public ClippingSettings withInitialBound(double z0) {
    return new ClippingSettings(clipNorm, strictBound, z0, countNoiseMultiplier, boundLearningRate, threshold,
        boundFloor);
  }

  /** Another count noise multiplier (σ_b or σ_c). */
  public ClippingSettings withCountNoiseMultiplier(double s) {
    return new ClippingSettings(clipNorm, strictBound, initialBound, s, boundLearningRate, threshold, boundFloor);
  }

  /** Another bound learning rate η_Z. */
  public ClippingSettings withBoundLearningRate(double eta) {
    return new ClippingSettings(clipNorm, strictBound, initialBound, countNoiseMultiplier, eta, threshold, boundFloor);
  }

  /** Another threshold γ. */
  public ClippingSettings withThreshold(double gamma) {
    return new ClippingSettings(clipNorm, strictBound, initialBound, countNoiseMultiplier, boundLearningRate, gamma,
        boundFloor);
  }

  /** Another floor on Z. */
  public ClippingSettings withBoundFloor(double floor) {
    return new ClippingSettings(clipNorm, strictBound, initialBound, countNoiseMultiplier, boundLearningRate, threshold,
        floor);
  }

  /**
   * The engine's clipping rule of a private method.
   *
   * @param groupCount K, the number of group levels (DPSGD-F releases a count per level)
   * @throws IllegalArgumentException for {@link ClassifierMethod#NONPRIVATE} or invalid parameters
   */
  public ClippingRule rule(ClassifierMethod method, int groupCount) {
    return switch (method) {
      case NONPRIVATE -> throw new IllegalArgumentException("the non-private method has no clipping rule");
      case DPSGD -> new Dpsgd(clipNorm);
      case DPSGD_GLOBAL -> new DpsgdGlobal(clipNorm, strictBound);
      case DPSGD_GLOBAL_ADAPT -> new DpsgdGlobalAdapt(clipNorm, initialBound, countNoiseMultiplier, boundLearningRate,
          threshold, boundFloor);
      case DPSGD_F -> new DpsgdF(clipNorm, countNoiseMultiplier, groupCount);
    };
  }

  private static void positive(String what, double v) {
    if (!(v > 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(what + " must be finite and > 0, got " + v);
    }
  }
}
