package org.dpvideo.fairness.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.dpvideo.fairness.Provenance;
import org.dpvideo.fairness.group.GroupAssignment;
import org.dpvideo.fairness.group.GroupKey;
import org.dpvideo.fairness.group.SensitiveFeatures;

/**
 * Metrics by group and overall, in the spirit of Fairlearn's {@code MetricFrame}
 * ({@code fairlearn/metrics/_metric_frame.py}), computed once and immutable afterwards.
 *
 * <p>Semantics (fairness spec §4.1, §4.2, §4.4):
 * <ul>
 *   <li>{@code overall}: the metric on all examples; {@code byGroup}: on each group's examples, with the
 *       group's count. Groups are the assignment's levels (for several columns, the full Cartesian
 *       product): a group without members is {@link GroupStatus#EMPTY}, one with fewer than
 *       {@code minGroupSize} members {@link GroupStatus#SUPPRESSED_SMALL}; both have value NaN.
 *   <li>Summaries run over the <em>reported</em> groups with a finite value: {@code group_min},
 *       {@code group_max}; {@code difference(BETWEEN_GROUPS)} = max - min,
 *       {@code difference(TO_OVERALL)} = max_k |v_k - overall|; {@code ratio(BETWEEN_GROUPS)} = min/max,
 *       {@code ratio(TO_OVERALL)} = min_k of v_k/overall folded to &lt;= 1. Unlike Fairlearn, differences
 *       and ratios need at least two such groups (one group gives NaN, not a "perfect" 0 or 1), and a
 *       division by zero gives NaN.
 *   <li>With a reference group (AIF360's privileged group): signed {@code v_k - v_ref} and
 *       {@code v_k / v_ref} for every other reported group (AIF360 reports unprivileged minus/over
 *       privileged).
 *   <li>Bootstrap: the rows are resampled with replacement to the original size with a seeded
 *       generator; every statistic is recomputed per resample and the requested quantiles (numpy's
 *       linear interpolation) of the finite replicates are reported. A replicate where a summarised group
 *       has no member or an undefined value is dropped for the summaries (the interval states how many
 *       replicates it used).
 * </ul>
 *
 * <p>Suppressing small groups is a statistical-reliability rule, not disclosure control: which data may
 * be released at all is decided by {@link Provenance} (releasable evaluation data, or accounted DP
 * mechanisms in {@code org.dpvideo.fairness.release}).
 *
 * <p>Thread-safe after construction.
 */
public final class GroupMetrics {
  private static final int STAT_MIN = 0;
  private static final int STAT_MAX = 1;
  private static final int STAT_DIFF_BETWEEN = 2;
  private static final int STAT_DIFF_OVERALL = 3;
  private static final int STAT_RATIO_BETWEEN = 4;
  private static final int STAT_RATIO_OVERALL = 5;
  private static final int FIXED_STATS = 6;

  private final GroupAssignment assignment;
  private final GroupMetricsOptions options;
  private final int[] counts;
  private final GroupStatus[] status;
  private final Map<String, MetricResult> results;

  private GroupMetrics(GroupAssignment assignment, GroupMetricsOptions options, int[] counts, GroupStatus[] status,
      Map<String, MetricResult> results) {
    this.assignment = assignment;
    this.options = options;
    this.counts = counts;
    this.status = status;
    this.results = results;
  }

  /** Computes every metric over the intersectional groups of {@code features}. */
  public static GroupMetrics compute(SensitiveFeatures features, List<Metric> metrics, GroupMetricsOptions options) {
    return compute(features.assignment(), metrics, options);
  }

