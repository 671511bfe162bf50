package org.dpvideo.fairness.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.dpvideo.fairness.Provenance;
import org.dpvideo.fairness.metrics.Aggregate;
import org.dpvideo.fairness.metrics.DifferenceMethod;
import org.dpvideo.fairness.metrics.Estimate;
import org.dpvideo.fairness.metrics.GroupEstimate;
import org.dpvideo.fairness.metrics.GroupMetrics;
import org.dpvideo.fairness.release.NoisyGroupStatistic;

/**
 * One metric by group, with counts, intervals and provenance: a fairness table, or a quality or
 * decoding-collapse metric per group.
 *
 * @param metric the metric's name, e.g. {@code nll}
 * @param description what it measures and how to read it
 * @param provenance what data it is computed on
 * @param dataset the data, e.g. "audit split (412 clips, owner-approved for release)"
 * @param higherIsBetter true, false, or null when neither
 * @param overall the metric over all examples, or null
 * @param groups the per-group figures
 * @param aggregates group min/max, differences and ratios (may be empty)
 * @param baseline an optional per-group baseline (e.g. the real-data value of a collapse metric), or empty
 * @param baselineLabel what the baseline is, or null
 * @param baselineProvenance what the baseline is computed on, or null without a baseline
 */
public record GroupTable(String metric, String description, Provenance provenance, String dataset,
    Boolean higherIsBetter, Estimate overall, List<GroupEstimate> groups, List<Aggregate> aggregates,
    List<GroupEstimate> baseline, String baselineLabel, Provenance baselineProvenance) {

  /** Validates and copies. */
  public GroupTable {
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(provenance, "provenance");
    description = description == null ? "" : description;
    dataset = dataset == null ? "" : dataset;
    groups = List.copyOf(groups);
    aggregates = aggregates == null ? List.of() : List.copyOf(aggregates);
    baseline = baseline == null ? List.of() : List.copyOf(baseline);
    if (!baseline.isEmpty() && baselineProvenance == null) {
      throw new IllegalArgumentException("the baseline of '" + metric + "' needs a provenance (what data it comes from)");
    }
  }

  /**
   * A table from a metric frame: overall, per group, min, max, both differences and both ratios (and
   * the signed comparisons to the reference group when the frame has one).
   */
  public static GroupTable from(GroupMetrics frame, String metric, String description, String dataset,
      Boolean higherIsBetter) {
    List<Aggregate> agg = new ArrayList<>();
    agg.add(frame.groupMin(metric));
    agg.add(frame.groupMax(metric));
    for (DifferenceMethod m : DifferenceMethod.values()) {
      agg.add(frame.difference(metric, m));
    }
    for (DifferenceMethod m : DifferenceMethod.values()) {
      agg.add(frame.ratio(metric, m));
    }
    if (frame.options().referenceGroup() != null) {
      String ref = frame.options().referenceGroup().label();
      for (GroupEstimate e : frame.differenceToReference(metric)) {
        agg.add(new Aggregate(metric + "_difference_to_reference[" + e.group().label() + " - " + ref + "]",
            e.value(), e.interval(), List.of(e.group(), frame.options().referenceGroup()), e.group(),
            e.hasValue() ? null : "not reported"));
      }
      for (GroupEstimate e : frame.ratioToReference(metric)) {
        agg.add(new Aggregate(metric + "_ratio_to_reference[" + e.group().label() + " / " + ref + "]",
            e.value(), e.interval(), List.of(e.group(), frame.options().referenceGroup()), e.group(),
            e.hasValue() ? null : "not reported"));
      }
    }
    return new GroupTable(metric, description, frame.provenance(), dataset, higherIsBetter, frame.overall(metric),
        frame.byGroup(metric), agg, List.of(), null, null);
  }

  /** A table from an accounted DP release (no overall figure: it would be a further release). */
  public static GroupTable from(NoisyGroupStatistic release, String description, String dataset,
      Boolean higherIsBetter) {
    return new GroupTable(release.statistic(), description, release.provenance(), dataset, higherIsBetter, null,
        release.groups(), List.of(), List.of(), null, null);
  }

  /** The same table with a per-group baseline (e.g. the real-data value of a collapse metric). */
  public GroupTable withBaseline(List<GroupEstimate> values, String label, Provenance of) {
    return new GroupTable(metric, description, provenance, dataset, higherIsBetter, overall, groups, aggregates,
        values, label, of);
  }

  /** The same table without its baseline. */
  public GroupTable withoutBaseline() {
    return new GroupTable(metric, description, provenance, dataset, higherIsBetter, overall, groups, aggregates,
        List.of(), null, null);
  }
}
