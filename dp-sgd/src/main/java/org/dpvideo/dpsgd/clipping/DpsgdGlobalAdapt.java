package org.dpvideo.dpsgd.clipping;

import java.util.Map;
import java.util.OptionalDouble;

/**
 * DPSGD-Global-Adapt (Esipova et al., ICLR 2023, Algorithm 2; spec section 2.4): per-group gradient
 * alignment correction with an adaptive strict bound Z.
 *
 * <p>Scaling with {@code Zeff = max(Z, C)}: {@code f = min(1, C/(n + 1e-6))}; the factor is
 * {@code C/Zeff} when {@code f >= C/Zeff}, else {@code f} (clip to C). Every scaled norm is at most C,
 * so the gradient noise stays {@code sigma * C} for every Z. (With Z &lt; C the reference code
 * silently becomes plain DPSGD clipping; {@code Zeff} says so explicitly and the rule is identical.)
 *
 * <p>Update after the step, with the Z of the step: {@code b = #{units with n > gamma * Z}} released
 * with Gaussian noise {@code sigma_b} (sensitivity 1), normalised by the public expected batch size
 * q*N (spec caveat A2: the reference divides by the realized batch size, which is private), then
 * {@code Z <- Z * exp(b~ - etaZ)}, and {@code Z <- max(Z, floor)} when a floor is set. The count and the
 * gradient come from the same Poisson sample and are accounted as one subsampled Gaussian with the
 * joint multiplier (caveat A1, {@link NoisePlan}).
 *
 * @param clipNorm C, finite and &gt; 0
 * @param initialBound Z0, finite and &gt; 0 (spec default 50)
 * @param countNoiseMultiplier sigma_b, finite and &gt; 0 (default 10)
 * @param boundLearningRate etaZ, finite and &gt; 0 (default 0.1; also the target fraction of units above gamma*Z)
 * @param threshold gamma, finite and &gt; 0 (default 1)
 * @param boundFloor the smallest Z allowed, or 0 for no floor
 */