  /**
   * Computes every metric overall and per group of {@code assignment}.
   *
   * @param metrics at least one, distinct names, each defined on {@code assignment.size()} examples
   *     (when it says)
   * @throws IllegalArgumentException on mismatched sizes, duplicate names or an unknown reference group
   */
  public static GroupMetrics compute(GroupAssignment assignment, List<Metric> metrics, GroupMetricsOptions options) {
    Objects.requireNonNull(assignment, "assignment");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(options, "options");
    if (metrics.isEmpty()) {
      throw new IllegalArgumentException("a group metric frame needs at least one metric, got none");
    }
    List<String> problems = new ArrayList<>();
    Map<String, Metric> byName = new LinkedHashMap<>();
    for (Metric m : metrics) {
      Objects.requireNonNull(m, "metric");
      if (byName.put(m.name(), m) != null) {
        problems.add("metric name '" + m.name() + "' is used twice");
      }
      if (m.examples() >= 0 && m.examples() != assignment.size()) {
        problems.add("metric '" + m.name() + "' is defined on " + m.examples() + " examples but the group assignment"
            + " has " + assignment.size());
      }
    }
    if (options.referenceGroup() != null && !assignment.contains(options.referenceGroup())) {
      problems.add("reference group " + options.referenceGroup() + " is not one of the groups " + assignment.levels());
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("cannot compute the group metric frame: " + String.join("; ", problems));
    }
    int k = assignment.levels().size();
    int[] counts = assignment.counts();
    GroupStatus[] status = new GroupStatus[k];
    for (int g = 0; g < k; g++) {
      status[g] = counts[g] == 0 ? GroupStatus.EMPTY
          : counts[g] < options.minGroupSize() ? GroupStatus.SUPPRESSED_SMALL : GroupStatus.REPORTED;
    }
    int[][] members = assignment.membersByGroup();
    int[] all = new int[assignment.size()];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    int ref = options.referenceGroup() == null ? -1 : assignment.indexOf(options.referenceGroup());
    Map<String, MetricResult> results = new LinkedHashMap<>();
    for (Metric m : byName.values()) {
      double overall = m.evaluate(all);
      double[] values = new double[k];
      for (int g = 0; g < k; g++) {
        values[g] = status[g] == GroupStatus.REPORTED ? m.evaluate(members[g]) : Double.NaN;
      }
      boolean[] eligible = new boolean[k];
      for (int g = 0; g < k; g++) {
        eligible[g] = status[g] == GroupStatus.REPORTED && Double.isFinite(values[g]);
      }
      results.put(m.name(), new MetricResult(m.name(), overall, values, eligible,
          statistics(overall, values, eligible, ref), null, null));
    }
    if (options.bootstrap() != null) {
      results = bootstrap(assignment, byName, results, status, ref, options.bootstrap());
    }
    return new GroupMetrics(assignment, options, counts, status, results);
  }

  /** The group assignment. */
  public GroupAssignment assignment() {
    return assignment;
  }

  /** The options the frame was computed with. */
  public GroupMetricsOptions options() {
    return options;
  }

  /** What data every figure of this frame comes from. */
  public Provenance provenance() {
    return options.provenance();
  }

  /** The metric names, in the order given. */
  public List<String> metricNames() {
    return List.copyOf(results.keySet());
  }

  /** The groups, in report order. */
  public List<GroupKey> groups() {
    return assignment.levels();
  }

  /** Members of {@code group} in the data. */
  public int count(GroupKey group) {
    return counts[assignment.indexOf(group)];
  }

  /** The status of a group. */
  public GroupStatus status(GroupKey group) {
    return status[assignment.indexOf(group)];
  }

  /** The groups with a given status, in report order. */
  public List<GroupKey> groupsWithStatus(GroupStatus s) {
    List<GroupKey> out = new ArrayList<>();
    for (int g = 0; g < status.length; g++) {
      if (status[g] == s) {
        out.add(assignment.levels().get(g));
      }
    }
    return out;
  }

  /** The metric over all examples. */
  public Estimate overall(String metric) {
    MetricResult r = result(metric);
    return new Estimate(assignment.size(), r.overall, r.overallInterval);
  }

  /** The metric per group, in report order, with counts and status. */
  public List<GroupEstimate> byGroup(String metric) {
    MetricResult r = result(metric);
    List<GroupEstimate> out = new ArrayList<>();
    for (int g = 0; g < counts.length; g++) {
      out.add(estimate(r, g));
    }
    return out;
  }

  /** The metric of one group. */
  public GroupEstimate group(String metric, GroupKey group) {
    return estimate(result(metric), assignment.indexOf(group));
  }

  /** The smallest reported group value ({@code <metric>_group_min}). */
  public Aggregate groupMin(String metric) {
    return aggregate(result(metric), STAT_MIN, metric + "_group_min", 1);
  }

