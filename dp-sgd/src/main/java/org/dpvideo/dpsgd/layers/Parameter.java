package org.dpvideo.dpsgd.layers;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One named weight array of a model: float32, updated in place by the optimizers, read by every
 * SameDiff graph built over the same {@link ParameterStore} (training and inference graphs share
 * the array). Whether it is trained is a flag of the store
 * ({@link ParameterStore#setTrainable(String, boolean)}); a frozen parameter's gradient is never
 * computed nor released.
 *
 * <p>Not thread-safe: the value is mutated in place by training.
 */
public final class Parameter {
  private final String name;
  private final ParameterRole role;
  private final INDArray value;
  private boolean trainable;

  Parameter(String name, ParameterRole role, INDArray value, boolean trainable) {
    this.name = Objects.requireNonNull(name, "name");
    this.role = Objects.requireNonNull(role, "role");
    this.value = Objects.requireNonNull(value, "value");
    this.trainable = trainable;
  }

  /** The unique name, for example {@code block0.attn.q.weight}. */
  public String name() {
    return name;
  }

  /** What the parameter is within its layer. */
  public ParameterRole role() {
    return role;
  }

  /** The live array (shared with the SameDiff graphs; modify only through an optimizer or checkpoint restore). */
  public INDArray value() {
    return value;
  }

  /** Whether the parameter is trained. */
  public boolean trainable() {
    return trainable;
  }

  void setTrainable(boolean trainable) {
    this.trainable = trainable;
  }

  /** The shape of the value. */
  public long[] shape() {
    return value.shape();
  }

  /** The number of scalars. */
  public long length() {
    return value.length();
  }

  @Override
  public String toString() {
    return name + Arrays.toString(value.shape()) + (trainable ? " trainable" : " frozen");
  }
}
