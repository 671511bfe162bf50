package org.dpvideo.fairness.cost;

import java.util.List;
import java.util.Objects;
import org.dpvideo.fairness.Provenance;
import org.dpvideo.fairness.group.GroupAssignment;
import org.dpvideo.fairness.group.GroupKey;
import org.dpvideo.fairness.metrics.Aggregate;
import org.dpvideo.fairness.metrics.ConfidenceInterval;
import org.dpvideo.fairness.metrics.DifferenceMethod;
import org.dpvideo.fairness.metrics.GroupEstimate;
import org.dpvideo.fairness.metrics.GroupMetrics;
import org.dpvideo.fairness.metrics.GroupMetricsOptions;
import org.dpvideo.fairness.metrics.IntervalMethod;
import org.dpvideo.fairness.metrics.Metric;

/**
 * The per-group privacy cost of one private model against a reference model on the same evaluation
 * examples (fairness spec §1.1):
 * <ul>
 *   <li>accuracy-like metric: π_k = m(θ*; Z_k) - m(θ̃; Z_k) (paper eq. 1);</li>
 *   <li>loss-like metric: R_k = m(θ̃; Z_k) - m(θ*; Z_k) (paper eq. 2, excessive risk);</li>
 *   <li>gap: |cost_a - cost_b| for two groups (PCG, resp. ERG); {@link #maxGap()} is the largest such
 *       gap, max_k cost_k - min_k cost_k.</li>
 * </ul>
 * Costs are computed per example as a paired difference, so bootstrap intervals resample both models'
 * values together. The expectation over private randomness is estimated across seeds by
 * {@link PrivacyCostSummary}.
 *
 * <p>Provenance: the private model's figures keep the evaluation data's provenance; the reference
 * model's figures, the costs and the gaps take the less protected of that and the reference model's
 * ({@link ReferenceKind#NON_PRIVATE_SHADOW} makes them internal).
 *
 * <p>Thread-safe after construction.
 */
public final class PrivacyCost {
  private final String metricName;
  private final MetricOrientation orientation;
  private final ReferenceModel reference;
  private final GroupMetrics privateFrame;
  private final GroupMetrics costFrame;
  private final Metric costMetric;
  private final Metric referenceMetric;

  private PrivacyCost(String metricName, MetricOrientation orientation, ReferenceModel reference,
      GroupMetrics privateFrame, GroupMetrics costFrame, Metric costMetric, Metric referenceMetric) {
    this.metricName = metricName;
    this.orientation = orientation;
    this.reference = reference;
    this.privateFrame = privateFrame;
    this.costFrame = costFrame;
    this.costMetric = costMetric;
    this.referenceMetric = referenceMetric;
  }

  /**
   * Evaluates the cost per group.
   *
   * @param privateModel the metric of the private model (its name names the cost)
   * @param referenceModel the same metric of the reference model on the same examples, in the same order
   * @param orientation whether larger metric values are better
   * @param groups the groups of the evaluation examples
   * @param options provenance of the evaluation data, minimum group size, bootstrap (reference group for
   *     signed comparisons is honoured on the cost)
   * @param reference what the reference model is
   */
  public static PrivacyCost evaluate(Metric privateModel, Metric referenceModel, MetricOrientation orientation,
      GroupAssignment groups, GroupMetricsOptions options, ReferenceModel reference) {
    Objects.requireNonNull(privateModel, "privateModel");
    Objects.requireNonNull(referenceModel, "referenceModel");
    Objects.requireNonNull(orientation, "orientation");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(reference, "reference");
    String name = privateModel.name();
    Metric ref = Metric.of(name + "_reference", referenceModel.examples(), referenceModel::evaluate);
    Metric cost = orientation == MetricOrientation.HIGHER_IS_BETTER
        ? Metric.difference(name + "_cost", referenceModel, privateModel)
        : Metric.difference(name + "_cost", privateModel, referenceModel);
    GroupMetrics privateFrame = GroupMetrics.compute(groups, List.of(privateModel), options.withReferenceGroup(null));
    Provenance costProvenance = Provenance.combine(options.provenance(), reference.kind().provenance());
    GroupMetricsOptions costOptions = new GroupMetricsOptions(costProvenance, options.minGroupSize(),
        options.bootstrap(), options.referenceGroup());
    GroupMetrics costFrame = GroupMetrics.compute(groups, List.of(ref, cost), costOptions);
    return new PrivacyCost(name, orientation, reference, privateFrame, costFrame, cost, ref);
  }

