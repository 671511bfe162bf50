package org.dpvideo.fairness.classify;

import java.util.List;
import org.dpvideo.dpsgd.layers.DpModel;
import org.dpvideo.dpsgd.layers.LinearSpec;
import org.dpvideo.dpsgd.layers.ModelBuilder;
import org.dpvideo.dpsgd.layers.SequenceLosses;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A multi-layer perceptron classifier built from the DP engine's layer vocabulary: {@code features [B, d]}
 * → (linear → activation) per hidden width → linear head → logits {@code [B, classes]}; the per-example
 * loss is softmax cross-entropy with the integer label (the fairness spec's tabular model is a tanh MLP
 * 256-256, spec §2.7). Weights start from N(0, 1/fan-in) drawn with the given seed, biases at 0.
 *
 * @param inputs number of features, &gt;= 1
 * @param hidden hidden widths (may be empty: logistic regression), each &gt;= 1
 * @param classes number of classes, &gt;= 2
 * @param activation the hidden activation
 */
public record MlpSpec(int inputs, List<Integer> hidden, int classes, Activation activation) {

  /** Name of the features placeholder ({@code float [B, inputs]}). */
  public static final String FEATURES = "features";
  /** Name of the labels placeholder ({@code int [B]}). */
  public static final String LABELS = "labels";

  /** Validates and copies. */
  public MlpSpec {
    if (inputs < 1) {
      throw new IllegalArgumentException("an MLP needs at least one input feature, got " + inputs);
    }
    hidden = List.copyOf(hidden);
    for (int h : hidden) {
      if (h < 1) {
        throw new IllegalArgumentException("hidden layer widths must be >= 1, got " + hidden
            + "; for example 256,256");
      }
    }
    if (classes < 2) {
      throw new IllegalArgumentException("a classifier needs at least two classes, got " + classes);
    }
    java.util.Objects.requireNonNull(activation, "activation");
  }

  /** The model and the name of its logits variable. */
  public record Built(DpModel model, String logits) {}

  /** Builds the model with initial weights drawn from {@code initSeed}. */
  public Built build(long initSeed) {
    ModelBuilder b = ModelBuilder.create(initSeed);
    SameDiff sd = b.sameDiff();
    SDVariable x = b.examplePlaceholder(FEATURES, DataType.FLOAT, inputs);
    SDVariable y = b.examplePlaceholder(LABELS, DataType.INT);
    SDVariable h = x;
    int width = inputs;
    for (int l = 0; l < hidden.size(); l++) {
      SDVariable z = b.linear("hidden" + (l + 1), h, LinearSpec.of(width, hidden.get(l)));
      h = activation == Activation.TANH ? sd.math.tanh(z) : sd.nn.relu(z, 0);
      width = hidden.get(l);
    }
    SDVariable logits = b.linear("head", h, LinearSpec.of(width, classes));
    b.perExampleLoss(SequenceLosses.crossEntropy(sd, logits, y, classes));
    return new Built(b.build(), logits.name());
  }

  /** Number of trainable parameters. */
  public long parameterCount() {
    long n = 0;
    int width = inputs;
    for (int h : hidden) {
      n += (long) width * h + h;
      width = h;
    }
    return n + (long) width * classes + classes;
  }
}
