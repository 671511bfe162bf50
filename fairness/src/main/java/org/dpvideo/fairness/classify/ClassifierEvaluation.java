package org.dpvideo.fairness.classify;

import java.util.List;
import java.util.Objects;
import org.dpvideo.fairness.metrics.GroupEstimate;
import org.dpvideo.fairness.metrics.GroupMetrics;
import org.dpvideo.fairness.metrics.GroupMetricsOptions;
import org.dpvideo.fairness.metrics.Metric;

/**
 * A classifier's accuracy and mean cross-entropy loss on an evaluation table, overall and per group, as a
 * fairness {@link GroupMetrics} frame (metrics {@value #ACCURACY} and {@value #LOSS}; groups below the
 * options' minimum size are suppressed, empty groups reported as empty).
 *
 * <p>Immutable; thread-safe.
 */
public final class ClassifierEvaluation {
  /** The accuracy metric's name. */
  public static final String ACCURACY = "accuracy";
  /** The loss metric's name (mean cross-entropy, nats). */
  public static final String LOSS = "loss";

  private final TabularData data;
  private final Predictions predictions;
  private final Metric accuracy;
  private final Metric loss;
  private final GroupMetrics frame;

  private ClassifierEvaluation(TabularData data, Predictions predictions, GroupMetricsOptions options) {
    this.data = data;
    this.predictions = predictions;
    this.accuracy = Metric.accuracy(data.labels(), predictions.predicted());
    this.loss = Metric.mean(LOSS, predictions.loss());
    this.frame = GroupMetrics.compute(data.groupAssignment(), List.of(accuracy, loss), options);
  }

  /**
   * Evaluates predictions of {@code data}'s rows.
   *
   * @throws IllegalArgumentException if the predictions do not cover the table's rows
   */
  public static ClassifierEvaluation of(TabularData data, Predictions predictions, GroupMetricsOptions options) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(predictions, "predictions");
    Objects.requireNonNull(options, "options");
    if (predictions.size() != data.size()) {
      throw new IllegalArgumentException("got " + predictions.size() + " predictions for " + data.size() + " rows");
    }
    return new ClassifierEvaluation(data, predictions, options);
  }

  /** The evaluated table. */
  public TabularData data() {
    return data;
  }

  /** The predictions. */
  public Predictions predictions() {
    return predictions;
  }

  /** The accuracy metric over the rows (for privacy costs against a reference model). */
  public Metric accuracyMetric() {
    return accuracy;
  }

  /** The loss metric over the rows. */
  public Metric lossMetric() {
    return loss;
  }

  /** The metric frame. */
  public GroupMetrics frame() {
    return frame;
  }

  /** Overall accuracy. */
  public double accuracy() {
    return frame.overall(ACCURACY).value();
  }

  /** Overall mean loss. */
  public double loss() {
    return frame.overall(LOSS).value();
  }

  /** Accuracy per group (NaN for suppressed or empty groups). */
  public List<GroupEstimate> accuracyByGroup() {
    return frame.byGroup(ACCURACY);
  }

  /** Mean loss per group (NaN for suppressed or empty groups). */
  public List<GroupEstimate> lossByGroup() {
    return frame.byGroup(LOSS);
  }
}
