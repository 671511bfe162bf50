package org.dpvideo.fairness.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.dpvideo.fairness.Provenance;
import org.dpvideo.fairness.group.GroupAssignment;
import org.dpvideo.fairness.group.GroupKey;
import org.dpvideo.fairness.metrics.BootstrapOptions;
import org.dpvideo.fairness.metrics.GroupMetricsOptions;
import org.dpvideo.fairness.metrics.Metric;
import org.junit.jupiter.api.Test;

class PrivacyCostTest {
  static final GroupKey COMMON = GroupKey.of("label", "2");
  static final GroupKey RARE = GroupKey.of("label", "8");
  static final ReferenceModel SHADOW = new ReferenceModel(ReferenceKind.NON_PRIVATE_SHADOW, "non-private run, seed 0");
  static final ReferenceModel BASE = new ReferenceModel(ReferenceKind.BASE_MODEL, "public base checkpoint");

  // 10 common examples, 10 rare ones. Reference: 9/10 and 8/10 correct; private: 8/10 and 3/10.
  static final String[] G = new String[20];
  static final boolean[] REF = new boolean[20];
  static final boolean[] PRIV = new boolean[20];

  static {
    for (int i = 0; i < 10; i++) {
      G[i] = "2";
      G[10 + i] = "8";
      REF[i] = i < 9;
      PRIV[i] = i < 8;
      REF[10 + i] = i < 8;
      PRIV[10 + i] = i < 3;
    }
  }

  static PrivacyCost accuracyCost(ReferenceModel ref, GroupMetricsOptions o) {
    return PrivacyCost.evaluate(Metric.rate("accuracy", PRIV), Metric.rate("accuracy", REF),
        MetricOrientation.HIGHER_IS_BETTER, GroupAssignment.ofColumn("label", G), o, ref);
  }

  static GroupMetricsOptions opts() {
    return GroupMetricsOptions.of(Provenance.EVAL_PUBLIC).withMinGroupSize(5);
  }

  @Test
  void accuracyCost_referenceMinusPrivate_perGroupAndGap() {
    PrivacyCost c = accuracyCost(SHADOW, opts());
    assertEquals(0.1, c.cost(COMMON).value(), 1e-12);
    assertEquals(0.5, c.cost(RARE).value(), 1e-12);
    assertEquals(0.4, c.maxGap().value(), 1e-12);
    GroupGap gap = c.gap(COMMON, RARE);
    assertEquals(0.4, gap.gap(), 1e-12);
    assertEquals(0.4, gap.signed(), 1e-12);
    assertEquals(-0.4, c.gap(RARE, COMMON).signed(), 1e-12);
    assertEquals(0.3, c.overallCost().value(), 1e-12);
    assertEquals(0.8, c.privateByGroup().get(0).value(), 1e-12);
    assertEquals(0.8, c.referenceByGroup().get(1).value(), 1e-12);
  }

  @Test
  void lossCost_privateMinusReference_isExcessRisk() {
    double[] refLoss = new double[20];
    double[] privLoss = new double[20];
    for (int i = 0; i < 20; i++) {
      refLoss[i] = i < 10 ? 0.06 : 0.32;
      privLoss[i] = i < 10 ? 0.67 : 2.56;
    }
    PrivacyCost c = PrivacyCost.evaluate(Metric.mean("loss", privLoss), Metric.mean("loss", refLoss),
        MetricOrientation.LOWER_IS_BETTER, GroupAssignment.ofColumn("label", G), opts(), BASE);
    // The paper's Table 2 DPSGD row: ER 0.61 and 2.24, ERG 1.63.
    assertEquals(0.61, c.cost(COMMON).value(), 1e-12);
    assertEquals(2.24, c.cost(RARE).value(), 1e-12);
    assertEquals(1.63, c.maxGap().value(), 1e-12);
    assertEquals("excessive risk gap (ERG)", c.orientation().gapName());
  }

  @Test
  void provenance_shadowReference_makesCostsInternal() {
    PrivacyCost shadow = accuracyCost(SHADOW, opts());
    assertEquals(Provenance.TRAIN_UNPROTECTED, shadow.provenance());
    assertEquals(Provenance.EVAL_PUBLIC, shadow.privateFrame().provenance());
    assertEquals(Provenance.EVAL_PUBLIC, accuracyCost(BASE, opts()).provenance());
  }

  @Test
  void smallGroup_costSuppressed_andGapUndefined() {
    PrivacyCost c = accuracyCost(BASE, opts().withMinGroupSize(11));
    assertTrue(Double.isNaN(c.cost(RARE).value()));
    assertTrue(Double.isNaN(c.maxGap().value()));
    assertTrue(Double.isNaN(c.gap(COMMON, RARE).gap()));
  }

  @Test
  void gap_bootstrap_intervalContainsPointAndIsNonNegative() {
    PrivacyCost c = accuracyCost(BASE, opts().withBootstrap(BootstrapOptions.central95(500, 9)));
    GroupGap gap = c.gap(COMMON, RARE);
    assertTrue(gap.interval().lower() >= 0);
    assertTrue(gap.interval().contains(0.4), gap.interval().toString());
    assertTrue(c.maxGap().interval().contains(0.4));
  }

  @Test
  void acrossSeeds_meanStdAndStandardError_byHand() {
    boolean[] priv2 = PRIV.clone();
    priv2[13] = true; // rare group: 4/10 correct -> cost 0.4
    PrivacyCost s1 = accuracyCost(BASE, opts());
    PrivacyCost s2 = PrivacyCost.evaluate(Metric.rate("accuracy", priv2), Metric.rate("accuracy", REF),
        MetricOrientation.HIGHER_IS_BETTER, GroupAssignment.ofColumn("label", G), opts(), BASE);
    PrivacyCostSummary sum = PrivacyCostSummary.acrossSeeds(List.of(s1, s2));
    PrivacyCostSummary.SeedSpread rare = sum.groups().get(1);
    assertEquals(0.45, rare.mean(), 1e-12);
    assertEquals(Math.sqrt(0.005), rare.std(), 1e-12);
    assertEquals(Math.sqrt(0.005) / Math.sqrt(2), rare.standardError(), 1e-12);
    assertEquals(2, rare.seeds());
    assertEquals(0.35, sum.maxGap().mean(), 1e-12);
    assertTrue(Double.isNaN(PrivacyCostSummary.acrossSeeds(List.of(s1)).groups().get(0).std()));
  }
}