public record DpsgdGlobalAdapt(double clipNorm, double initialBound, double countNoiseMultiplier,
    double boundLearningRate, double threshold, double boundFloor) implements ClippingRule {

  /** Z0 of the spec's defaults. */
  public static final double DEFAULT_INITIAL_BOUND = 50;
  /** sigma_b of the spec's defaults. */
  public static final double DEFAULT_COUNT_NOISE_MULTIPLIER = 10;
  /** etaZ of the spec's defaults. */
  public static final double DEFAULT_BOUND_LEARNING_RATE = 0.1;
  /** gamma of the spec's defaults. */
  public static final double DEFAULT_THRESHOLD = 1;

  public DpsgdGlobalAdapt {
    Rules.requirePositive("clip norm C", clipNorm, "it is the norm every unit is clipped or scaled to");
    Rules.requirePositive("initial strict bound Z0", initialBound, "the spec's default is 50");
    Rules.requirePositive("count noise multiplier sigma_b", countNoiseMultiplier, "the spec's default is 10");
    Rules.requirePositive("bound learning rate etaZ", boundLearningRate, "the spec's default is 0.1");
    Rules.requirePositive("threshold gamma", threshold, "the spec's default is 1");
    if (!(boundFloor >= 0) || Double.isInfinite(boundFloor)) {
      throw new IllegalArgumentException("bound floor must be finite and >= 0 (0 = no floor), got " + boundFloor);
    }
  }

  /** The spec's defaults for a clip norm: Z0 = 50, sigma_b = 10, etaZ = 0.1, gamma = 1, no floor. */
  public static DpsgdGlobalAdapt withDefaults(double clipNorm) {
    return new DpsgdGlobalAdapt(clipNorm, DEFAULT_INITIAL_BOUND, DEFAULT_COUNT_NOISE_MULTIPLIER,
        DEFAULT_BOUND_LEARNING_RATE, DEFAULT_THRESHOLD, 0);
  }

  /** This rule with another initial bound. */
  public DpsgdGlobalAdapt withInitialBound(double z0) {
    return new DpsgdGlobalAdapt(clipNorm, z0, countNoiseMultiplier, boundLearningRate, threshold, boundFloor);
  }

  /** This rule with another count noise multiplier. */
  public DpsgdGlobalAdapt withCountNoiseMultiplier(double sigmaB) {
    return new DpsgdGlobalAdapt(clipNorm, initialBound, sigmaB, boundLearningRate, threshold, boundFloor);
  }

  /** This rule with another threshold gamma. */
  public DpsgdGlobalAdapt withThreshold(double gamma) {
    return new DpsgdGlobalAdapt(clipNorm, initialBound, countNoiseMultiplier, boundLearningRate, gamma, boundFloor);
  }

  /** This rule with another bound learning rate. */
  public DpsgdGlobalAdapt withBoundLearningRate(double etaZ) {
    return new DpsgdGlobalAdapt(clipNorm, initialBound, countNoiseMultiplier, etaZ, threshold, boundFloor);
  }

  /** This rule with a floor on Z (0 for none). */
  public DpsgdGlobalAdapt withBoundFloor(double floor) {
    return new DpsgdGlobalAdapt(clipNorm, initialBound, countNoiseMultiplier, boundLearningRate, threshold, floor);
  }

  @Override
  public OptionalDouble statisticNoiseMultiplier() {
    return OptionalDouble.of(countNoiseMultiplier);
  }

  @Override
  public ClippingState initialState() {
    return new ClippingState.AdaptiveBound(initialBound);
  }

  private static double bound(ClippingState state) {
    if (!(state instanceof ClippingState.AdaptiveBound a)) {
      throw new IllegalArgumentException("DPSGD-Global-Adapt needs an adaptive-bound state, got " + state
          + "; resume it from a checkpoint written by the same rule");
    }
    return a.strictBound();
  }

  @Override
  public ClippingBounds bounds(ClippingState state, double[] unitNorms, int[] unitGroups, StatisticNoise noise) {
    double z = bound(state);
    return new ClippingBounds(new double[] {clipNorm}, Math.max(z, clipNorm), clipNorm,
        Map.of("strict_bound", new double[] {z}));
  }

  @Override
  public double factor(double norm, int group, ClippingBounds bounds) {
    ClippingRule.requireValidNorm(norm);
    double f = ClippingRule.clipFactor(clipNorm, norm);
    double scale = clipNorm / bounds.strictBound();
    return f >= scale ? scale : f;
  }

  /** The number of units whose norm exceeds {@code gamma * Z} (the exact, private count). */
  public int largeCount(double strictBound, double[] unitNorms) {
    int count = 0;
    for (double n : unitNorms) {
      ClippingRule.requireValidNorm(n);
      if (n > threshold * strictBound) {
        count++;
      }
    }
    return count;
  }

  @Override
  public ClippingState nextState(ClippingState state, double[] unitNorms, StatisticNoise noise, double expectedBatchSize) {
    return nextStateFromCounts(state, countsAfterClipping(state, unitNorms), noise, expectedBatchSize);
  }

  /** {@code {largeCount(Z, norms)}}: the units above {@code gamma * Z} (exact, private). */
  @Override
  public long[] countsAfterClipping(ClippingState state, double[] unitNorms) {
    return new long[] {largeCount(bound(state), unitNorms)};
  }

  @Override
  public ClippingState nextStateFromCounts(ClippingState state, long[] counts, StatisticNoise noise,
      double expectedBatchSize) {
    Rules.requirePositive("expected batch size q*N", expectedBatchSize, "it normalises the noisy count");
    if (counts.length != 1 || counts[0] < 0) {
      throw new IllegalArgumentException("Global-Adapt's update needs one non-negative count of large units, got "
          + java.util.Arrays.toString(counts));
    }
    double z = bound(state);
    double noisyCount = noise.release(counts[0], 1.0, countNoiseMultiplier);
    double fraction = noisyCount / expectedBatchSize;
    double next = z * Math.exp(fraction - boundLearningRate);
    next = Math.max(next, boundFloor);
    // Keep Z a positive finite double whatever the noise did (post-processing, no privacy effect).
    next = Math.min(Math.max(next, Double.MIN_NORMAL), Double.MAX_VALUE);
    return new ClippingState.AdaptiveBound(next);
  }
}
