package org.dpvideo.fairness.misalignment;

import java.util.OptionalDouble;
import org.dpvideo.fairness.group.GroupKey;

/**
 * Hessian information of each group's mean loss at the current parameters, H_a = ∇²L(θ; D_a), for the
 * optional second-order terms of the expected-loss decomposition (fairness spec §1.4.5). Implement with
 * exact double back-propagation or, as an approximation the authors did not use, a central difference
 * of gradients Hv ≈ (∇L(θ+εv) − ∇L(θ−εv))/(2ε).
 *
 * <p>Called only on the logging schedule and only when Hessian terms are switched on.
 */
public interface HessianOracle {

  /** H_a·v for group {@code group}; {@code v} has the model's layer layout. */
  LayeredVector hessianVectorProduct(GroupKey group, LayeredVector v);

  /**
   * The exact trace Tr(H_a) when known cheaply (e.g. a diagonal test Hessian); empty to estimate it with
   * Hutchinson's estimator.
   */
  default OptionalDouble trace(GroupKey group) {
    return OptionalDouble.empty();
  }
}
