package org.dpvideo.finetune.metrics;

import java.util.List;
import org.dpvideo.fairness.metrics.GroupMetrics;
import org.dpvideo.fairness.report.GroupTable;

/**
 * Quality metrics overall and per group.
 *
 * @param tables one table per metric (put them in {@code RunReport.Builder}'s quality section)
 * @param overall every metric over all examples, with its real-data baseline where there is one
 * @param frames the per-group frames the tables come from
 */
public record QualityReport(List<GroupTable> tables, List<MetricComparison> overall, List<GroupMetrics> frames) {

  /** Copies. */
  public QualityReport {
    tables = List.copyOf(tables);
    overall = List.copyOf(overall);
    frames = List.copyOf(frames);
  }

  /** The overall figure of {@code metric}. */
  public MetricComparison overall(String metric) {
    return overall.stream().filter(c -> c.metric().equals(metric)).findFirst().orElseThrow(
        () -> new IllegalArgumentException("no quality metric '" + metric + "'; the metrics are "
            + overall.stream().map(MetricComparison::metric).toList()));
  }
}
