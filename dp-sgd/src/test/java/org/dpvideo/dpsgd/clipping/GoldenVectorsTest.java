package org.dpvideo.dpsgd.clipping;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The golden vectors of fairness-spec section 1.4.6 (noise off), for all four rules. */
class GoldenVectorsTest {
  private static final double[][] G = {
      {0.3, 0.4, 0}, {1.2, 1.6, 0}, {0, 3, 4}, {0.6, 0, 0.8}, {-0.3, 0, 0.4}, {6, 0, 8}};
  private static final int[] GROUPS = {0, 0, 1, 1, 0, 1};
  private static final double TOL = 1e-6;

  private static double[] norms() {
    double[] n = new double[G.length];
    for (int i = 0; i < G.length; i++) {
      n[i] = Math.sqrt(G[i][0] * G[i][0] + G[i][1] * G[i][1] + G[i][2] * G[i][2]);
    }
    return n;
  }

  private static double[] meanScaled(double[] factors) {
    double[] out = new double[3];
    for (int i = 0; i < G.length; i++) {
      for (int j = 0; j < 3; j++) {
        out[j] += factors[i] * G[i][j] / G.length;
      }
    }
    return out;
  }

  private static double cos(double[] a, double[] b) {
    double ab = 0;
    double aa = 0;
    double bb = 0;
    for (int j = 0; j < a.length; j++) {
      ab += a[j] * b[j];
      aa += a[j] * a[j];
      bb += b[j] * b[j];
    }
    return ab / Math.sqrt(aa * bb);
  }

  @Test
  void norms_ofTheGoldenRows_areAsListed() {
    assertArrayEquals(new double[] {0.5, 2, 5, 1, 0.5, 10}, norms(), 1e-12);
    assertArrayEquals(new double[] {1.3, 0.833333, 2.2}, meanScaled(new double[] {1, 1, 1, 1, 1, 1}), TOL);
  }

  @Test
  void dpsgd_goldenVector_factorsAndClippedMeanMatch() {
    ClippingRule rule = new Dpsgd(1);
    ClippingDecision d = rule.decide(rule.initialState(), norms(), GROUPS, StatisticNoise.NOISE_OFF_FOR_TESTS, 6);
    assertArrayEquals(new double[] {1, 0.5, 0.2, 0.999999, 1, 0.1}, d.factors(), TOL);
    double[] gbar = meanScaled(d.factors());
    assertArrayEquals(new double[] {0.3, 0.3, 0.466666}, gbar, TOL);
    assertEquals(0.983165, cos(new double[] {1.3, 5.0 / 6, 2.2}, gbar), TOL);
    assertEquals(1.0, d.bounds().sensitivity());
  }

  @Test
  void global_goldenVector_factorsAndClippedMeanMatch() {
    ClippingRule rule = new DpsgdGlobal(1, 4);
    ClippingDecision d = rule.decide(rule.initialState(), norms(), GROUPS, StatisticNoise.NOISE_OFF_FOR_TESTS, 6);
    assertArrayEquals(new double[] {0.25, 0.25, 0, 0.25, 0.25, 0}, d.factors(), TOL);
    double[] gbar = meanScaled(d.factors());
    assertArrayEquals(new double[] {0.075, 0.083333, 0.05}, gbar, TOL);
    assertEquals(0.839348, cos(new double[] {1.3, 5.0 / 6, 2.2}, gbar), TOL);
  }

  @Test
  void globalAdapt_goldenVector_factorsCountAndNextBoundMatch() {
    DpsgdGlobalAdapt rule = DpsgdGlobalAdapt.withDefaults(1).withInitialBound(4);
    ClippingState start = rule.initialState();
    // The spec's vector divides the count by the batch of 6; with the expected batch size 6 that is the same.
    ClippingDecision d = rule.decide(start, norms(), GROUPS, StatisticNoise.NOISE_OFF_FOR_TESTS, 6);
    assertArrayEquals(new double[] {0.25, 0.25, 0.2, 0.25, 0.25, 0.1}, d.factors(), TOL);
    assertEquals(2, rule.largeCount(4, norms()));
    assertEquals(5.051209, ((ClippingState.AdaptiveBound) d.nextState()).strictBound(), TOL);
    assertEquals(4 * Math.exp(1.0 / 3 - 0.1), ((ClippingState.AdaptiveBound) d.nextState()).strictBound(), 1e-12);
    double[] gbar = meanScaled(d.factors());
    assertArrayEquals(new double[] {0.175, 0.183333, 0.316667}, gbar, TOL);
    assertEquals(0.987847, cos(new double[] {1.3, 5.0 / 6, 2.2}, gbar), TOL);
  }

  @Test
  void dpsgdF_goldenVector_boundsFactorsAndNoiseScaleMatch() {
    ClippingRule rule = new DpsgdF(1, 10, 2);
    ClippingDecision d = rule.decide(rule.initialState(), norms(), GROUPS, StatisticNoise.NOISE_OFF_FOR_TESTS, 6);
    assertArrayEquals(new double[] {1, 2}, d.bounds().released().get("noisy_large_counts"), 0);
    assertArrayEquals(new double[] {2, 1}, d.bounds().released().get("noisy_small_counts"), 0);
    assertArrayEquals(new double[] {1.666667, 2.333333}, d.bounds().groupClipNorms(), TOL);
    assertArrayEquals(new double[] {1, 0.833333, 0.466667, 1, 1, 0.233333}, d.factors(), TOL);
    assertEquals(2.333333, d.bounds().sensitivity(), TOL);
  }
}
