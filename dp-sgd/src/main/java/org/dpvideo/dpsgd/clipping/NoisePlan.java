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
