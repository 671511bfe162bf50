package org.dpvideo.dpsgd.layers;

import java.util.Map;

/**
 * The result of one forward and backward pass ({@link DpModel#backward}): activations and gradients
 * by variable name. Its arrays live in the model's step arena and become invalid when the tape is
 * closed; copy what must outlive it. Use once.
 */
public final class GradientTape implements AutoCloseable {
  private final DpModel model;
  private final Map<String, org.nd4j.linalg.api.ndarray.INDArray> outputs;
  private final Map<String, org.nd4j.linalg.api.ndarray.INDArray> gradients;
  private boolean closed;

  GradientTape(DpModel model, Map<String, org.nd4j.linalg.api.ndarray.INDArray> outputs,
      Map<String, org.nd4j.linalg.api.ndarray.INDArray> gradients) {
    this.model = model;
    this.outputs = outputs;
    this.gradients = gradients;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("this GradientTape was closed; its arrays are no longer valid");
    }
  }

  /**
   * A recorded activation.
   *
   * @throws IllegalArgumentException if it was not requested
   */
  public org.nd4j.linalg.api.ndarray.INDArray output(String name) {
    checkOpen();
    var a = outputs.get(name);
    if (a == null) {
      throw new IllegalArgumentException("activation '" + name + "' was not recorded; recorded: " + outputs.keySet());
    }
    return a;
  }

  /**
   * A recorded gradient.
   *
   * @throws IllegalArgumentException if it was not requested
   */
  public org.nd4j.linalg.api.ndarray.INDArray gradient(String name) {
    checkOpen();
    var a = gradients.get(name);
    if (a == null) {
      throw new IllegalArgumentException("gradient of '" + name + "' was not recorded; recorded: " + gradients.keySet());
    }
    return a;
  }

  /** The model's arena, for scratch arrays that live as long as this tape. */
  public org.dpvideo.dpsgd.memory.StepArena arena() {
    checkOpen();
    return model.arena();
  }

  /** Invalidates the arrays and returns their memory for reuse. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      model.closeTape(this);
    }
  }
}
