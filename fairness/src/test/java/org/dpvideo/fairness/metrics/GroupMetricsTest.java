package org.dpvideo.fairness.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.dpvideo.fairness.Provenance;
import org.dpvideo.fairness.group.GroupAssignment;
import org.dpvideo.fairness.group.GroupKey;
import org.dpvideo.fairness.group.SensitiveFeatures;
import org.junit.jupiter.api.Test;

class GroupMetricsTest {
  static final GroupKey A = GroupKey.of("g", "a");
  static final GroupKey B = GroupKey.of("g", "b");
  // Group a: 1, 2, 3 (mean 2); group b: 10, 20 (mean 15); overall 36 / 5 = 7.2.
  static final double[] VALUES = {1, 10, 2, 20, 3};
  static final String[] LABELS = {"a", "b", "a", "b", "a"};

  static GroupMetrics frame(GroupMetricsOptions o) {
    return GroupMetrics.compute(GroupAssignment.ofColumn("g", LABELS), List.of(Metric.mean("loss", VALUES)), o);
  }

  static GroupMetricsOptions opts() {
    return GroupMetricsOptions.of(Provenance.EVAL_PUBLIC).withMinGroupSize(1);
  }

  @Test
  void byGroup_twoGroups_meansAndCountsByHand() {
    GroupMetrics f = frame(opts());
    assertEquals(7.2, f.overall("loss").value(), 1e-12);
    assertEquals(5, f.overall("loss").count());
    GroupEstimate a = f.group("loss", A);
    GroupEstimate b = f.group("loss", B);
    assertEquals(2.0, a.value(), 1e-12);
    assertEquals(3, a.count());
    assertEquals(15.0, b.value(), 1e-12);
    assertEquals(2, b.count());
    assertEquals(GroupStatus.REPORTED, b.status());
    assertNull(a.interval());
  }

  @Test
  void aggregates_twoGroups_followFairlearnSemantics() {
    GroupMetrics f = frame(opts());
    assertEquals(2.0, f.groupMin("loss").value(), 1e-12);
    assertEquals(A, f.groupMin("loss").extremeGroup());
    assertEquals(15.0, f.groupMax("loss").value(), 1e-12);
    assertEquals(B, f.groupMax("loss").extremeGroup());
    assertEquals(13.0, f.difference("loss", DifferenceMethod.BETWEEN_GROUPS).value(), 1e-12);
    // max(|2 - 7.2|, |15 - 7.2|) = 7.8
    assertEquals(7.8, f.difference("loss", DifferenceMethod.TO_OVERALL).value(), 1e-12);
    assertEquals(B, f.difference("loss", DifferenceMethod.TO_OVERALL).extremeGroup());
    assertEquals(2.0 / 15, f.ratio("loss", DifferenceMethod.BETWEEN_GROUPS).value(), 1e-12);
    // min(2/7.2, fold(15/7.2) = 7.2/15) = 0.2777...
    assertEquals(2.0 / 7.2, f.ratio("loss", DifferenceMethod.TO_OVERALL).value(), 1e-12);
    assertEquals("loss_difference_between_groups", f.difference("loss", DifferenceMethod.BETWEEN_GROUPS).name());
    assertEquals("loss_group_min", f.groupMin("loss").name());
  }

  @Test
  void ratioToOverall_groupAboveOverall_isFoldedBelowOne() {
    // Group values 9 and 10, overall 9.5: 9/9.5 = 0.947, 10/9.5 folds to 0.95; min is 0.947.
    double[] v = {9, 10};
    GroupMetrics f = GroupMetrics.compute(GroupAssignment.ofColumn("g", new String[] {"a", "b"}),
        List.of(Metric.mean("m", v)), opts());
    assertEquals(9 / 9.5, f.ratio("m", DifferenceMethod.TO_OVERALL).value(), 1e-12);
  }

  @Test
  void reference_aif360Signed_differenceAndRatio() {
    GroupMetrics f = frame(opts().withReferenceGroup(A));
    List<GroupEstimate> d = f.differenceToReference("loss");
    assertEquals(1, d.size());
    assertEquals(B, d.get(0).group());
    assertEquals(13.0, d.get(0).value(), 1e-12);
    assertEquals(7.5, f.ratioToReference("loss").get(0).value(), 1e-12);
    GroupMetrics g = frame(opts().withReferenceGroup(B));
    assertEquals(-13.0, g.differenceToReference("loss").get(0).value(), 1e-12);
  }

