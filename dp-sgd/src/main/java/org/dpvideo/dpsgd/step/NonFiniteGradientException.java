package org.dpvideo.dpsgd.step;

/**
 * A step met a NaN or infinite loss or gradient. The step released nothing: no noise was added,
 * nothing was accounted, and the parameters, optimizer and clipping state are unchanged.
 */
public final class NonFiniteGradientException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  NonFiniteGradientException(String message) {
    super(message);
  }
}
