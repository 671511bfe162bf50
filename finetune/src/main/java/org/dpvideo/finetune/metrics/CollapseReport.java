package org.dpvideo.finetune.metrics;

import java.util.List;
import org.dpvideo.fairness.metrics.GroupMetrics;
import org.dpvideo.fairness.report.GroupTable;

/**
 * The decoding-collapse statistics of generated videos next to real held-out videos, overall and per
 * group.
 *
 * @param tables one table per metric, per group, each carrying the real-data baseline per group (put
 *     them in {@code RunReport.Builder}'s collapse section)
 * @param overall every metric over all videos with its overall baseline (for summaries and metrics JSON)
 * @param generated the per-group frame of the generated videos (per-sample and set-level metrics)
 * @param baseline the per-group frame of the real videos
 */
public record CollapseReport(List<GroupTable> tables, List<MetricComparison> overall, List<GroupMetrics> generated,
    List<GroupMetrics> baseline) {

  /** Copies. */
  public CollapseReport {
    tables = List.copyOf(tables);
    overall = List.copyOf(overall);
    generated = List.copyOf(generated);
    baseline = List.copyOf(baseline);
  }

  /** The overall comparison of {@code metric}. */
  public MetricComparison overall(String metric) {
    return overall.stream().filter(c -> c.metric().equals(metric)).findFirst().orElseThrow(
        () -> new IllegalArgumentException("no collapse metric '" + metric + "'; the metrics are "
            + overall.stream().map(MetricComparison::metric).toList()));
  }
}
