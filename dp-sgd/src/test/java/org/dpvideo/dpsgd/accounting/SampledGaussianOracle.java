package org.dpvideo.dpsgd.accounting;

import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Test oracle: the exact hockey-stick divergence of ONE Poisson-subsampled Gaussian step in each
 * direction, from the closed form of the optimal set {x : loss(x) &gt; eps} (the loss is monotone in x):
 * remove {@code delta = q Phibar((xs-1)/sigma) - (e^eps - 1 + q) Phibar(xs/sigma)} with
 * {@code xs = sigma^2 log(1 + (e^eps - 1)/q) + 1/2} (and 1 - e^eps when e^eps &lt;= 1 - q); add
 * {@code delta = (1 - e^eps (1-q)) Phi(x'/sigma) - e^eps q Phi((x'-1)/sigma)} with x' the same map at -eps
 * (and 0 when eps &gt;= -log(1-q)). Uses Commons Math's normal distribution only.
 */
final class SampledGaussianOracle {
  private static final NormalDistribution STANDARD = new NormalDistribution(null, 0, 1);

  private SampledGaussianOracle() {}

  static double removeDelta(double q, double sigma, double eps) {
    double em1 = Math.expm1(eps);
    if (em1 + q <= 0) {
      return -em1;
    }
    double x = sigma * sigma * Math.log1p(em1 / q) + 0.5;
    return q * upper((x - 1) / sigma) - (em1 + q) * upper(x / sigma);
  }

  static double addDelta(double q, double sigma, double eps) {
    if (q < 1 && eps >= -Math.log1p(-q)) {
      return 0;
    }
    double x = sigma * sigma * Math.log1p(Math.expm1(-eps) / q) + 0.5;
    return (1 - Math.exp(eps) * (1 - q)) * STANDARD.cumulativeProbability(x / sigma)
        - Math.exp(eps) * q * STANDARD.cumulativeProbability((x - 1) / sigma);
  }

  private static double upper(double z) {
    return STANDARD.cumulativeProbability(-z);
  }
}