  /** The largest reported group value ({@code <metric>_group_max}). */
  public Aggregate groupMax(String metric) {
    return aggregate(result(metric), STAT_MAX, metric + "_group_max", 1);
  }

  /** Fairlearn's unsigned difference ({@code <metric>_difference}). */
  public Aggregate difference(String metric, DifferenceMethod method) {
    int stat = method == DifferenceMethod.BETWEEN_GROUPS ? STAT_DIFF_BETWEEN : STAT_DIFF_OVERALL;
    return aggregate(result(metric), stat, metric + "_difference_" + method.name().toLowerCase(java.util.Locale.ROOT),
        2);
  }

  /** Fairlearn's ratio, folded to at most 1 for {@code TO_OVERALL} ({@code <metric>_ratio}). */
  public Aggregate ratio(String metric, DifferenceMethod method) {
    int stat = method == DifferenceMethod.BETWEEN_GROUPS ? STAT_RATIO_BETWEEN : STAT_RATIO_OVERALL;
    return aggregate(result(metric), stat, metric + "_ratio_" + method.name().toLowerCase(java.util.Locale.ROOT), 2);
  }

  /**
   * AIF360-style signed differences {@code v_k - v_ref} for every group other than the reference group,
   * in report order. Non-reported groups (and every group when the reference is not reported) have NaN.
   *
   * @throws IllegalStateException when no reference group was set
   */
  public List<GroupEstimate> differenceToReference(String metric) {
    return toReference(metric, 0);
  }

  /** AIF360-style ratios {@code v_k / v_ref} (1 is parity); NaN when {@code v_ref} is 0. */
  public List<GroupEstimate> ratioToReference(String metric) {
    return toReference(metric, 1);
  }

  private List<GroupEstimate> toReference(String metric, int kind) {
    if (options.referenceGroup() == null) {
      throw new IllegalStateException("no reference group was set; compute the frame with"
          + " options.withReferenceGroup(GroupKey.of(column, value)) to get signed comparisons");
    }
    MetricResult r = result(metric);
    int k = counts.length;
    int ref = assignment.indexOf(options.referenceGroup());
    List<GroupEstimate> out = new ArrayList<>();
    for (int g = 0; g < k; g++) {
      if (g == ref) {
        continue;
      }
      int idx = FIXED_STATS + kind * k + g;
      double v = r.stats[idx];
      GroupStatus st = status[g];
      ConfidenceInterval ci = st == GroupStatus.REPORTED && r.statIntervals != null ? r.statIntervals[idx] : null;
      out.add(new GroupEstimate(assignment.levels().get(g), counts[g], st == GroupStatus.REPORTED ? v : Double.NaN,
          ci, st));
    }
    return out;
  }

  private GroupEstimate estimate(MetricResult r, int g) {
    GroupStatus st = status[g];
    if (st != GroupStatus.REPORTED) {
      return new GroupEstimate(assignment.levels().get(g), counts[g], Double.NaN, null, st);
    }
    return new GroupEstimate(assignment.levels().get(g), counts[g], r.values[g],
        r.groupIntervals == null ? null : r.groupIntervals[g], st);
  }

  private Aggregate aggregate(MetricResult r, int stat, String name, int minGroups) {
    List<GroupKey> over = new ArrayList<>();
    for (int g = 0; g < r.eligible.length; g++) {
      if (r.eligible[g]) {
        over.add(assignment.levels().get(g));
      }
    }
    double v = r.stats[stat];
    String reason = null;
    if (over.size() < minGroups) {
      reason = "needs at least " + minGroups + " reported group(s) with a defined value, found " + over.size();
    } else if (Double.isNaN(v)) {
      reason = stat == STAT_RATIO_BETWEEN || stat == STAT_RATIO_OVERALL ? "division by zero" : "undefined";
    }
    GroupKey extreme = null;
    int eg = extremeGroup(r, stat);
    if (eg >= 0) {
      extreme = assignment.levels().get(eg);
    }
    ConfidenceInterval ci = r.statIntervals == null || over.size() < minGroups ? null : r.statIntervals[stat];
    return new Aggregate(name, v, ci, over, extreme, reason);
  }

