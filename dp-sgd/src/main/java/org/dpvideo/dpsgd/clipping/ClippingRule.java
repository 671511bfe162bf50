package org.dpvideo.dpsgd.clipping;

import java.util.OptionalDouble;

/**
 * A per-unit clipping rule. A step uses a rule in three pure calls:
 * {@link #bounds} (the step's bounds, from the state and, for DPSGD-F only, from noisy counts over
 * all sampled units), {@link #factor} (each unit's scale factor from its gradient norm) and
 * {@link #nextState} (the state after the step, for Global-Adapt from a noisy count).
 *
 * <p>Every factor satisfies {@code factor * norm <= bounds.sensitivity()}, so the sum of scaled unit
 * gradients has L2 sensitivity {@code bounds.sensitivity()} under adding or removing one unit.
 *
 * <p>Implementations are immutable records validated on construction; thread-safe.
 */
public sealed interface ClippingRule extends java.io.Serializable permits Dpsgd, DpsgdGlobal, DpsgdGlobalAdapt, DpsgdF {

  /** The +1e-6 in the optimizer-style factors {@code min(1, C / (n + 1e-6))} of the reference code. */
  double STABILITY = 1e-6;

  /** The clip norm C (the base bound C0 for DPSGD-F). */
  double clipNorm();

  /** Whether the rule needs each unit's group label during training (DPSGD-F). */
  default boolean needsGroups() {
    return false;
  }

  /** Whether {@link #bounds} needs the norms of every sampled unit before any unit is scaled. */
  default boolean needsAllNormsFirst() {
    return false;
  }

  /**
   * The noise multiplier of the statistic the rule releases each step (the count noise sigma_b of
   * Global-Adapt, sigma_c of DPSGD-F), or empty when it releases none.
   */
  default OptionalDouble statisticNoiseMultiplier() {
    return OptionalDouble.empty();
  }

  /** The state before the first step. */
  ClippingState initialState();

  /**
   * The bounds of this step.
   *
   * @param state the current state
   * @param unitNorms the gradient norms of every sampled unit, or {@code null} when
   *     {@link #needsAllNormsFirst()} is false
   * @param unitGroups each unit's group (DPSGD-F), or {@code null}
   * @param noise releases the rule's private statistic; the private step passes the kernel's noise
   * @throws IllegalArgumentException if a required input is missing or invalid
   */
  ClippingBounds bounds(ClippingState state, double[] unitNorms, int[] unitGroups, StatisticNoise noise);

  /**
   * The scale factor of one unit.
   *
   * @param norm the unit's gradient norm, finite and &gt;= 0
   * @param group the unit's group (ignored unless {@link #needsGroups()})
   */
  double factor(double norm, int group, ClippingBounds bounds);

  /**
   * The state after the step.
   *
   * @param unitNorms the norms of every sampled unit (possibly empty)
   * @param expectedBatchSize q*N, the public expected number of units per step
   */
  ClippingState nextState(ClippingState state, double[] unitNorms, StatisticNoise noise, double expectedBatchSize);

  /**
   * The exact counts the rule releases BEFORE clipping, over some of the step's sampled units (DPSGD-F:
   * for each group k, the units with norm above C0 at index k and those at or below it at index K+k).
   * Counts of disjoint sets of units add up, so data-parallel workers count their own units and the
   * driver sums them and calls {@link #boundsFromCounts}: {@code bounds(state, norms, groups, noise)}
   * equals {@code boundsFromCounts(state, countsBeforeClipping(norms, groups), noise)}. Empty for rules
   * that release nothing before clipping. The counts are private: release them only through
   * {@link #boundsFromCounts}.
   */
  default long[] countsBeforeClipping(double[] unitNorms, int[] unitGroups) {
    return new long[0];
  }

  /**
   * The bounds of this step from the summed {@link #countsBeforeClipping} of every sampled unit,
   * releasing them with {@code noise}.
   */
  default ClippingBounds boundsFromCounts(ClippingState state, long[] counts, StatisticNoise noise) {
    return bounds(state, null, null, noise);
  }

  /**
   * The exact counts the rule releases AFTER the step to update its state, over some of the sampled
   * units (Global-Adapt: the units whose norm exceeds {@code gamma * Z}). They add up over disjoint
   * sets of units; {@code nextState(state, norms, noise, qN)} equals
   * {@code nextStateFromCounts(state, countsAfterClipping(state, norms), noise, qN)}. Empty for rules
   * without such a statistic.
   */
  default long[] countsAfterClipping(ClippingState state, double[] unitNorms) {
    return new long[0];
  }

  /** The state after the step from the summed {@link #countsAfterClipping}, releasing them with {@code noise}. */
  default ClippingState nextStateFromCounts(ClippingState state, long[] counts, StatisticNoise noise,
      double expectedBatchSize) {
    return nextState(state, new double[0], noise, expectedBatchSize);
  }

  /**
   * One whole step's decision at once: bounds, every unit's factor, and the next state. Convenient
   * for tests and diagnostics; the private step calls the three parts itself so it can clip
   * micro-batch by micro-batch.
   */
  default ClippingDecision decide(ClippingState state, double[] unitNorms, int[] unitGroups,
      StatisticNoise noise, double expectedBatchSize) {
    ClippingBounds b = bounds(state, needsAllNormsFirst() ? unitNorms : null, unitGroups, noise);
    double[] factors = new double[unitNorms.length];
    for (int i = 0; i < factors.length; i++) {
      factors[i] = factor(unitNorms[i], unitGroups == null ? 0 : unitGroups[i], b);
    }
    return new ClippingDecision(b, factors, nextState(state, unitNorms, noise, expectedBatchSize));
  }

  /** Checks a norm before it is used for clipping. */
  static void requireValidNorm(double norm) {
    if (!(norm >= 0) || Double.isInfinite(norm)) {
      throw new IllegalArgumentException("a unit's gradient norm must be finite and >= 0, got " + norm);
    }
  }

  /** {@code min(1, C / (n + 1e-6))}. */
  static double clipFactor(double clip, double norm) {
    return Math.min(1.0, clip / (norm + STABILITY));
  }
}
