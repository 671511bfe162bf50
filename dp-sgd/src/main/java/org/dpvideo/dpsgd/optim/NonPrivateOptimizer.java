package org.dpvideo.dpsgd.optim;

import java.util.List;
import java.util.Objects;
import org.dpvideo.dpsgd.layers.Parameter;
import org.dpvideo.dpsgd.step.NonPrivateGradient;

/**
 * The optimizer of NON-PRIVATE baselines: applies only {@link NonPrivateGradient}s. A model trained
 * with it has no privacy guarantee. Not thread-safe.
 */
public final class NonPrivateOptimizer {
  private final UpdateRule rule;

  /** An optimizer for the given parameters. */
  public NonPrivateOptimizer(OptimizerConfig config, List<Parameter> parameters) {
    this.rule = new UpdateRule(Objects.requireNonNull(config, "config"), parameters);
  }

  /** Updates the parameters in place (consuming the gradient). */
  public void apply(NonPrivateGradient gradient) {
    rule.apply(gradient.consume());
  }

  /** Updates applied so far. */
  public long iterations() {
    return rule.iterations();
  }
}
