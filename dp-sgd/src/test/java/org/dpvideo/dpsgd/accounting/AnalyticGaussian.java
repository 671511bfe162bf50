package org.dpvideo.dpsgd.accounting;

import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Test oracle: the exact privacy curve of the Gaussian mechanism with L2 sensitivity 1 and noise
 * standard deviation s (Balle and Wang 2018, "Improving the Gaussian Mechanism for Differential Privacy:
 * Analytical Calibration and Optimal Denoising", Theorem 8):
 * {@code delta(eps) = Phi(1/(2s) - eps s) - e^eps Phi(-1/(2s) - eps s)}. T compositions with noise sigma
 * are one Gaussian mechanism with s = sigma / sqrt(T). Independent of the accountants' code: it uses
 * Commons Math's normal distribution (with a Mills-ratio series in the far tail) and a plain
 * bisection.
 */
final class AnalyticGaussian {
  private static final NormalDistribution STANDARD = new NormalDistribution(null, 0, 1);

  private AnalyticGaussian() {}

  static double delta(double s, double eps) {
    // e^eps Phi(b) in log space, so that epsilons beyond 709 (where e^eps overflows) stay exact.
    return STANDARD.cumulativeProbability(1 / (2 * s) - eps * s)
        - Math.exp(eps + logCdf(-1 / (2 * s) - eps * s));
  }

  /**
   * log Phi(x); below the range of Commons Math's cdf (which returns 0 under -40) by the Mills-ratio
   * series Phi(x) = phi(x)/|x| (1 - 1/x^2 + 3/x^4 - 15/x^6 + 105/x^8) for x -&gt; -infinity.
   */
  static double logCdf(double x) {
    double p = STANDARD.cumulativeProbability(x);
    if (p > 1e-250) {
      return Math.log(p);
    }
    double inv = 1 / (x * x);
    double series = 1 - inv + 3 * inv * inv - 15 * inv * inv * inv + 105 * inv * inv * inv * inv;
    return -0.5 * x * x - Math.log(-x) - 0.5 * Math.log(2 * Math.PI) + Math.log(series);
  }

  /** The smallest eps with delta(s, eps) &lt;= delta, by bisection to 1e-12 relative. */
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
    while (hi - lo > 1e-12 * Math.max(1, hi)) {
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
