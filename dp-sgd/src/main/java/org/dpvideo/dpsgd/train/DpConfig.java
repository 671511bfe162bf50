package org.dpvideo.dpsgd.train;

import java.util.Objects;
import org.dpvideo.dpsgd.clipping.ClippingRule;
import org.dpvideo.dpsgd.clipping.JointAccounting;
import org.dpvideo.dpsgd.clipping.NoisePlan;
import org.dpvideo.dpsgd.sampling.PrivacyUnit;

/**
 * Every setting that changes the privacy guarantee. A change here needs a privacy review.
 *
 * @param noiseMultiplier sigma, finite and &gt; 0 (read according to {@code jointAccounting})
 * @param clipping the clipping rule (with C)
 * @param samplingRate q, the Poisson sampling probability of a unit, in (0, 1]
 * @param steps the planned number of steps, &gt;= 1 (the trainer refuses to take more)
 * @param delta the target delta of the (epsilon, delta) report, in (0, 1)
 * @param privacyUnit what one unit of the guarantee is
 * @param jointAccounting how sigma is read when the rule also releases a count
 * @param maxExamplesPerUnit the most examples of one unit used in a step (1 for example-level units)
 */
public record DpConfig(double noiseMultiplier, ClippingRule clipping, double samplingRate, long steps, double delta,
    PrivacyUnit privacyUnit, JointAccounting jointAccounting, int maxExamplesPerUnit) {

  public DpConfig {
    Objects.requireNonNull(clipping, "clipping rule");
    Objects.requireNonNull(privacyUnit, "privacy unit");
    Objects.requireNonNull(jointAccounting, "joint accounting mode");
    if (!(samplingRate > 0 && samplingRate <= 1)) {
      throw new IllegalArgumentException("sampling rate q must be in (0, 1], got " + samplingRate
          + "; it is the expected batch size divided by the number of privacy units");
    }
    if (steps < 1) {
      throw new IllegalArgumentException("the planned number of steps must be >= 1, got " + steps);
    }
    if (!(delta > 0 && delta < 1)) {
      throw new IllegalArgumentException("delta must be in (0, 1), got " + delta
          + "; pick a value well below 1/N, for example 1e-6");
    }
    if (maxExamplesPerUnit < 1) {
      throw new IllegalArgumentException("maxExamplesPerUnit must be >= 1, got " + maxExamplesPerUnit);
    }
    if (privacyUnit == PrivacyUnit.EXAMPLE && maxExamplesPerUnit != 1) {
      throw new IllegalArgumentException("with example-level privacy every unit is one example; maxExamplesPerUnit must"
          + " be 1, got " + maxExamplesPerUnit);
    }
    NoisePlan.of(noiseMultiplier, jointAccounting, clipping);
  }

  /** Example-level DP-SGD with the gradient multiplier read as given. */
  public static DpConfig of(double noiseMultiplier, ClippingRule clipping, double samplingRate, long steps, double delta) {
    return new DpConfig(noiseMultiplier, clipping, samplingRate, steps, delta, PrivacyUnit.EXAMPLE,
        JointAccounting.GRADIENT_MULTIPLIER, 1);
  }

  /** The noise multipliers of each step. */
  public NoisePlan noisePlan() {
    return NoisePlan.of(noiseMultiplier, jointAccounting, clipping);
  }

  /** Subject-level privacy, using at most {@code maxExamples} examples of a subject per step. */
  public DpConfig withSubjectUnits(int maxExamples) {
    return new DpConfig(noiseMultiplier, clipping, samplingRate, steps, delta, PrivacyUnit.SUBJECT, jointAccounting,
        maxExamples);
  }

  /** Another clipping rule. */
  public DpConfig withClipping(ClippingRule rule) {
    return new DpConfig(noiseMultiplier, rule, samplingRate, steps, delta, privacyUnit, jointAccounting, maxExamplesPerUnit);
  }

  /** Another joint accounting mode. */
  public DpConfig withJointAccounting(JointAccounting mode) {
    return new DpConfig(noiseMultiplier, clipping, samplingRate, steps, delta, privacyUnit, mode, maxExamplesPerUnit);
  }

  /** Another number of planned steps. */
  public DpConfig withSteps(long plannedSteps) {
    return new DpConfig(noiseMultiplier, clipping, samplingRate, plannedSteps, delta, privacyUnit, jointAccounting,
        maxExamplesPerUnit);
  }

  /** Another noise multiplier. */
  public DpConfig withNoiseMultiplier(double sigma) {
    return new DpConfig(sigma, clipping, samplingRate, steps, delta, privacyUnit, jointAccounting, maxExamplesPerUnit);
  }

  /** Another sampling rate. */
  public DpConfig withSamplingRate(double q) {
    return new DpConfig(noiseMultiplier, clipping, q, steps, delta, privacyUnit, jointAccounting, maxExamplesPerUnit);
  }
}
