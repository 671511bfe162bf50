package org.dpvideo.dpsgd.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GaussianTailTest {

  /** erfc(x) from SciPy 1.17 (scipy.special.erfc), an independent implementation. */
  private static final double[][] SCIPY_ERFC = {
      {0.5, 0.4795001221869535}, {2, 0.004677734981047266}, {5, 1.5374597944280347e-12},
      {10, 2.0884875837625446e-45}, {20, 5.395865611607901e-176}, {26, 5.663192408856145e-296}};

  @Test
  void logErfc_againstScipy_isRelativelyAccurate() {
    for (double[] row : SCIPY_ERFC) {
      assertEquals(Math.log(row[1]), GaussianTail.logErfc(row[0]), 1e-12 * Math.abs(Math.log(row[1])) + 1e-13,
          "x=" + row[0]);
    }
  }

  @Test
  void logErfc_acrossTheSeriesSwitch_isContinuous() {
    // Both sides of x = 25, where the implementation switches to the asymptotic series.
    double below = GaussianTail.logErfc(25 - 1e-9);
    double above = GaussianTail.logErfc(25);
    assertEquals(below, above, 1e-7);
    // Far beyond the double range of erfc itself: -x^2 - log(x sqrt(pi)) dominates.
    double x = 100;
    assertEquals(-x * x - Math.log(x * Math.sqrt(Math.PI)), GaussianTail.logErfc(x), 1e-4);
  }

  @Test
  void logErfc_negativeArgument_usesTheComplement() {
    assertEquals(Math.log(2 - 0.4795001221869535), GaussianTail.logErfc(-0.5), 1e-14);
    assertEquals(Math.log(2), GaussianTail.logErfc(-40), 1e-15);
  }

  @Test
  void upper_isSymmetricAndExactAtInfinity() {
    assertEquals(0.5, GaussianTail.upper(0), 1e-16);
    assertEquals(0.0, GaussianTail.upper(Double.POSITIVE_INFINITY));
    assertEquals(1.0, GaussianTail.upper(Double.NEGATIVE_INFINITY));
    assertEquals(1.0, GaussianTail.upper(-3) + GaussianTail.upper(3), 1e-15);
    // Phi-bar(10/sqrt 2 * sqrt 2) = erfc(10)/2
    assertEquals(2.0884875837625446e-45 / 2, GaussianTail.upper(10 * Math.sqrt(2)), 1e-13 * 1e-45);
  }

  /** The oracle's far-tail series against log erfc: Phi(x) = erfc(-x/sqrt 2)/2. */
  @Test
  void oracleLogCdf_farTail_agreesWithLogErfc() {
    for (double x : new double[] {-45, -60, -200}) {
      assertEquals(GaussianTail.logErfc(-x / Math.sqrt(2)) + Math.log(0.5), AnalyticGaussian.logCdf(x),
          1e-10 * x * x);
    }
  }
}
