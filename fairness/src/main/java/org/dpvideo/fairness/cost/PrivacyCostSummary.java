package org.dpvideo.fairness.cost;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.dpvideo.fairness.Provenance;
import org.dpvideo.fairness.group.GroupKey;
import org.dpvideo.fairness.metrics.GroupEstimate;

/**
 * Privacy costs averaged over training seeds, as the paper estimates E over private randomness (5 seeds,
 * each private run paired with the non-private run of the same seed): per group the mean cost with the
 * sample standard deviation and standard error over seeds, and the same for the largest gap.
 *
 * @param metricName the metric
 * @param orientation its orientation
 * @param groups per-group summaries, in report order
 * @param maxGap the largest gap's summary over seeds
 * @param provenance the least protected provenance of the inputs
 */
public record PrivacyCostSummary(String metricName, MetricOrientation orientation, List<SeedSpread> groups,
    SeedSpread maxGap, Provenance provenance) {

  /** Validates and copies. */
  public PrivacyCostSummary {
    Objects.requireNonNull(metricName, "metricName");
    groups = List.copyOf(groups);
  }

  /**
   * Summarises costs of the same metric and groups from several seeds. Seeds where a group's cost is not
   * reported are left out for that group ({@link SeedSpread#seeds()} says how many were used).
   *
   * @param perSeed at least one
   */
  public static PrivacyCostSummary acrossSeeds(List<PrivacyCost> perSeed) {
    Objects.requireNonNull(perSeed, "perSeed");
    if (perSeed.isEmpty()) {
      throw new IllegalArgumentException("summarising privacy costs needs at least one seed, got none");
    }
    PrivacyCost first = perSeed.get(0);
    List<GroupKey> groups = first.costs().stream().map(GroupEstimate::group).toList();
    Provenance prov = first.provenance();
    for (PrivacyCost c : perSeed) {
      if (!c.metricName().equals(first.metricName()) || c.orientation() != first.orientation()) {
        throw new IllegalArgumentException("all seeds must measure the same metric; got '" + c.metricName() + "' and '"
            + first.metricName() + "'");
      }
      List<GroupKey> g = c.costs().stream().map(GroupEstimate::group).toList();
      if (!g.equals(groups)) {
        throw new IllegalArgumentException("all seeds must use the same groups; got " + g + " and " + groups);
      }
      prov = Provenance.combine(prov, c.provenance());
    }
    List<SeedSpread> out = new ArrayList<>();
    for (GroupKey g : groups) {
      double[] v = perSeed.stream().map(c -> c.cost(g)).filter(GroupEstimate::hasValue)
          .mapToDouble(GroupEstimate::value).toArray();
      out.add(SeedSpread.of(g, v));
    }
    double[] gaps = perSeed.stream().mapToDouble(c -> c.maxGap().value()).filter(Double::isFinite).toArray();
    return new PrivacyCostSummary(first.metricName(), first.orientation(), out, SeedSpread.of(null, gaps), prov);
  }

  /**
   * Mean and spread of a figure over seeds.
   *
   * @param group the group, or null for the gap
   * @param mean mean over seeds (NaN with no seed)
   * @param std sample standard deviation (n - 1 denominator; NaN with fewer than two seeds)
   * @param standardError std / sqrt(seeds)
   * @param seeds seeds with a defined value
   */
  public record SeedSpread(GroupKey group, double mean, double std, double standardError, int seeds) {
    static SeedSpread of(GroupKey group, double[] v) {
      int n = v.length;
      if (n == 0) {
        return new SeedSpread(group, Double.NaN, Double.NaN, Double.NaN, 0);
      }
      double mean = 0;
      for (double x : v) {
        mean += x;
      }
      mean /= n;
      if (n < 2) {
        return new SeedSpread(group, mean, Double.NaN, Double.NaN, 1);
      }
      double ss = 0;
      for (double x : v) {
        ss += (x - mean) * (x - mean);
      }
      double std = Math.sqrt(ss / (n - 1));
      return new SeedSpread(group, mean, std, std / Math.sqrt(n), n);
    }
  }
}
