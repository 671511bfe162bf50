package org.dpvideo.dpsgd.optim;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.dpvideo.dpsgd.layers.Parameter;
import org.dpvideo.dpsgd.step.NoisyGradient;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The optimizer of private training: it applies only {@link NoisyGradient}s, which only the private
 * step creates. The update is post-processing of the released gradient and costs no privacy.
 * Not thread-safe.
 */
public final class Optimizer {
  private final UpdateRule rule;

  /** An optimizer for the given (trained) parameters. */
  public Optimizer(OptimizerConfig config, List<Parameter> parameters) {
    this.rule = new UpdateRule(Objects.requireNonNull(config, "config"), parameters);
  }

  /**
   * Updates the parameters in place with a released gradient (consuming it).
   *
   * @throws IllegalStateException if the gradient was already used
   */
  public void apply(NoisyGradient gradient) {
    rule.apply(gradient.consume());
  }

  /** Updates applied so far. */
  public long iterations() {
    return rule.iterations();
  }

  /** The optimizer's state arrays by parameter name (momentum, or Adam's m and v), for checkpoints. */
  public Map<String, INDArray> state() {
    return rule.state();
  }

  /** Restores a checkpointed state. */
  public void restore(long iterations, Map<String, INDArray> state) {
    rule.restore(iterations, state);
  }
}
