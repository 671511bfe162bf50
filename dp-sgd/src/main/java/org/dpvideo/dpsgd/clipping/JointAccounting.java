package org.dpvideo.dpsgd.clipping;

/**
 * How the noise multiplier sigma of a {@code DpConfig} is read (joint accounting of gradient and statistic) when the clipping rule also releases
 * a statistic of the same batch (Global-Adapt's count, DPSGD-F's counts). Both choices are accounted
 * correctly; they differ in which number the user fixes.
 */
public enum JointAccounting {
  /**
   * sigma is the gradient's noise multiplier; the step is accounted as one subsampled Gaussian with
   * the joint multiplier {@code (sigma^-2 + sigma_s^-2)^(-1/2)}, a little below sigma.
   */
  GRADIENT_MULTIPLIER,
  /**
   * sigma is the joint multiplier the accountant sees; the gradient noise is raised to
   * {@code (sigma^-2 - sigma_s^-2)^(-1/2)} (needs sigma_s &gt; sigma), as Opacus' AdaClip optimizer does
   * following Andrew et al. 2021.
   */
  EFFECTIVE_MULTIPLIER
}
