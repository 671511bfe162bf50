package org.dpvideo.fairness.misalignment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.dpvideo.dpsgd.step.UnprotectedStepObserver.UnprotectedMicroBatchView;
import org.dpvideo.fairness.group.GroupKey;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class MisalignmentObserverTest {
  static final double[][] ROWS = GoldenVectorsTest.ROWS;
  static final int[] GROUPS = {0, 0, 1, 1, 0, 1};

  /** A micro-batch of the golden units {@code from..to-1}; parameters "w" (x, y) and "b" (z). */
  static UnprotectedMicroBatchView view(long step, int from, int to, double[] factors, boolean withGroups) {
    int n = to - from;
    return new UnprotectedMicroBatchView() {
      @Override
      public long step() {
        return step;
      }

      @Override
      public int[] unitIds() {
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
          ids[i] = from + i;
        }
        return ids;
      }

      @Override
      public int[] unitGroups() {
        return withGroups ? java.util.Arrays.copyOfRange(GROUPS, from, to) : null;
      }

      @Override
      public double[] unitNorms() {
        return java.util.Arrays.copyOfRange(PerUnitGradients.ofRows(ROWS).norms(), from, to);
      }

      @Override
      public double[] clipFactors() {
        return java.util.Arrays.copyOfRange(factors, from, to);
      }

      @Override
      public double[] exampleLosses() {
        return new double[n];
      }

      @Override
      public int[] unitOfExample() {
        return unitIds();
      }

      @Override
      public Map<String, INDArray> weightedGradientSum(double[] w) {
        double[] xy = new double[2];
        double[] z = new double[1];
        for (int i = 0; i < n; i++) {
          xy[0] += w[i] * ROWS[from + i][0];
          xy[1] += w[i] * ROWS[from + i][1];
          z[0] += w[i] * ROWS[from + i][2];
        }
        return Map.of("w", Nd4j.createFromArray(xy).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT),
            "b", Nd4j.createFromArray(z));
      }
    };
  }

  @Test
  void observer_twoMicroBatchesOfADueStep_giveTheGoldenDiagnostics() {
    MisalignmentDiagnostics d = new MisalignmentDiagnostics(MisalignmentOptions.training(2));
    // Layers in sorted parameter order: "b" (z) then "w" (x, y).
    Map<GroupKey, LayeredVector> full = Map.of(
        GoldenVectorsTest.G1, LayeredVector.of(new double[] {12.8 / 3}, new double[] {2.2, 1.0}));
    MisalignmentObserver o = new MisalignmentObserver(d, List.of(GoldenVectorsTest.G0, GoldenVectorsTest.G1), 1.0,
        0.1, 1.0, 0.8, step -> full);
    double[] f = GoldenVectorsTest.DPSGD;
    o.onMicroBatch(view(0, 0, 4, f, true));
    o.onMicroBatch(view(0, 4, 6, f, true));
    o.onMicroBatch(view(1, 0, 6, f, true)); // not due: ignored, but it closes step 0
    o.finish();
    assertEquals(1, d.snapshots().size());
    MisalignmentSnapshot s = d.snapshots().get(0);
    assertEquals(0, s.step());
    assertEquals(0.983165, s.alignment().cosBatchVsClipped(), 1e-6);
    assertEquals(2.687833, s.alignment().batchNorm(), 1e-6);
    assertEquals(0.954241, s.alignment().group(GoldenVectorsTest.G1).cosFullVsClippedBatch(), 1e-6);
    assertEquals(0.024083, s.alignment().group(GoldenVectorsTest.G1).directionError(), 1e-6);
    assertEquals(2, s.norms().get(1).clippedCount());
    // First-order terms (Hessian off): η⟨g_D1, r g_B − ḡ_B⟩ = 0.011809.
    assertEquals(0.011809, s.lossTerms().get(0).dir(), 1e-6);
  }

  @Test
  void observer_unitsWithoutGroups_isRefusedWithFix() {
    MisalignmentObserver o = new MisalignmentObserver(new MisalignmentDiagnostics(MisalignmentOptions.training(1)),
        List.of(GoldenVectorsTest.G0, GoldenVectorsTest.G1), 1, 0.1, 1, 1, null);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> o.onMicroBatch(view(0, 0, 6, GoldenVectorsTest.DPSGD, false)));
    assertEquals(true, e.getMessage().contains("group labels"));
  }
}