  @Test
  void reference_notSet_throwsWithFix() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> frame(opts()).differenceToReference("loss"));
    assertTrue(e.getMessage().contains("withReferenceGroup"));
  }

  @Test
  void smallGroup_belowMinimum_isSuppressedWithCountAndExcludedFromSummaries() {
    GroupMetrics f = frame(opts().withMinGroupSize(3));
    GroupEstimate b = f.group("loss", B);
    assertEquals(GroupStatus.SUPPRESSED_SMALL, b.status());
    assertTrue(Double.isNaN(b.value()));
    assertEquals(2, b.count());
    assertEquals(List.of(B), f.groupsWithStatus(GroupStatus.SUPPRESSED_SMALL));
    Aggregate d = f.difference("loss", DifferenceMethod.BETWEEN_GROUPS);
    assertTrue(Double.isNaN(d.value()));
    assertTrue(d.undefinedReason().contains("at least 2"));
    // A single reported group still has a min and a max: its own value.
    assertEquals(2.0, f.groupMin("loss").value(), 1e-12);
    // The overall figure covers every example.
    assertEquals(7.2, f.overall("loss").value(), 1e-12);
  }

  @Test
  void intersectional_missingCombination_isReportedEmptyNotZero() {
    SensitiveFeatures sf = SensitiveFeatures.builder()
        .column("tone", new String[] {"1", "1", "2", "1", "2"})
        .column("gender", new String[] {"f", "m", "f", "f", "f"})
        .build();
    GroupMetrics f = GroupMetrics.compute(sf, List.of(Metric.mean("loss", VALUES)), opts());
    assertEquals(4, f.groups().size());
    GroupKey missing = GroupKey.of("tone", "2", "gender", "m");
    assertEquals(missing, f.groups().get(3));
    GroupEstimate e = f.group("loss", missing);
    assertEquals(GroupStatus.EMPTY, e.status());
    assertEquals(0, e.count());
    assertTrue(Double.isNaN(e.value()));
    // tone=1,gender=f holds examples 0 and 3: (1 + 20) / 2
    assertEquals(10.5, f.group("loss", GroupKey.of("tone", "1", "gender", "f")).value(), 1e-12);
    assertEquals(10.0, f.group("loss", GroupKey.of("tone", "1", "gender", "m")).value(), 1e-12);
    assertEquals(2.5, f.group("loss", GroupKey.of("tone", "2", "gender", "f")).value(), 1e-12);
    assertEquals("tone=1, gender=m", f.groups().get(1).label());
  }

  @Test
  void declaredLevels_unobservedLevel_isEmptyGroup() {
    SensitiveFeatures sf = SensitiveFeatures.builder()
        .column("tone", new String[] {"1", "1"}, List.of("1", "2", "3")).build();
    GroupMetrics f = GroupMetrics.compute(sf, List.of(Metric.mean("m", new double[] {1, 3})), opts());
    assertEquals(List.of(GroupStatus.REPORTED, GroupStatus.EMPTY, GroupStatus.EMPTY),
        f.byGroup("m").stream().map(GroupEstimate::status).toList());
  }

  @Test
  void undefinedMetric_groupWithoutPositives_isNaNNotZero() {
    int[] actual = {1, 1, 0, 0};
    int[] predicted = {1, 0, 1, 0};
    GroupMetrics f = GroupMetrics.compute(GroupAssignment.ofColumn("g", new String[] {"a", "a", "b", "b"}),
        List.of(Metric.truePositiveRate(actual, predicted, 1), Metric.falsePositiveRate(actual, predicted, 1)),
        opts());
    assertEquals(0.5, f.group("true_positive_rate", A).value(), 1e-12);
    GroupEstimate b = f.group("true_positive_rate", B);
    assertEquals(GroupStatus.REPORTED, b.status());
    assertTrue(Double.isNaN(b.value()));
    assertFalse(b.hasValue());
    assertEquals(0.5, f.group("false_positive_rate", B).value(), 1e-12);
    assertTrue(Double.isNaN(f.group("false_positive_rate", A).value()));
    assertTrue(Double.isNaN(f.difference("true_positive_rate", DifferenceMethod.BETWEEN_GROUPS).value()));
  }

  @Test
  void metrics_builtIns_handComputed() {
    int[] y = {1, 0, 1, 1};
    int[] p = {1, 1, 0, 1};
    int[] all = {0, 1, 2, 3};
    assertEquals(0.5, Metric.accuracy(y, p).evaluate(all), 1e-12);
    assertEquals(0.75, Metric.selectionRate(p, 1).evaluate(all), 1e-12);
    assertEquals(2.0 / 3, Metric.truePositiveRate(y, p, 1).evaluate(all), 1e-12);
    assertEquals(1.0, Metric.falsePositiveRate(y, p, 1).evaluate(all), 1e-12);
    assertTrue(Double.isNaN(Metric.mean("m", new double[] {1}).evaluate(new int[0])));
    // Repeated rows count repeatedly (bootstrap resamples).
    assertEquals(2.0 / 3, Metric.mean("m", new double[] {0, 1}).evaluate(new int[] {1, 1, 0}), 1e-12);
  }

  @Test
  void ratio_maxZero_isNaNWithReason() {
    GroupMetrics f = GroupMetrics.compute(GroupAssignment.ofColumn("g", new String[] {"a", "b"}),
        List.of(Metric.mean("m", new double[] {0, 0})), opts());
    Aggregate r = f.ratio("m", DifferenceMethod.BETWEEN_GROUPS);
    assertTrue(Double.isNaN(r.value()));
    assertEquals("division by zero", r.undefinedReason());
    assertEquals(0.0, f.difference("m", DifferenceMethod.BETWEEN_GROUPS).value());
  }

  @Test
  void noExamples_everyGroupEmptyAndOverallNaN() {
    GroupAssignment none = new GroupAssignment(List.of(A, B), new int[0]);
    GroupMetrics f = GroupMetrics.compute(none, List.of(Metric.mean("m", new double[0])),
        opts().withBootstrap(BootstrapOptions.central95(50, 1)));
    assertTrue(Double.isNaN(f.overall("m").value()));
    assertEquals(List.of(A, B), f.groupsWithStatus(GroupStatus.EMPTY));
    assertTrue(Double.isNaN(f.groupMax("m").value()));
    assertNull(f.groupMax("m").interval());
  }

  @Test
  void validation_mismatchedSizesAndDuplicateNames_listsAllProblems() {
    GroupAssignment g = GroupAssignment.ofColumn("g", LABELS);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GroupMetrics.compute(g,
        List.of(Metric.mean("m", new double[3]), Metric.mean("m", VALUES)),
        opts().withReferenceGroup(GroupKey.of("g", "zzz"))));
    assertTrue(e.getMessage().contains("used twice"), e.getMessage());
    assertTrue(e.getMessage().contains("defined on 3 examples"), e.getMessage());
    assertTrue(e.getMessage().contains("g=zzz"), e.getMessage());
  }

  @Test
  void quantile_matchesNumpyLinear() {
    double[] s = {1, 2, 3, 4};
    assertEquals(1.75, GroupMetrics.quantile(s, 0.25), 1e-12);
    assertEquals(3.25, GroupMetrics.quantile(s, 0.75), 1e-12);
    assertEquals(4.0, GroupMetrics.quantile(s, 1.0), 1e-12);
  }

  @Test
  void bootstrap_constantValues_givePointIntervals() {
    double[] v = new double[40];
    String[] g = new String[40];
    for (int i = 0; i < 40; i++) {
      v[i] = i % 2 == 0 ? 1 : 3;
      g[i] = i % 2 == 0 ? "a" : "b";
    }
    GroupMetrics f = GroupMetrics.compute(GroupAssignment.ofColumn("g", g), List.of(Metric.mean("m", v)),
        opts().withBootstrap(BootstrapOptions.central95(100, 3)));
    ConfidenceInterval ci = f.group("m", A).interval();
    assertEquals(1.0, ci.lower(), 1e-12);
    assertEquals(1.0, ci.upper(), 1e-12);
    assertEquals(100, ci.replicates());
    ConfidenceInterval d = f.difference("m", DifferenceMethod.BETWEEN_GROUPS).interval();
    assertEquals(2.0, d.lower(), 1e-12);
    assertEquals(2.0, d.upper(), 1e-12);
  }

  @Test
  void bootstrap_sameSeed_isReproducibleAndOtherSeedDiffers() {
    GroupMetrics f1 = bernoulliFrame(11);
    GroupMetrics f2 = bernoulliFrame(11);
    GroupMetrics f3 = bernoulliFrame(12);
    ConfidenceInterval c1 = f1.difference("hit", DifferenceMethod.BETWEEN_GROUPS).interval();
    ConfidenceInterval c2 = f2.difference("hit", DifferenceMethod.BETWEEN_GROUPS).interval();
    ConfidenceInterval c3 = f3.difference("hit", DifferenceMethod.BETWEEN_GROUPS).interval();
    assertEquals(c1, c2);
    assertFalse(c1.equals(c3));
  }

  @Test
  void bootstrap_meanOfBernoulli_agreesWithNormalApproximation() {
    // Group a: 400 examples with rate 0.3; the bootstrap 95% interval of a mean should be close to
    // p +- 1.96 sqrt(p(1-p)/n) = 0.3 +- 0.0449.
    GroupMetrics f = bernoulliFrame(5);
    GroupEstimate a = f.group("hit", A);
    assertEquals(0.3, a.value(), 1e-12);
    double half = 1.959964 * Math.sqrt(0.3 * 0.7 / 400);
    assertEquals(0.3 - half, a.interval().lower(), 0.008);
    assertEquals(0.3 + half, a.interval().upper(), 0.008);
    // Difference b - a: rates 0.6 vs 0.3, sd sqrt(.21/400 + .24/200) = 0.04153.
    ConfidenceInterval d = f.difference("hit", DifferenceMethod.BETWEEN_GROUPS).interval();
    double halfD = 1.959964 * Math.sqrt(0.21 / 400 + 0.24 / 200);
    assertEquals(0.3 - halfD, d.lower(), 0.01);
    assertEquals(0.3 + halfD, d.upper(), 0.01);
    ConfidenceInterval r = f.ratioToReference("hit").get(0).interval();
    assertTrue(r.contains(2.0));
    assertNotNull(f.overall("hit").interval());
  }

  @Test
  void options_invalid_areRejectedWithFix() {
    assertThrows(IllegalArgumentException.class, () -> opts().withMinGroupSize(0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new BootstrapOptions(5, 0.025, 0.975, 1));
    assertTrue(e.getMessage().contains("1000"));
    assertThrows(IllegalArgumentException.class, () -> new BootstrapOptions(100, 0.9, 0.1, 1));
  }

  static GroupMetrics bernoulliFrame(long seed) {
    int na = 400;
    int nb = 200;
    boolean[] hit = new boolean[na + nb];
    String[] g = new String[na + nb];
    for (int i = 0; i < na; i++) {
      hit[i] = i % 10 < 3;
      g[i] = "a";
    }
    for (int i = 0; i < nb; i++) {
      hit[na + i] = i % 10 < 6;
      g[na + i] = "b";
    }
    return GroupMetrics.compute(GroupAssignment.ofColumn("g", g), List.of(Metric.rate("hit", hit)),
        opts().withReferenceGroup(A).withBootstrap(BootstrapOptions.central95(2000, seed)));
  }

  @Test
  void groupAssignment_codes_roundTrip() {
    GroupAssignment g = GroupAssignment.ofColumn("g", LABELS);
    assertEquals(List.of(A, B), g.levels());
    assertArrayEquals(new int[] {3, 2}, g.counts());
    assertArrayEquals(new int[] {0, 2, 4}, g.membersByGroup()[0]);
    assertThrows(IllegalArgumentException.class, () -> new GroupAssignment(List.of(A), new int[] {0, 1}));
    assertThrows(IllegalArgumentException.class, () -> GroupKey.of("g", " "));
  }
}
