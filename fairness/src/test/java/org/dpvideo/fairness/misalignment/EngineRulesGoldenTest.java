package org.dpvideo.fairness.misalignment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.dpvideo.dpsgd.clipping.ClippingDecision;
import org.dpvideo.dpsgd.clipping.ClippingRule;
import org.dpvideo.dpsgd.clipping.Dpsgd;
import org.dpvideo.dpsgd.clipping.DpsgdF;
import org.dpvideo.dpsgd.clipping.DpsgdGlobalAdapt;
import org.dpvideo.dpsgd.clipping.StatisticNoise;
import org.junit.jupiter.api.Test;

/**
 * The spec's golden vectors (§1.4.6) end to end through the path the trainer will use: the DP engine's
 * clipping rules turn the per-unit norms into scale factors (what its internal hook exposes), and the
 * diagnostics compute the expected-loss terms from them.
 */
class EngineRulesGoldenTest {
  static final double TOL = 1e-6;

  static double[] factors(ClippingRule rule) {
    double[] norms = PerUnitGradients.ofRows(GoldenVectorsTest.ROWS).norms();
    int[] groups = GoldenVectorsTest.GROUPS.codes();
    ClippingDecision d = rule.decide(rule.initialState(), norms, groups, StatisticNoise.NOISE_OFF_FOR_TESTS, 6);
    return d.factors();
  }

  static ExpectedLossTerms group1Terms(double[] factors) {
    return GoldenVectorsTest.snapshot(factors).lossTerms().stream()
        .filter(t -> t.group().equals(GoldenVectorsTest.G1)).findFirst().orElseThrow();
  }

  @Test
  void dpsgdRule_factorsIntoDiagnostics_giveSpecTerms() {
    double[] f = factors(new Dpsgd(1));
    assertArrayEquals(GoldenVectorsTest.DPSGD, f, TOL);
    ExpectedLossTerms t = group1Terms(f);
    assertEquals(0.941653, t.clip(), TOL);
    assertEquals(0.011101, t.dir(), TOL);
    assertEquals(0.930552, t.mag(), TOL);
    assertEquals(0.010560, t.noise(), TOL);
  }

  @Test
  void globalAdaptRule_factorsIntoDiagnostics_giveSpecTerms() {
    double[] f = factors(DpsgdGlobalAdapt.withDefaults(1).withInitialBound(4));
    assertArrayEquals(GoldenVectorsTest.GLOBAL_ADAPT, f, TOL);
    ExpectedLossTerms t = group1Terms(f);
    assertEquals(1.042970, t.clip(), TOL);
    assertEquals(0.005289, t.dir(), TOL);
  }

  @Test
  void dpsgdFRule_factorsIntoBatchGradients_areThoseFactorsScaledRows() {
    double[] f = factors(new DpsgdF(1, 10, 2));
    assertArrayEquals(new double[] {1, 0.833333, 0.466667, 1, 1, 0.233333}, f, TOL);
    GroupGradientSums sums = GroupGradientSums.fromPerUnit(PerUnitGradients.ofRows(GoldenVectorsTest.ROWS), f,
        GoldenVectorsTest.GROUPS);
    // ḡ_B by hand: (Σ_i f_i g_i) / 6.
    double[] expected = new double[3];
    for (int i = 0; i < 6; i++) {
      for (int j = 0; j < 3; j++) {
        expected[j] += f[i] * GoldenVectorsTest.ROWS[i][j] / 6;
      }
    }
    assertArrayEquals(expected, sums.clippedBatchGradient().toDoubleArray(), 1e-12);
    BatchAlignment a = BatchAlignment.compute(sums, Map.of());
    assertEquals(List.of(3, 3), List.of(a.groups().get(0).batchCount(), a.groups().get(1).batchCount()));
  }
}
