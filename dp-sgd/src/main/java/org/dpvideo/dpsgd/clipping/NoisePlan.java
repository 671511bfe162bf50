package org.dpvideo.dpsgd.clipping;

import java.util.OptionalDouble;

/**
 * The noise multipliers of one step: of the gradient, of the rule's statistic, and the joint
 * multiplier the accountant is given.
 *
 * <p>The statistic and the gradient sum are computed on the same Poisson sample. Released together
 * they are one Gaussian mechanism on the vector {@code (sum / (sigma_g C), count / sigma_s)} whose L2
 * sensitivity is {@code sqrt(sigma_g^-2 + sigma_s^-2)}: a Gaussian with multiplier
 * {@code sigma_eff = (sigma_g^-2 + sigma_s^-2)^(-1/2)}. (When the gradient bounds depend on the count,
 * as in DPSGD-F, the composition is adaptive; adaptive composition of Gaussian mechanisms has the same
 * Gaussian dominating pair, Dong, Roth and Su 2022, and Poisson subsampling preserves dominance, Zhu,
 * Dong and Wang 2022.) So each step is accounted as {@code PoissonSampled(q, Gaussian(sigma_eff))},
 * spec caveat A1; composing two separate subsampled Gaussians, as the reference code does, is a
 * different mechanism and under-counts.
 *
 * @param gradientMultiplier sigma_g: gradient noise std is {@code sigma_g * sensitivity}
 * @param statisticMultiplier sigma_s, or empty when the rule releases no statistic
 * @param effectiveMultiplier sigma_eff, what the accountant sees
 */
public record NoisePlan(double gradientMultiplier, OptionalDouble statisticMultiplier, double effectiveMultiplier) {

  /**
   * Validates the plan: positive finite multipliers, and an effective multiplier that is exactly the
   * joint one, {@code sigma_g} alone or {@code (sigma_g^-2 + sigma_s^-2)^(-1/2)} (to 1e-9 relative).
   * Otherwise a hand-made plan could add less noise than the event it makes the step record.
   *
   * @throws IllegalArgumentException if a multiplier is not finite and positive, or the effective
   *     multiplier is not the joint multiplier of the other two
   */
  public NoisePlan {
    java.util.Objects.requireNonNull(statisticMultiplier, "statisticMultiplier");
    requireMultiplier("gradient", gradientMultiplier);
    requireMultiplier("effective", effectiveMultiplier);
    double joint = gradientMultiplier;
    if (statisticMultiplier.isPresent()) {
      double s = statisticMultiplier.getAsDouble();
      requireMultiplier("statistic", s);
      joint = 1.0 / Math.sqrt(1.0 / (gradientMultiplier * gradientMultiplier) + 1.0 / (s * s));
    }
    if (!(Math.abs(effectiveMultiplier - joint) <= 1e-9 * joint)) {
      throw new IllegalArgumentException("the effective noise multiplier " + effectiveMultiplier + " is not the joint"
          + " multiplier " + joint + " of the gradient (" + gradientMultiplier + ") and statistic ("
          + statisticMultiplier + ") noise; build plans with NoisePlan.of so the accounted event matches the noise");
    }
  }

  private static void requireMultiplier(String what, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException("the " + what + " noise multiplier must be finite and > 0, got " + value
          + "; without noise there is no privacy guarantee");
    }
  }

  /**
   * Plans the multipliers for a rule.
   *
   * @param sigma the configured noise multiplier, read according to {@code mode}
   * @throws IllegalArgumentException if sigma is not positive and finite, or if
   *     {@link JointAccounting#EFFECTIVE_MULTIPLIER} asks for a target the statistic's noise alone exceeds
   */
  public static NoisePlan of(double sigma, JointAccounting mode, ClippingRule rule) {
    if (!(sigma > 0) || Double.isInfinite(sigma)) {
      throw new IllegalArgumentException("noise multiplier sigma must be finite and > 0, got " + sigma
          + "; without noise there is no privacy guarantee");
    }
    OptionalDouble stat = rule.statisticNoiseMultiplier();
    if (stat.isEmpty()) {
      return new NoisePlan(sigma, stat, sigma);
    }
    double s = stat.getAsDouble();
    if (mode == JointAccounting.GRADIENT_MULTIPLIER) {
      return new NoisePlan(sigma, stat, 1.0 / Math.sqrt(1.0 / (sigma * sigma) + 1.0 / (s * s)));
    }
    if (!(s > sigma)) {
      throw new IllegalArgumentException("the statistic's noise multiplier " + s + " must exceed the target effective"
          + " multiplier sigma = " + sigma + " to calibrate the gradient noise to it; raise the count noise"
          + " multiplier or use JointAccounting.GRADIENT_MULTIPLIER");
    }
    double gradient = 1.0 / Math.sqrt(1.0 / (sigma * sigma) - 1.0 / (s * s));
    return new NoisePlan(gradient, stat, sigma);
  }
}
