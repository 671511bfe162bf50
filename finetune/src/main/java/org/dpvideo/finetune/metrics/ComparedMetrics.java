package org.dpvideo.finetune.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.dpvideo.fairness.Provenance;
import org.dpvideo.fairness.group.GroupAssignment;
import org.dpvideo.fairness.metrics.GroupMetrics;
import org.dpvideo.fairness.metrics.GroupMetricsOptions;
import org.dpvideo.fairness.metrics.Metric;
import org.dpvideo.fairness.report.GroupTable;

/**
 * Builds group metric frames and report tables for named metrics of a measured set, each optionally
 * next to the same metric on a baseline set. Per-sample metrics get the caller's frame options
 * (bootstrap intervals included); set-level metrics (diversity of a set) get no bootstrap, since
 * resampling with replacement duplicates videos and so biases a set's diversity down.
 */
final class ComparedMetrics {
  private ComparedMetrics() {}

  /**
   * One metric.
   *
   * @param name e.g. {@code seq_rep_4}
   * @param description what it measures and how to read it
   * @param higherIsBetter true, false or null (collapse statistics: closer to the baseline is better)
   * @param setLevel whether it is a statistic of a set rather than a mean of per-video values
   * @param measured the metric on the measured set
   * @param baseline the metric on the baseline set, or null
   */
  record Spec(String name, String description, Boolean higherIsBetter, boolean setLevel, Metric measured,
      Metric baseline) {
    Spec {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(measured, "measured");
    }
  }

  record Result(List<GroupTable> tables, List<MetricComparison> overall, List<GroupMetrics> measured,
      List<GroupMetrics> baseline) {}

  static Result build(List<Spec> specs, GroupAssignment measuredGroups, GroupMetricsOptions options, String dataset,
      GroupAssignment baselineGroups, Provenance baselineProvenance, String baselineLabel) {
    List<Metric> perSample = new ArrayList<>();
    List<Metric> setLevel = new ArrayList<>();
    List<Metric> basePerSample = new ArrayList<>();
    List<Metric> baseSetLevel = new ArrayList<>();
    for (Spec s : specs) {
      (s.setLevel() ? setLevel : perSample).add(s.measured());
      if (s.baseline() != null) {
        (s.setLevel() ? baseSetLevel : basePerSample).add(s.baseline());
      }
    }
    List<GroupMetrics> frames = new ArrayList<>();
    GroupMetrics perSampleFrame = perSample.isEmpty() ? null : GroupMetrics.compute(measuredGroups, perSample, options);
    GroupMetrics setFrame = setLevel.isEmpty() ? null
        : GroupMetrics.compute(measuredGroups, setLevel, options.withBootstrap(null));
    addIfPresent(frames, perSampleFrame);
    addIfPresent(frames, setFrame);
    List<GroupMetrics> baseFrames = new ArrayList<>();
    GroupMetrics basePerFrame = null;
    GroupMetrics baseSetFrame = null;
    if (baselineGroups != null) {
      GroupMetricsOptions bo = new GroupMetricsOptions(baselineProvenance, options.minGroupSize(), null, null);
      basePerFrame = basePerSample.isEmpty() ? null : GroupMetrics.compute(baselineGroups, basePerSample, bo);
      baseSetFrame = baseSetLevel.isEmpty() ? null : GroupMetrics.compute(baselineGroups, baseSetLevel, bo);
      addIfPresent(baseFrames, basePerFrame);
      addIfPresent(baseFrames, baseSetFrame);
    }
    List<GroupTable> tables = new ArrayList<>();
    List<MetricComparison> overall = new ArrayList<>();
    for (Spec s : specs) {
      GroupMetrics f = s.setLevel() ? setFrame : perSampleFrame;
      GroupTable t = GroupTable.from(f, s.name(), s.description(), dataset, s.higherIsBetter());
      double base = Double.NaN;
      if (s.baseline() != null && baselineGroups != null) {
        GroupMetrics bf = s.setLevel() ? baseSetFrame : basePerFrame;
        t = t.withBaseline(bf.byGroup(s.name()), baselineLabel, baselineProvenance);
        base = bf.overall(s.name()).value();
      }
      tables.add(t);
      overall.add(new MetricComparison(s.name(), s.description(), f.overall(s.name()).value(), base));
    }
    return new Result(tables, overall, frames, baseFrames);
  }

  private static void addIfPresent(List<GroupMetrics> list, GroupMetrics frame) {
    if (frame != null) {
      list.add(frame);
    }
  }
}