  private static int extremeGroup(MetricResult r, int stat) {
    int best = -1;
    for (int g = 0; g < r.values.length; g++) {
      if (!r.eligible[g]) {
        continue;
      }
      double v = r.values[g];
      boolean better = switch (stat) {
        case STAT_MIN -> best < 0 || v < r.values[best];
        case STAT_MAX -> best < 0 || v > r.values[best];
        case STAT_DIFF_OVERALL, STAT_RATIO_OVERALL ->
            best < 0 || Math.abs(v - r.overall) > Math.abs(r.values[best] - r.overall);
        default -> false;
      };
      if (better) {
        best = g;
      }
    }
    return best;
  }

  private MetricResult result(String metric) {
    MetricResult r = results.get(metric);
    if (r == null) {
      throw new IllegalArgumentException("no metric '" + metric + "' in this frame; it has " + results.keySet());
    }
    return r;
  }

  /**
   * The statistics vector: min, max, diff between, diff to overall, ratio between, ratio to overall,
   * then K signed differences to the reference and K ratios to the reference (NaN where undefined).
   */
  static double[] statistics(double overall, double[] values, boolean[] eligible, int ref) {
    int k = values.length;
    double[] s = new double[FIXED_STATS + 2 * k];
    Arrays.fill(s, Double.NaN);
    int n = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double maxAbsToOverall = Double.NEGATIVE_INFINITY;
    double minFoldedRatio = Double.POSITIVE_INFINITY;
    boolean ratioUndefined = false;
    for (int g = 0; g < k; g++) {
      if (!eligible[g]) {
        continue;
      }
      double v = values[g];
      if (!Double.isFinite(v)) {
        // A summarised group without a value in this (bootstrap) sample: the summaries are undefined.
        return s;
      }
      n++;
      min = Math.min(min, v);
      max = Math.max(max, v);
      maxAbsToOverall = Math.max(maxAbsToOverall, Math.abs(v - overall));
      if (overall == 0 || !Double.isFinite(overall)) {
        ratioUndefined = true;
      } else {
        double x = v / overall;
        minFoldedRatio = Math.min(minFoldedRatio, x > 1 ? 1 / x : x);
      }
    }
    if (n >= 1) {
      s[STAT_MIN] = min;
      s[STAT_MAX] = max;
    }
    if (n >= 2) {
      s[STAT_DIFF_BETWEEN] = max - min;
      s[STAT_DIFF_OVERALL] = Double.isFinite(overall) ? maxAbsToOverall : Double.NaN;
      s[STAT_RATIO_BETWEEN] = max == 0 ? Double.NaN : min / max;
      s[STAT_RATIO_OVERALL] = ratioUndefined ? Double.NaN : minFoldedRatio;
    }
    if (ref >= 0 && eligible[ref]) {
      double vr = values[ref];
      for (int g = 0; g < k; g++) {
        if (g != ref && eligible[g]) {
          s[FIXED_STATS + g] = values[g] - vr;
          s[FIXED_STATS + k + g] = vr == 0 ? Double.NaN : values[g] / vr;
        }
      }
    }
    return s;
  }

