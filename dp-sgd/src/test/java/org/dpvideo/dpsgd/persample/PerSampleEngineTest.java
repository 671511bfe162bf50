package org.dpvideo.dpsgd.persample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.dpvideo.dpsgd.layers.BatchOfOneOracle;
import org.dpvideo.dpsgd.layers.DecoderLm;
import org.dpvideo.dpsgd.layers.DpModel;
import org.dpvideo.dpsgd.layers.Parameter;
import org.dpvideo.dpsgd.layers.TinyModels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Per-sample gradients of every layer kind against batch-of-one backward passes, to 1e-4 relative. */
class PerSampleEngineTest {
  private static final double REL = 1e-4;

  private static double norm(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x * x;
    }
    return Math.sqrt(s);
  }

  /** ||actual - expected|| / ||expected||. */
  private static double relativeError(double[] actual, double[] expected) {
    double diff = 0;
    for (int i = 0; i < expected.length; i++) {
      diff += (actual[i] - expected[i]) * (actual[i] - expected[i]);
    }
    return Math.sqrt(diff) / norm(expected);
  }

  /**
   * The attention key bias has an exactly zero gradient (softmax ignores a constant added to all of a
   * query's scores), so both sides are float noise there; everything else must match to 1e-4 relative.
   */
  private static boolean analyticallyZero(String parameter) {
    return parameter.endsWith(".k.bias");
  }

  private static double[] flat(INDArray a) {
    return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
  }

  private static void checkAgainstOracle(DpModel model, Map<String, INDArray> batch, int examples, int[] unitOfExample,
      NormStrategy strategy) {
    List<Map<String, double[]>> oracle = BatchOfOneOracle.perExample(model, batch, examples);
    ExampleLayout layout = ExampleLayout.of(unitOfExample);
    PerSampleEngine engine = new PerSampleEngine(model, strategy, Long.MAX_VALUE);
    List<Parameter> params = engine.trainable();
    assertEquals(model.parameters().all().size(), params.size(), "every parameter is trained in this test");
    try (MicroBatch mb = engine.record(batch, layout)) {
      double[] sq = mb.unitSquaredNorms();
      for (int u = 0; u < layout.units(); u++) {
        double expectedSq = 0;
        for (Parameter p : params) {
          double[] sum = new double[(int) p.length()];
          for (int e = 0; e < examples; e++) {
            if (unitOfExample[e] == u) {
              double[] g = oracle.get(e).get(p.name());
              for (int i = 0; i < sum.length; i++) {
                sum[i] += g[i];
              }
            }
          }
          for (double v : sum) {
            expectedSq += v * v;
          }
        }
        assertTrue(expectedSq > 0, "unit " + u + " has a non-zero gradient");
        assertEquals(expectedSq, sq[u], REL * expectedSq, strategy + " squared norm of unit " + u);
        // The unit's own gradient, through a weighted sum with weight 1 on this unit only.
        GradientSums sums = engine.newSums();
        double[] w = new double[layout.units()];
        w[u] = 1;
        mb.addWeightedSum(w, sums);
        for (Parameter p : params) {
          double[] expected = new double[(int) p.length()];
          for (int e = 0; e < examples; e++) {
            if (unitOfExample[e] == u) {
              double[] g = oracle.get(e).get(p.name());
              for (int i = 0; i < expected.length; i++) {
                expected[i] += g[i];
              }
            }
          }
          double[] actual = flat(sums.get(p.name()));
          double unitNorm = Math.sqrt(expectedSq);
          if (analyticallyZero(p.name())) {
            assertTrue(norm(expected) < 1e-5 * unitNorm && norm(actual) < 1e-5 * unitNorm,
                p.name() + " should have a (numerically) zero gradient");
            continue;
          }
          assertTrue(norm(expected) > 1e-5 * unitNorm, p.name() + " of unit " + u + " has a non-trivial gradient");
          double err = relativeError(actual, expected);
          assertTrue(err <= REL, strategy + ": " + p.name() + " of unit " + u + " differs by " + err + " (relative)");
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(NormStrategy.class)
  void transformer_everyLayerKind_matchesBatchOfOneBackward(NormStrategy strategy) {
    DpModel model = TinyModels.transformer(3);
    TinyModels.trainEverything(model, 5);
    checkAgainstOracle(model, TinyModels.transformerBatch(4, 11), 4, new int[] {0, 1, 2, 3}, strategy);
  }

  @ParameterizedTest
  @EnumSource(NormStrategy.class)
  void transformer_subjectUnits_normIsOfTheSumOverTheUnitsExamples(NormStrategy strategy) {
    DpModel model = TinyModels.transformer(4);
    TinyModels.trainEverything(model, 6);
    checkAgainstOracle(model, TinyModels.transformerBatch(5, 12), 5, new int[] {0, 0, 1, 2, 2}, strategy);
  }

  @ParameterizedTest
  @EnumSource(NormStrategy.class)
  void decoderLm_benchmarkModelShape_matchesBatchOfOneBackward(NormStrategy strategy) {
    DecoderLm.Config c = new DecoderLm.Config(19, 5, 8, 2, 2, 2, 0);
    DpModel model = DecoderLm.build(c, 7);
    checkAgainstOracle(model, DecoderLm.randomBatch(c, 3, 8), 3, new int[] {0, 1, 2}, strategy);
  }

  @ParameterizedTest
  @EnumSource(NormStrategy.class)
  void mlp_perExampleGradients_matchBatchOfOneBackward(NormStrategy strategy) {
    DpModel model = TinyModels.mlp(8);
    checkAgainstOracle(model, TinyModels.mlpBatch(6, 13), 6, new int[] {0, 1, 2, 3, 4, 5}, strategy);
  }
}
