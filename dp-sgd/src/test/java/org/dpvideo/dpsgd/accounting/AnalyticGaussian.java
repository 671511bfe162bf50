package org.dpvideo.dpsgd.accounting;

import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Test oracle: the exact privacy curve of the Gaussian mechanism with L2 sensitivity 1 and noise
 * standard deviation s (Balle and Wang 2018, "Improving the Gaussian Mechanism for Differential Privacy:
 * Analytical Calibration and Optimal Denoising", Theorem 8):
 * {@code delta(eps) = Phi(1/(2s) - eps s) - e^eps Phi(-1/(2s) - eps s)}. T compositions with noise sigma
 * are one Gaussian mechanism with s = sigma / sqrt(T). Independent of the accountants' code: it uses
 * Commons Math's normal distribution and a plain bisection.
 */
final class AnalyticGaussian {
  private static final NormalDistribution STANDARD = new NormalDistribution(null, 0, 1);

  private AnalyticGaussian() {}

  static double delta(double s, double eps) {
    return STANDARD.cumulativeProbability(1 / (2 * s) - eps * s)
        - Math.exp(eps) * STANDARD.cumulativeProbability(-1 / (2 * s) - eps * s);
  }

  /** The smallest eps with delta(s, eps) &lt;= delta, by bisection to 1e-12 absolute. */
  static double epsilon(double s, double delta) {
    if (delta(s, 0) <= delta) {
      return 0;
    }
    double lo = 0;
    double hi = 1;
    while (delta(s, hi) > delta) {
      lo = hi;
      hi *= 2;
    }
    while (hi - lo > 1e-12) {
      double mid = 0.5 * (lo + hi);
      if (delta(s, mid) > delta) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return hi;
  }
}
