package org.dpvideo.distributed.models;

import org.dpvideo.dpsgd.dataparallel.ModelRecipe;
import org.dpvideo.dpsgd.layers.DpModel;
import org.dpvideo.dpsgd.layers.ModelBuilder;
import org.dpvideo.dpsgd.layers.SequenceLosses;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A tanh MLP classifier: {@code features [B, f]} float, {@code labels [B]} int, two hidden layers,
 * cross-entropy per example; every parameter trained.
 *
 * @param features input width, &gt;= 1
 * @param hidden hidden width, &gt;= 1
 * @param classes classes, &gt;= 2
 * @param seed initial weights
 */
public record MlpRecipe(int features, int hidden, int classes, long seed) implements ModelRecipe {
  public MlpRecipe {
    if (features < 1 || hidden < 1 || classes < 2) {
      throw new IllegalArgumentException("an MLP needs features >= 1, hidden >= 1 and classes >= 2, got " + features
          + ", " + hidden + ", " + classes);
    }
  }

  @Override
  public DpModel build() {
    ModelBuilder b = ModelBuilder.create(seed);
    SameDiff sd = b.sameDiff();
    SDVariable x = b.examplePlaceholder("features", DataType.FLOAT, features);
    SDVariable y = b.examplePlaceholder("labels", DataType.INT);
    SDVariable h = sd.math.tanh(b.linear("hidden1", x, features, hidden));
    h = sd.math.tanh(b.linear("hidden2", h, hidden, hidden));
    SDVariable logits = b.linear("out", h, hidden, classes);
    b.perExampleLoss(SequenceLosses.crossEntropy(sd, logits, y, classes));
    return b.build();
  }

  @Override
  public String describe() {
    return "mlp " + features + "-" + hidden + "-" + hidden + "-" + classes;
  }
}