  private static Map<String, MetricResult> bootstrap(GroupAssignment assignment, Map<String, Metric> metrics,
      Map<String, MetricResult> results, GroupStatus[] status, int ref, BootstrapOptions b) {
    int n = assignment.size();
    int k = status.length;
    int reps = b.replicates();
    int[] codes = assignment.codes();
    Map<String, double[]> overallReps = new LinkedHashMap<>();
    Map<String, double[][]> groupReps = new LinkedHashMap<>();
    Map<String, double[][]> statReps = new LinkedHashMap<>();
    for (String name : metrics.keySet()) {
      overallReps.put(name, new double[reps]);
      groupReps.put(name, new double[k][reps]);
      statReps.put(name, new double[FIXED_STATS + 2 * k][reps]);
    }
    SplittableRandom rng = new SplittableRandom(b.seed());
    int[] rows = new int[n];
    int[] groupCount = new int[k];
    int[][] groupRows = new int[k][];
    for (int rep = 0; rep < reps; rep++) {
      Arrays.fill(groupCount, 0);
      for (int i = 0; i < n; i++) {
        rows[i] = n == 0 ? 0 : rng.nextInt(n);
        groupCount[codes[rows[i]]]++;
      }
      for (int g = 0; g < k; g++) {
        groupRows[g] = new int[groupCount[g]];
      }
      int[] fill = new int[k];
      for (int i = 0; i < n; i++) {
        int g = codes[rows[i]];
        groupRows[g][fill[g]++] = rows[i];
      }
      for (Map.Entry<String, Metric> e : metrics.entrySet()) {
        String name = e.getKey();
        Metric m = e.getValue();
        MetricResult r = results.get(name);
        double overall = m.evaluate(rows);
        double[] values = new double[k];
        for (int g = 0; g < k; g++) {
          values[g] = status[g] == GroupStatus.REPORTED && groupRows[g].length > 0
              ? m.evaluate(groupRows[g]) : Double.NaN;
          groupReps.get(name)[g][rep] = values[g];
        }
        overallReps.get(name)[rep] = overall;
        double[] stats = statistics(overall, values, r.eligible, ref);
        double[][] sr = statReps.get(name);
        for (int s = 0; s < stats.length; s++) {
          sr[s][rep] = stats[s];
        }
      }
    }
    Map<String, MetricResult> out = new LinkedHashMap<>();
    for (MetricResult r : results.values()) {
      ConfidenceInterval overallCi = percentileInterval(overallReps.get(r.name), b);
      ConfidenceInterval[] groupCi = new ConfidenceInterval[k];
      for (int g = 0; g < k; g++) {
        if (status[g] == GroupStatus.REPORTED) {
          groupCi[g] = percentileInterval(groupReps.get(r.name)[g], b);
        }
      }
      double[][] sr = statReps.get(r.name);
      ConfidenceInterval[] statCi = new ConfidenceInterval[sr.length];
      for (int s = 0; s < sr.length; s++) {
        statCi[s] = percentileInterval(sr[s], b);
      }
      out.put(r.name, new MetricResult(r.name, r.overall, r.values, r.eligible, r.stats, overallCi, groupCi,
          statCi));
    }
    return out;
  }

  /** The percentile interval of the finite replicate values; NaN bounds when fewer than 2 are finite. */
  static ConfidenceInterval percentileInterval(double[] replicates, BootstrapOptions b) {
    double[] finite = Arrays.stream(replicates).filter(Double::isFinite).sorted().toArray();
    if (finite.length < 2) {
      return new ConfidenceInterval(Double.NaN, Double.NaN, b.lowerQuantile(), b.upperQuantile(),
          IntervalMethod.BOOTSTRAP_PERCENTILE, finite.length);
    }
    return new ConfidenceInterval(quantile(finite, b.lowerQuantile()), quantile(finite, b.upperQuantile()),
        b.lowerQuantile(), b.upperQuantile(), IntervalMethod.BOOTSTRAP_PERCENTILE, finite.length);
  }

  /** numpy's default ("linear") quantile of sorted values. */
  static double quantile(double[] sorted, double q) {
    double h = (sorted.length - 1) * q;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }

  private static final class MetricResult {
    final String name;
    final double overall;
    final double[] values;
    final boolean[] eligible;
    final double[] stats;
    final ConfidenceInterval overallInterval;
    final ConfidenceInterval[] groupIntervals;
    final ConfidenceInterval[] statIntervals;

    MetricResult(String name, double overall, double[] values, boolean[] eligible, double[] stats,
        ConfidenceInterval overallInterval, ConfidenceInterval[] groupIntervals) {
      this(name, overall, values, eligible, stats, overallInterval, groupIntervals, null);
    }

    MetricResult(String name, double overall, double[] values, boolean[] eligible, double[] stats,
        ConfidenceInterval overallInterval, ConfidenceInterval[] groupIntervals, ConfidenceInterval[] statIntervals) {
      this.name = name;
      this.overall = overall;
      this.values = values;
      this.eligible = eligible;
      this.stats = stats;
      this.overallInterval = overallInterval;
      this.groupIntervals = groupIntervals;
      this.statIntervals = statIntervals;
    }
  }
}