  /** The underlying metric's name (e.g. {@code accuracy}, {@code nll}). */
  public String metricName() {
    return metricName;
  }

  /** Whether larger metric values are better. */
  public MetricOrientation orientation() {
    return orientation;
  }

  /** The reference model. */
  public ReferenceModel reference() {
    return reference;
  }

  /** The provenance of costs, gaps and reference figures. */
  public Provenance provenance() {
    return costFrame.provenance();
  }

  /** The private model's metric frame (evaluation data's provenance). */
  public GroupMetrics privateFrame() {
    return privateFrame;
  }

  /** The private model's metric per group. */
  public List<GroupEstimate> privateByGroup() {
    return privateFrame.byGroup(metricName);
  }

  /** The reference model's metric per group. */
  public List<GroupEstimate> referenceByGroup() {
    return costFrame.byGroup(referenceMetric.name());
  }

  /** The cost per group (π_k or R_k; positive = the group lost under privacy). */
  public List<GroupEstimate> costs() {
    return costFrame.byGroup(costMetric.name());
  }

  /** The cost of one group. */
  public GroupEstimate cost(GroupKey group) {
    return costFrame.group(costMetric.name(), group);
  }

  /** The cost over all examples. */
  public org.dpvideo.fairness.metrics.Estimate overallCost() {
    return costFrame.overall(costMetric.name());
  }

  /** The largest gap between two reported groups: max_k cost_k - min_k cost_k (PCG / ERG for two groups). */
  public Aggregate maxGap() {
    return costFrame.difference(costMetric.name(), DifferenceMethod.BETWEEN_GROUPS);
  }

  /**
   * The gap |cost_a - cost_b| (PCG or ERG of the pair). Its interval, when bootstrapped, is the image of
   * the percentile interval of the signed difference under |x| (conservative: it reaches 0 when the
   * signed interval contains 0).
   */
  public GroupGap gap(GroupKey a, GroupKey b) {
    if (a.equals(b)) {
      throw new IllegalArgumentException("a gap needs two different groups, got " + a + " twice");
    }
    GroupMetricsOptions o = costFrame.options().withReferenceGroup(a);
    GroupMetrics pair = GroupMetrics.compute(costFrame.assignment(), List.of(costMetric), o);
    GroupEstimate signed = pair.differenceToReference(costMetric.name()).stream()
        .filter(e -> e.group().equals(b)).findFirst().orElseThrow();
    double v = Math.abs(signed.value());
    ConfidenceInterval ci = null;
    if (signed.interval() != null) {
      ConfidenceInterval s = signed.interval();
      double lo;
      double hi;
      if (!s.defined()) {
        lo = Double.NaN;
        hi = Double.NaN;
      } else if (s.lower() <= 0 && s.upper() >= 0) {
        lo = 0;
        hi = Math.max(-s.lower(), s.upper());
      } else {
        lo = Math.min(Math.abs(s.lower()), Math.abs(s.upper()));
        hi = Math.max(Math.abs(s.lower()), Math.abs(s.upper()));
      }
      ci = new ConfidenceInterval(lo, hi, s.lowerQuantile(), s.upperQuantile(), IntervalMethod.BOOTSTRAP_PERCENTILE,
          s.replicates());
    }
    return new GroupGap(a, b, v, signed.value(), ci, provenance());
  }
}
