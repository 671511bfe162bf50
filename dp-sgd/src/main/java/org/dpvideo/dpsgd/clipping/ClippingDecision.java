package org.dpvideo.dpsgd.clipping;

/**
 * A whole step's clipping: the bounds, each unit's factor (in the order of the norms given), and
 * the state for the next step.
 */
public record ClippingDecision(ClippingBounds bounds, double[] factors, ClippingState nextState) {
  public ClippingDecision {
    factors = factors.clone();
  }

  @Override
  public double[] factors() {
    return factors.clone();
  }
}
