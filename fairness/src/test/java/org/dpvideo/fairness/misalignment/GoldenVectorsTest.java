package org.dpvideo.fairness.misalignment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.dpvideo.fairness.group.GroupAssignment;
import org.dpvideo.fairness.group.GroupKey;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The golden vectors of fairness spec §1.4.6 (a numpy port of the reference code's rules, noise off):
 * 6 units, P = 3, groups [0,0,1,1,0,1], C = 1, Z = 4, η = 0.1, σ = 0.8, H_0 = diag(1, 2, 0.5),
 * H_1 = diag(0.2, 0.1, 3), L = (0.3, 1.1), g_{D_k} := g_{B_k}. Scale factors are the spec's
 * optimizer-style factors (the clipping rules themselves live in the DP engine).
 */
class GoldenVectorsTest {
  static final double TOL = 1e-6;
  static final double[][] ROWS = {
      {0.3, 0.4, 0}, {1.2, 1.6, 0}, {0, 3, 4}, {0.6, 0, 0.8}, {-0.3, 0, 0.4}, {6, 0, 8}};
  static final GroupKey G0 = GroupKey.of("group", "0");
  static final GroupKey G1 = GroupKey.of("group", "1");
  static final GroupAssignment GROUPS = new GroupAssignment(List.of(G0, G1), new int[] {0, 0, 1, 1, 0, 1});
  static final double[] DPSGD = {1, 0.5, 0.2, 1 / (1 + 1e-6), 1, 0.1};
  static final double[] GLOBAL = {0.25, 0.25, 0, 0.25, 0.25, 0};
  static final double[] GLOBAL_ADAPT = {0.25, 0.25, 0.2, 0.25, 0.25, 0.1};

  static final HessianOracle DIAGONAL = new HessianOracle() {
    @Override
    public LayeredVector hessianVectorProduct(GroupKey group, LayeredVector v) {
      double[] h = group.equals(G0) ? new double[] {1, 2, 0.5} : new double[] {0.2, 0.1, 3};
      double[] x = v.toDoubleArray();
      return LayeredVector.of(new double[] {h[0] * x[0], h[1] * x[1], h[2] * x[2]});
    }
  };

  @Test
  void norms_goldenRows_matchSpec() {
    assertArrayEquals(new double[] {0.5, 2, 5, 1, 0.5, 10}, PerUnitGradients.ofRows(ROWS).norms(), 1e-12);
  }

  @Test
  void batchGradients_goldenRows_matchSpec() {
    GroupGradientSums dpsgd = GroupGradientSums.fromPerUnit(PerUnitGradients.ofRows(ROWS), DPSGD, GROUPS);
    assertArrayEquals(new double[] {1.3, 0.833333, 2.2}, dpsgd.batchGradient().toDoubleArray(), TOL);
    assertEquals(2.687833, dpsgd.batchGradient().norm(), TOL);
    assertArrayEquals(new double[] {0.3, 0.3, 0.466666}, dpsgd.clippedBatchGradient().toDoubleArray(), 2e-6);
    assertEquals(0.983165, BatchAlignment.compute(dpsgd, Map.of()).cosBatchVsClipped(), TOL);

    GroupGradientSums global = GroupGradientSums.fromPerUnit(PerUnitGradients.ofRows(ROWS), GLOBAL, GROUPS);
    assertArrayEquals(new double[] {0.075, 0.083333, 0.05}, global.clippedBatchGradient().toDoubleArray(), TOL);
    assertEquals(0.839348, BatchAlignment.compute(global, Map.of()).cosBatchVsClipped(), TOL);

    GroupGradientSums adapt = GroupGradientSums.fromPerUnit(PerUnitGradients.ofRows(ROWS), GLOBAL_ADAPT, GROUPS);
    assertArrayEquals(new double[] {0.175, 0.183333, 0.316667}, adapt.clippedBatchGradient().toDoubleArray(), TOL);
    assertEquals(0.987847, BatchAlignment.compute(adapt, Map.of()).cosBatchVsClipped(), TOL);
  }

  @Test
  void clipCounts_globalAdaptThreshold_giveSpecLargeCount() {
    double[] norms = PerUnitGradients.ofRows(ROWS).norms();
    // b_t = #{n_i > γ Z} with γ = 1, Z = 4: 2 of 6 units, fraction 1/3.
    List<GroupNormStats> s = GroupNormStats.compute(norms, GLOBAL_ADAPT, GROUPS, 4.0);
    assertEquals(2, s.get(0).clippedCount() + s.get(1).clippedCount());
    assertEquals(1.0 / 3, (s.get(0).clippedCount() + s.get(1).clippedCount()) / 6.0, 1e-12);
  }

  @Test
  void clipCounts_dpsgdFThreshold_giveSpecPerGroupCounts() {
    double[] norms = PerUnitGradients.ofRows(ROWS).norms();
    // DPSGD-F with C0 = 1: m = [1, 2] above C0, o = [2, 1] at or below, r = m / (m + o) = [1/3, 2/3].
    List<GroupNormStats> s = GroupNormStats.compute(norms, DPSGD, GROUPS, 1.0);
    assertEquals(1, s.get(0).clippedCount());
    assertEquals(2, s.get(1).clippedCount());
    assertEquals(2, s.get(0).count() - s.get(0).clippedCount());
    assertEquals(1, s.get(1).count() - s.get(1).clippedCount());
    assertEquals(1.0 / 3, s.get(0).fractionClipped(), 1e-12);
    assertEquals(2.0 / 3, s.get(1).fractionClipped(), 1e-12);
  }

  @Test
  void expectedLoss_dpsgdGroup1_matchesSpec() {
    ExpectedLossTerms t = terms(DPSGD, G1);
    assertEquals(0.941653, t.clip(), TOL);
    assertEquals(0.011101, t.dir(), TOL);
    assertEquals(0.930552, t.mag(), TOL);
    assertEquals(0.010560, t.noise(), TOL);
    assertEquals(0, t.dir() + t.mag() - t.clip(), 1e-15);
  }

  @Test
  void expectedLoss_globalAdaptGroup1_matchesSpec() {
    ExpectedLossTerms t = terms(GLOBAL_ADAPT, G1);
    assertEquals(1.042970, t.clip(), TOL);
    assertEquals(0.005289, t.dir(), TOL);
    assertEquals(0, t.dir() + t.mag() - t.clip(), 1e-15);
  }

  @Test
  void expectedLoss_dpsgdGroup1_everyTermMatchesIndependentComputation() {
    // Terms written out by hand from the formulas with g_D1 = g_B1 = (2.2, 1, 4.266667), numbers from an
    // independent numpy evaluation of spec §1.4.5.
    ExpectedLossTerms t = terms(DPSGD, G1);
    assertEquals(-0.133363, t.nonPrivate(), TOL);
    assertEquals(0.011809, t.dirInnerProduct(), TOL);
    assertEquals(-0.000708, t.dirHessian(), TOL);
    assertEquals(1.001080, t.magInnerProduct(), TOL);
    assertEquals(-0.070528, t.magHessian(), TOL);
    MisalignmentSnapshot s = snapshot(DPSGD);
    GroupAlignment a = s.alignment().group(G1);
    assertEquals(0.999820, a.cosFullVsClippedGroupBatch(), TOL);
    assertEquals(0.992426, a.cosFullVsBatch(), TOL);
    assertEquals(0.954241, a.cosFullVsClippedBatch(), TOL);
    assertEquals(0.024083, a.directionError(), TOL);
    assertEquals(1.0, a.cosFullVsGroupBatch(), 1e-12);
  }

  @Test
  void expectedLoss_hutchinsonTrace_equalsExactTraceForDiagonalHessian() {
    HessianOracle noTrace = DIAGONAL::hessianVectorProduct;
    MisalignmentOptions o = MisalignmentOptions.training(1).withHessian(new HessianOptions(3, 7));
    MisalignmentSnapshot s = MisalignmentDiagnostics.compute(observation(DPSGD).withHessian(noTrace), o);
    assertEquals(0.010560, s.lossTerms().get(1).noise(), TOL);
    assertEquals(0.011200, s.lossTerms().get(0).noise(), TOL);
  }

  @Test
  void expectedLoss_hessianOff_givesFirstOrderTermsAndNaNNoise() {
    MisalignmentSnapshot s = MisalignmentDiagnostics.compute(observation(DPSGD), MisalignmentOptions.training(1));
    ExpectedLossTerms t = s.lossTerms().get(1);
    assertEquals(false, t.hessianIncluded());
    assertEquals(0.011809, t.dir(), TOL);
    assertEquals(1.001080, t.mag(), TOL);
    assertEquals(Double.NaN, t.noise());
    assertEquals(Double.NaN, t.dirHessian());
  }

  @Test
  void layered_splitAcrossLayers_givesSameFiguresAsOneLayer() {
    double[][] a = new double[6][2];
    double[][] b = new double[6][1];
    for (int i = 0; i < 6; i++) {
      a[i][0] = ROWS[i][0];
      a[i][1] = ROWS[i][1];
      b[i][0] = ROWS[i][2];
    }
    PerUnitGradients layered = new PerUnitGradients(List.of(Nd4j.createFromArray(a), Nd4j.createFromArray(b)));
    assertArrayEquals(PerUnitGradients.ofRows(ROWS).norms(), layered.norms(), 1e-12);
    GroupGradientSums sums = GroupGradientSums.fromPerUnit(layered, GLOBAL_ADAPT, GROUPS);
    double[] g1 = GroupGradientSums.fromPerUnit(PerUnitGradients.ofRows(ROWS), GLOBAL_ADAPT, GROUPS)
        .batchGradient().toDoubleArray();
    Map<GroupKey, LayeredVector> full = Map.of(G1, LayeredVector.of(new double[] {2.2, 1}, new double[] {12.8 / 3}));
    BatchAlignment al = BatchAlignment.compute(sums, full);
    assertEquals(0.965088, al.group(G1).cosFullVsClippedBatch(), TOL);
    assertEquals(0.011088, al.group(G1).directionError(), TOL);
    assertArrayEquals(g1, sums.batchGradient().toDoubleArray(), 1e-12);
  }

  static StepObservation observation(double[] scale) {
    PerUnitGradients g = PerUnitGradients.ofRows(ROWS);
    GroupGradientSums sums = GroupGradientSums.fromPerUnit(g, scale, GROUPS);
    // g_{D_k} := g_{B_k}, the group means of the unscaled rows.
    Map<GroupKey, LayeredVector> full = Map.of(
        G0, LayeredVector.of(new double[] {1.2 / 3, 2.0 / 3, 0.4 / 3}),
        G1, LayeredVector.of(new double[] {6.6 / 3, 1.0, 12.8 / 3}));
    return StepObservation.ofNorms(0, g.norms(), scale, GROUPS, 1.0, 0.1, 1.0, 0.8)
        .withGradients(sums, full)
        .withGroupLosses(Map.of(G0, 0.3, G1, 1.1));
  }

  static MisalignmentSnapshot snapshot(double[] scale) {
    HessianOracle exactTrace = new HessianOracle() {
      @Override
      public LayeredVector hessianVectorProduct(GroupKey group, LayeredVector v) {
        return DIAGONAL.hessianVectorProduct(group, v);
      }

      @Override
      public OptionalDouble trace(GroupKey group) {
        return OptionalDouble.of(group.equals(G0) ? 3.5 : 3.3);
      }
    };
    MisalignmentOptions o = MisalignmentOptions.training(1).withHessian(HessianOptions.defaults(1));
    return MisalignmentDiagnostics.compute(observation(scale).withHessian(exactTrace), o);
  }

  static ExpectedLossTerms terms(double[] scale, GroupKey group) {
    return snapshot(scale).lossTerms().stream().filter(t -> t.group().equals(group)).findFirst().orElseThrow();
  }
}
