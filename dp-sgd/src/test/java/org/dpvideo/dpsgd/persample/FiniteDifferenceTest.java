package org.dpvideo.dpsgd.persample;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.dpvideo.dpsgd.layers.DecoderLm;
import org.dpvideo.dpsgd.layers.DpModel;
import org.dpvideo.dpsgd.layers.Parameter;
import org.dpvideo.dpsgd.layers.TinyModels;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An oracle independent of every backward pass: the engine's gradient, summed over examples with
 * weights w, along a random direction v must match the central difference of the weighted loss
 * {@code sum_e w_e loss_e} (forward passes only). Catches a wrong backward anywhere (for example
 * SameDiff's cross-entropy ops, whose backward ignores the incoming gradient).
 */
class FiniteDifferenceTest {

  private static double weightedLoss(DpModel model, Map<String, INDArray> batch, double[] w) {
    INDArray losses = model.output(batch, model.perExampleLoss()).get(model.perExampleLoss());
    double s = 0;
    for (int e = 0; e < w.length; e++) {
      s += w[e] * losses.getDouble(e);
    }
    return s;
  }

  private static void check(DpModel model, Map<String, INDArray> batch, int examples, long seed) {
    Random r = new Random(seed);
    double[] w = new double[examples];
    for (int e = 0; e < examples; e++) {
      w[e] = e % 3 == 0 ? 0 : r.nextDouble() * 2;
    }
    PerSampleEngine engine = new PerSampleEngine(model, NormStrategy.AUTO, Long.MAX_VALUE);
    GradientSums g = engine.newSums();
    try (MicroBatch mb = engine.record(batch, ExampleLayout.perExample(examples))) {
      mb.addWeightedSum(w, g);
    }
    List<Parameter> params = engine.trainable();
    double directional = 0;
    Map<String, INDArray> dirs = new java.util.HashMap<>();
    double vnorm = 0;
    for (Parameter p : params) {
      INDArray v = Nd4j.randn(DataType.FLOAT, p.shape());
      dirs.put(p.name(), v);
      vnorm += Math.pow(v.norm2Number().doubleValue(), 2);
    }
    vnorm = Math.sqrt(vnorm);
    double eps = 1e-2;
    for (Parameter p : params) {
      INDArray v = dirs.get(p.name()).divi(vnorm);
      directional += g.get(p.name()).castTo(DataType.DOUBLE).mul(v.castTo(DataType.DOUBLE)).sumNumber().doubleValue();
      p.value().addi(v.mul(eps));
    }
    double plus = weightedLoss(model, batch, w);
    for (Parameter p : params) {
      p.value().subi(dirs.get(p.name()).mul(2 * eps));
    }
    double minus = weightedLoss(model, batch, w);
    for (Parameter p : params) {
      p.value().addi(dirs.get(p.name()).mul(eps));
    }
    double fd = (plus - minus) / (2 * eps);
    assertEquals(fd, directional, 2e-2 * Math.abs(fd) + 1e-4, "directional derivative: finite difference " + fd
        + " vs engine " + directional);
  }

  @Test
  void transformer_weightedGradientSum_matchesFiniteDifferences() {
    Nd4j.getRandom().setSeed(1);
    DpModel model = TinyModels.transformer(41);
    TinyModels.trainEverything(model, 42);
    check(model, TinyModels.transformerBatch(5, 43), 5, 44);
  }

  @Test
  void decoderLmWithLora_weightedGradientSum_matchesFiniteDifferences() {
    Nd4j.getRandom().setSeed(3);
    DecoderLm.Config c = new DecoderLm.Config(17, 6, 8, 2, 2, 3, 2);
    DpModel model = DecoderLm.build(c, 48);
    TinyModels.trainEverything(model, 49);
    check(model, DecoderLm.randomBatch(c, 4, 50), 4, 51);
  }

  @Test
  void mlp_weightedGradientSum_matchesFiniteDifferences() {
    Nd4j.getRandom().setSeed(2);
    DpModel model = TinyModels.mlp(45);
    check(model, TinyModels.mlpBatch(7, 46), 7, 47);
  }
}
