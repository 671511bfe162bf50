package org.dpvideo.dpsgd.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.junit.jupiter.api.Test;

class VocabularyTest {

  @Test
  void gradientFunction_keepsTheVocabularyOps_soActivationGradientsSkipWeightGradients() {
    DpModel model = TinyModels.transformer(1);
    try (GradientTape t = model.backward(TinyModels.transformerBatch(2, 1), List.of(), List.of(model.sites().get(0).output()))) {
      assertTrue(t.gradient(model.sites().get(0).output()).length() > 0);
    }
    SameDiff grad = model.sameDiff().getFunction("grad");
    long linear = grad.getOps().values().stream().filter(o -> o.getOp() instanceof LinearMatmul).count();
    long gather = grad.getOps().values().stream().filter(o -> o.getOp() instanceof TableGather).count();
    long linearSites = model.sites().stream().filter(s -> s instanceof LayerSite.Linear).count();
    assertEquals(linearSites, linear, "every linear layer's product is a LinearMatmul in the gradient function");
    assertEquals(2, gather, "both embeddings are TableGathers in the gradient function");
    long masks = grad.getOps().values().stream().filter(o -> o.getOp() instanceof ConstantAdd).count();
    assertEquals(2, masks, "each block's attention mask is a ConstantAdd (no mask gradient)");
    assertTrue(grad.getOps().values().stream().anyMatch(o -> o.getOp() instanceof ConstantMul), "loss masks are ConstantMuls");
  }

  @Test
  void linearMatmul_gradients_equalStandardMatmulGradients() {
    INDArray x = Nd4j.rand(DataType.FLOAT, 5, 4).subi(0.5);
    INDArray w = Nd4j.rand(DataType.FLOAT, 4, 3).subi(0.5);
    INDArray up = Nd4j.rand(DataType.FLOAT, 5, 3);
    Map<String, INDArray> expected;
    {
      SameDiff sd = SameDiff.create();
      SDVariable xv = sd.var("x", x.dup());
      SDVariable wv = sd.var("w", w.dup());
      sd.mmul(xv, wv).mul(sd.constant(up)).sum().markAsLoss();
      expected = sd.calculateGradients(Map.of(), "x", "w");
    }
    SameDiff sd = SameDiff.create();
    VocabularyOps.ensureRegistered();
    SDVariable xv = sd.var("x", x.dup());
    SDVariable wv = sd.var("w", w.dup());
    new LinearMatmul(sd, xv, wv).outputVariable().mul(sd.constant(up)).sum().markAsLoss();
    Map<String, INDArray> actual = sd.calculateGradients(Map.of(), "x", "w");
    assertTrue(expected.get("x").equalsWithEps(actual.get("x"), 1e-6));
    assertTrue(expected.get("w").equalsWithEps(actual.get("w"), 1e-6));
  }

  @Test
  void tableGather_gradient_addsRepeatedIds() {
    ModelBuilder b = ModelBuilder.create(1);
    SDVariable ids = b.examplePlaceholder("ids", DataType.INT, 3);
    SDVariable out = b.embedding("e", ids, 4, 2);
    b.perExampleLoss(out.reshape(-1, 6).sum(1));
    DpModel m = b.build();
    try (GradientTape t = m.backward(Map.of("ids", Nd4j.createFromArray(new int[][] {{1, 1, 3}})), List.of(),
        List.of("e.table"))) {
      INDArray g = t.gradient("e.table");
      assertEquals(2.0, g.getDouble(1, 0), 1e-6, "id 1 appears twice: gradient 2");
      assertEquals(1.0, g.getDouble(3, 1), 1e-6);
      assertEquals(0.0, g.getDouble(0, 0), 1e-6);
    }
  }

  @Test
  void build_parameterUsedOutsideItsLayer_isRejectedAsTiedWeights() {
    ModelBuilder b = ModelBuilder.create(1);
    SDVariable ids = b.examplePlaceholder("ids", DataType.INT, 2);
    SDVariable h = b.embedding("tok", ids, 5, 3);
    // Tie the output projection to the embedding table by hand.
    SDVariable logits = b.sameDiff().mmul(h, b.sameDiff().getVariable("tok.table"), false, true, false);
    b.perExampleLoss(logits.reshape(-1, 10).sum(1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
    assertTrue(e.getMessage().contains("tok.table") && e.getMessage().contains("tied"), e.getMessage());
  }

  @Test
  void build_variableNotFromTheVocabulary_isRejected() {
    ModelBuilder b = ModelBuilder.create(1);
    SDVariable x = b.examplePlaceholder("x", DataType.FLOAT, 2);
    SDVariable w = b.sameDiff().var("handmade", Nd4j.ones(DataType.FLOAT, 2, 1));
    b.perExampleLoss(b.linear("l", x.mmul(w), 1, 1).reshape(-1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
    assertTrue(e.getMessage().contains("handmade"), e.getMessage());
  }

  @Test
  void layerName_usedTwice_isRejected() {
    ModelBuilder b = ModelBuilder.create(1);
    SDVariable x = b.examplePlaceholder("x", DataType.FLOAT, 2);
    b.linear("l", x, 2, 2);
    assertThrows(IllegalArgumentException.class, () -> b.linear("l", x, 2, 2));
  }

  @Test
  void lora_freezesBaseAndTrainsAdapter() {
    ModelBuilder b = ModelBuilder.create(1);
    SDVariable x = b.examplePlaceholder("x", DataType.FLOAT, 4);
    b.perExampleLoss(b.linear("l", x, LinearSpec.of(4, 3).withLora(2, 2)).sum(1));
    DpModel m = b.build();
    ParameterStore s = m.parameters();
    assertTrue(!s.get("l.weight").trainable() && !s.get("l.bias").trainable());
    assertTrue(s.get("l.lora_a").trainable() && s.get("l.lora_b").trainable());
    assertEquals(4 * 2 + 2 * 3, s.trainableCount());
  }

  @Test
  void inferenceGraph_overTheSameStore_sharesArrays() {
    DpModel train = TinyModels.mlp(2);
    ModelBuilder b = ModelBuilder.over(train.parameters(), 99);
    SDVariable x = b.examplePlaceholder("features", DataType.FLOAT, TinyModels.FEATURES);
    SameDiff sd = b.sameDiff();
    SDVariable h = sd.math.tanh(b.linear("hidden1", x, TinyModels.FEATURES, 7));
    h = sd.math.tanh(b.linear("hidden2", h, 7, 6));
    SDVariable logits = b.linear("out", h, 6, TinyModels.CLASSES);
    b.perExampleLoss(logits.sum(1));
    DpModel infer = b.build();
    Map<String, INDArray> batch = TinyModels.mlpBatch(3, 1);
    INDArray before = infer.output(Map.of("features", batch.get("features")), logits.name()).get(logits.name());
    train.parameters().get("out.bias").value().addi(1.0);
    INDArray after = infer.output(Map.of("features", batch.get("features")), logits.name()).get(logits.name());
    assertTrue(after.sub(before).sub(1.0).amaxNumber().doubleValue() < 1e-5, "the inference graph sees the update");
  }
}
