package org.dpvideo.dpsgd.step;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.dpvideo.dpsgd.layers.DpModel;
import org.dpvideo.dpsgd.layers.GradientTape;
import org.dpvideo.dpsgd.layers.Parameter;
import org.dpvideo.dpsgd.persample.GradientSums;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A NON-PRIVATE step for baselines: the exact mean gradient of a batch from SameDiff's ordinary
 * backward pass (parameter gradients). Its result type cannot be given to the private optimizers.
 * Not thread-safe; the gradient arrays are reused by the next call.
 */
public final class NonPrivateStep {
  private final DpModel model;
  private final List<Parameter> trainable;
  private final List<String> names = new ArrayList<>();
  private final GradientSums buffers;
  private double lastMeanLoss = Double.NaN;

  /** A step over the model's currently trainable parameters. */
  public NonPrivateStep(DpModel model) {
    this.model = Objects.requireNonNull(model, "model");
    this.trainable = model.parameters().trainable();
    if (trainable.isEmpty()) {
      throw new IllegalArgumentException("the model has no trainable parameter; mark some trainable in its ParameterStore");
    }
    for (Parameter p : trainable) {
      names.add(p.name());
    }
    this.buffers = new GradientSums(trainable);
  }

  /** The parameters it computes gradients for. */
  public List<Parameter> trainable() {
    return trainable;
  }

  /**
   * The mean gradient over the batch's examples.
   *
   * @throws NonFiniteGradientException if the loss or a gradient is not finite
   */
  public NonPrivateGradient gradient(Map<String, INDArray> placeholders) {
    try (GradientTape tape = model.backward(placeholders, List.of(model.perExampleLoss()), names)) {
      INDArray losses = tape.output(model.perExampleLoss());
      long b = losses.length();
      double mean = losses.sumNumber().doubleValue() / b;
      if (!Double.isFinite(mean)) {
        throw new NonFiniteGradientException("the batch loss is not finite (" + mean + "); the parameters are unchanged");
      }
      Map<String, INDArray> out = new LinkedHashMap<>();
      for (String n : names) {
        INDArray target = buffers.get(n);
        target.assign(tape.gradient(n)).divi(b);
        out.put(n, target);
      }
      if (!Double.isFinite(buffers.squaredNorm())) {
        throw new NonFiniteGradientException("a gradient is not finite; the parameters are unchanged");
      }
      lastMeanLoss = mean;
      return new NonPrivateGradient(out);
    }
  }

  /** The mean loss of the last batch (not private). */
  public double lastMeanLoss() {
    return lastMeanLoss;
  }
}
