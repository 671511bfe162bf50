package org.dpvideo.finetune.metrics;

/**
 * One metric over all videos of a set, next to the same statistic on the real-data baseline.
 *
 * @param metric the metric's name, e.g. {@code seq_rep_4}
 * @param description what it measures and how to read it
 * @param value the figure on the measured set (NaN when undefined)
 * @param baseline the figure on the real held-out videos (NaN when none or undefined)
 */
public record MetricComparison(String metric, String description, double value, double baseline) {

  /** {@code value - baseline} (NaN when either is). */
  public double differenceToBaseline() {
    return value - baseline;
  }
}
