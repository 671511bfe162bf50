package org.dpvideo.dpsgd.step;

import java.util.Collections;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The exact mean gradient of a batch, for non-private baselines (a reference model for fairness
 * privacy-cost reports, the benchmark). It is NOT private; the private optimizers do not accept it.
 * Use once.
 */
public final class NonPrivateGradient {
  private final Map<String, INDArray> values;
  private boolean consumed;

  NonPrivateGradient(Map<String, INDArray> values) {
    this.values = Collections.unmodifiableMap(values);
  }

  /** The gradient of each trained parameter (do not modify). */
  public Map<String, INDArray> values() {
    if (consumed) {
      throw new IllegalStateException("this gradient was already applied");
    }
    return values;
  }

  /** Marks the gradient used and returns its arrays for an in-place update. */
  public Map<String, INDArray> consume() {
    if (consumed) {
      throw new IllegalStateException("this gradient was already applied");
    }
    consumed = true;
    return values;
  }
}
