package org.dpvideo.fairness.classify;

/**
 * A classifier's outputs on a table's rows, in row order.
 *
 * @param predicted the arg-max class code per row
 * @param loss the per-row cross-entropy −log p(label | x)
 */
public record Predictions(int[] predicted, double[] loss) {
  /** Validates and copies. */
  public Predictions {
    if (predicted.length != loss.length) {
      throw new IllegalArgumentException("one prediction and one loss per row needed, got " + predicted.length
          + " and " + loss.length);
    }
    predicted = predicted.clone();
    loss = loss.clone();
  }

  @Override
  public int[] predicted() {
    return predicted.clone();
  }

  @Override
  public double[] loss() {
    return loss.clone();
  }

  /** Number of rows. */
  public int size() {
    return predicted.length;
  }
}
