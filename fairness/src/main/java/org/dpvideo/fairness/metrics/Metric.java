package org.dpvideo.fairness.metrics;

import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * A metric of per-example values: evaluated on a multiset of example indices (indices may repeat, as in
 * a bootstrap resample). It must return NaN, never 0, when it is undefined on the given rows (no rows, or
 * e.g. a true-positive rate on rows without positives).
 *
 * <p>Implementations must be thread-safe for concurrent evaluation and must not keep the row arrays.
 */
public interface Metric {

  /** The metric's name, used in outputs ({@code <name>_difference}, {@code <name>_ratio}, ...). */
  String name();

  /** The number of examples the metric is defined over, or -1 when it does not know. */
  default int examples() {
    return -1;
  }

  /**
   * The metric on the examples {@code rows} (indices into the data, possibly repeated).
   *
   * @return the value, or NaN when undefined on these rows
   */
  double evaluate(int[] rows);

  /** A metric from a function of row indices (which must return NaN when undefined). */
  static Metric of(String name, int examples, ToDoubleFunction<int[]> fn) {
    requireName(name);
    Objects.requireNonNull(fn, "fn");
    return new Metric() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public int examples() {
        return examples;
      }

      @Override
      public double evaluate(int[] rows) {
        return fn.applyAsDouble(rows);
      }

      @Override
      public String toString() {
        return "Metric[" + name + "]";
      }
    };
  }

  /**
   * The mean of a per-example value (e.g. per-example loss or NLL). NaN on no rows. Per-example values
   * that are NaN make the mean NaN (they are not skipped).
   */
  static Metric mean(String name, double[] values) {
    double[] v = values.clone();
    return of(name, v.length, rows -> {
      if (rows.length == 0) {
        return Double.NaN;
      }
      double s = 0;
      for (int r : rows) {
        s += v[r];
      }
      return s / rows.length;
    });
  }

  /** The fraction of examples where {@code indicator} is true. NaN on no rows. */
  static Metric rate(String name, boolean[] indicator) {
    boolean[] b = indicator.clone();
    return of(name, b.length, rows -> {
      if (rows.length == 0) {
        return Double.NaN;
      }
      int hits = 0;
      for (int r : rows) {
        if (b[r]) {
          hits++;
        }
      }
      return (double) hits / rows.length;
    });
  }

  /** Accuracy: the fraction of examples with {@code predicted == actual}. NaN on no rows. */
  static Metric accuracy(int[] actual, int[] predicted) {
    requireSameLength(actual, predicted);
    boolean[] correct = new boolean[actual.length];
    for (int i = 0; i < actual.length; i++) {
      correct[i] = actual[i] == predicted[i];
    }
    return rate("accuracy", correct);
  }

  /**
   * Selection rate (Fairlearn {@code selection_rate}): the fraction of examples predicted
   * {@code positive}. NaN on no rows.
   */
  static Metric selectionRate(int[] predicted, int positive) {
    boolean[] sel = new boolean[predicted.length];
    for (int i = 0; i < predicted.length; i++) {
      sel[i] = predicted[i] == positive;
    }
    return rate("selection_rate", sel);
  }

  /**
   * True-positive rate (recall) of class {@code positive}: among rows whose actual label is positive,
   * the fraction predicted positive. NaN when the rows hold no positive example.
   */
  static Metric truePositiveRate(int[] actual, int[] predicted, int positive) {
    return conditionalRate("true_positive_rate", actual, predicted, positive, true);
  }

  /**
   * False-positive rate of class {@code positive}: among rows whose actual label is not positive, the
   * fraction predicted positive. NaN when the rows hold no negative example.
   */
  static Metric falsePositiveRate(int[] actual, int[] predicted, int positive) {
    return conditionalRate("false_positive_rate", actual, predicted, positive, false);
  }

  /**
   * The paired difference {@code a(rows) - b(rows)} on the same rows (e.g. a private model's loss minus
   * a reference model's loss on the same examples), so a bootstrap resamples both together.
   */
  static Metric difference(String name, Metric a, Metric b) {
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    if (a.examples() >= 0 && b.examples() >= 0 && a.examples() != b.examples()) {
      throw new IllegalArgumentException("metrics '" + a.name() + "' and '" + b.name() + "' are defined on "
          + a.examples() + " and " + b.examples() + " examples; a paired difference needs the same examples");
    }
    int n = Math.max(a.examples(), b.examples());
    return of(name, n, rows -> a.evaluate(rows) - b.evaluate(rows));
  }

  private static Metric conditionalRate(String name, int[] actual, int[] predicted, int positive, boolean onPositives) {
    requireSameLength(actual, predicted);
    int[] y = actual.clone();
    int[] p = predicted.clone();
    return of(name, y.length, rows -> {
      int denom = 0;
      int hits = 0;
      for (int r : rows) {
        if ((y[r] == positive) == onPositives) {
          denom++;
          if (p[r] == positive) {
            hits++;
          }
        }
      }
      return denom == 0 ? Double.NaN : (double) hits / denom;
    });
  }

  private static void requireSameLength(int[] actual, int[] predicted) {
    Objects.requireNonNull(actual, "actual");
    Objects.requireNonNull(predicted, "predicted");
    if (actual.length != predicted.length) {
      throw new IllegalArgumentException("actual labels and predictions differ in length: " + actual.length + " vs "
          + predicted.length + "; pass one prediction per example");
    }
  }

  private static void requireName(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a metric needs a non-blank name, got '" + name + "'");
    }
  }
}
