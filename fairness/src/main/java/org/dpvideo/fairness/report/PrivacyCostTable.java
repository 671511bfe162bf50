package org.dpvideo.fairness.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.dpvideo.fairness.Provenance;
import org.dpvideo.fairness.cost.GroupGap;
import org.dpvideo.fairness.cost.MetricOrientation;
import org.dpvideo.fairness.cost.PrivacyCost;
import org.dpvideo.fairness.cost.PrivacyCostSummary;
import org.dpvideo.fairness.cost.ReferenceModel;
import org.dpvideo.fairness.group.GroupKey;
import org.dpvideo.fairness.metrics.Aggregate;
import org.dpvideo.fairness.metrics.ConfidenceInterval;
import org.dpvideo.fairness.metrics.GroupEstimate;
import org.dpvideo.fairness.metrics.GroupStatus;

/**
 * Privacy cost per group against a stated reference model.
 *
 * @param metric the metric (e.g. {@code nll})
 * @param orientation whether larger is better (fixes the sign: positive cost = harm)
 * @param reference the reference model and its provenance
 * @param provenance provenance of the costs (internal when the reference is a private shadow run)
 * @param dataset the evaluation data
 * @param rows per-group private value, reference value and cost
 * @param maxGap the largest gap between groups
 * @param gaps selected pairwise gaps (PCG / ERG)
 * @param seeds mean and spread over seeds, or null for a single seed
 */
public record PrivacyCostTable(String metric, MetricOrientation orientation, ReferenceModel reference,
    Provenance provenance, String dataset, List<CostRow> rows, Aggregate maxGap, List<GroupGap> gaps,
    PrivacyCostSummary seeds) {

  /** Validates and copies. */
  public PrivacyCostTable {
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(orientation, "orientation");
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(provenance, "provenance");
    dataset = dataset == null ? "" : dataset;
    rows = List.copyOf(rows);
    gaps = gaps == null ? List.of() : List.copyOf(gaps);
  }

  /**
   * One group's row.
   *
   * @param group the group
   * @param count members
   * @param privateValue the private model's metric
   * @param referenceValue the reference model's metric
   * @param cost the cost (π_k or R_k)
   * @param costInterval its interval, or null
   * @param status reported or why not
   */
  public record CostRow(GroupKey group, long count, double privateValue, double referenceValue, double cost,
      ConfidenceInterval costInterval, GroupStatus status) {}

  /** A table from one private model's cost, with the gaps of the given pairs. */
  public static PrivacyCostTable from(PrivacyCost cost, String dataset, List<GroupKey[]> gapPairs,
      PrivacyCostSummary seeds) {
    List<GroupEstimate> priv = cost.privateByGroup();
    List<GroupEstimate> ref = cost.referenceByGroup();
    List<GroupEstimate> c = cost.costs();
    List<CostRow> rows = new ArrayList<>();
    for (int i = 0; i < c.size(); i++) {
      GroupEstimate e = c.get(i);
      rows.add(new CostRow(e.group(), e.count(), priv.get(i).value(), ref.get(i).value(), e.value(), e.interval(),
          e.status()));
    }
    List<GroupGap> gaps = new ArrayList<>();
    if (gapPairs != null) {
      for (GroupKey[] p : gapPairs) {
        gaps.add(cost.gap(p[0], p[1]));
      }
    }
    return new PrivacyCostTable(cost.metricName(), cost.orientation(), cost.reference(), cost.provenance(), dataset,
        rows, cost.maxGap(), gaps, seeds);
  }
}
