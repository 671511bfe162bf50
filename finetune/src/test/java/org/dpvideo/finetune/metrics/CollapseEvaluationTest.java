package org.dpvideo.finetune.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.dpvideo.fairness.Provenance;
import org.dpvideo.fairness.group.GroupAssignment;
import org.dpvideo.fairness.group.GroupKey;
import org.dpvideo.fairness.metrics.GroupEstimate;
import org.dpvideo.fairness.metrics.GroupMetricsOptions;
import org.dpvideo.fairness.report.GroupTable;
import org.dpvideo.finetune.TestClips;
import org.dpvideo.tokenizer.GridShape;
import org.dpvideo.tokenizer.TokenGrid;
import org.dpvideo.tokenizer.video.Clip;
import org.junit.jupiter.api.Test;

class CollapseEvaluationTest {
  private static final GridShape SHAPE = new GridShape(3, 2, 2);
  private static final int CODES = 64;
  private static final GroupMetricsOptions OPTIONS = GroupMetricsOptions.of(Provenance.EVAL_PUBLIC).withMinGroupSize(1);

  private static TokenGrid constant(int id) {
    int[] ids = new int[SHAPE.size()];
    java.util.Arrays.fill(ids, id);
    return new TokenGrid(SHAPE, ids);
  }

  private static TokenGrid offset(int from) {
    int[] ids = new int[SHAPE.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = from + i;
    }
    return new TokenGrid(SHAPE, ids);
  }

  private static GroupAssignment tones(String... values) {
    return GroupAssignment.ofColumn("skin_tone", values);
  }

  private static GroupTable table(CollapseReport r, String metric) {
    return r.tables().stream().filter(t -> t.metric().equals(metric)).findFirst().orElseThrow();
  }

  private static double value(List<GroupEstimate> list, String tone) {
    GroupKey k = GroupKey.of("skin_tone", tone);
    return list.stream().filter(e -> e.group().equals(k)).mapToDouble(GroupEstimate::value).findFirst().orElseThrow();
  }

  @Test
  void collapsedSamples_againstDistinctRealClips_showEveryStatistic() {
    VideoSet generated = new VideoSet("4 collapsed samples", List.of(constant(1), constant(1), constant(2),
        constant(2)), null, tones("a", "a", "b", "b"), Provenance.EVAL_PUBLIC);
    VideoSet real = new VideoSet("4 real clips", List.of(offset(0), offset(12), offset(24), offset(36)), null,
        tones("a", "a", "b", "b"), Provenance.TRAIN_UNPROTECTED);
    CollapseReport r = CollapseEvaluation.evaluate(generated, real, CODES, CollapseOptions.DEFAULT, OPTIONS);
    assertEquals(List.of("seq_rep_4", "distinct_1", "distinct_4", "token_entropy_bits", "code_usage", "longest_run",
        "previous_frame_copy_share"), r.tables().stream().map(GroupTable::metric).toList());
    assertEquals(8.0 / 9, r.overall("seq_rep_4").value(), 1e-15);
    assertEquals(0.0, r.overall("seq_rep_4").baseline(), 0.0);
    // distinct-1 of the generated set: ids {1, 2} over 48 tokens; group a: {1} over 24
    assertEquals(2.0 / 48, r.overall("distinct_1").value(), 1e-15);
    assertEquals(1.0 / 24, value(table(r, "distinct_1").groups(), "a"), 1e-15);
    assertEquals(1.0, value(table(r, "distinct_1").baseline(), "a"), 0.0);
    assertEquals(0.0, r.overall("token_entropy_bits").value(), 0.0);
    assertEquals(Math.log(12) / Math.log(2), r.overall("token_entropy_bits").baseline(), 1e-12);
    assertEquals(2.0 / 64, r.overall("code_usage").value(), 0.0);
    assertEquals(48.0 / 64, r.overall("code_usage").baseline(), 0.0);
    assertEquals(12.0, r.overall("longest_run").value(), 0.0);
    assertEquals(1.0, r.overall("longest_run").baseline(), 0.0);
    assertEquals(1.0, r.overall("previous_frame_copy_share").value(), 0.0);
    assertEquals(0.0, r.overall("previous_frame_copy_share").baseline(), 0.0);
    GroupTable seqRep = table(r, "seq_rep_4");
    assertEquals(Provenance.EVAL_PUBLIC, seqRep.provenance());
    assertEquals(Provenance.TRAIN_UNPROTECTED, seqRep.baselineProvenance());
    assertTrue(seqRep.baselineLabel().startsWith(CollapseEvaluation.BASELINE_LABEL), seqRep.baselineLabel());
    assertEquals(2, seqRep.baseline().size());
  }

  @Test
  void setLevelBaseline_isSizeMatchedToTheGeneratedGroup() {
    // real group a: two copies of X and two of Y (disjoint, all-distinct). On all four, distinct-1 = 0.5;
    // subsets of two are {X, X} or {Y, Y} (0.5) with probability 1/3 and {X, Y} (1.0) with 2/3.
    List<TokenGrid> realGrids = List.of(offset(0), offset(0), offset(12), offset(12));
    VideoSet real = new VideoSet("real", realGrids, null, tones("a", "a", "a", "a"), Provenance.TRAIN_UNPROTECTED);
    VideoSet twoGenerated = new VideoSet("gen", List.of(offset(30), offset(40)), null, tones("a", "a"),
        Provenance.EVAL_PUBLIC);
    CollapseOptions many = CollapseOptions.DEFAULT.withBaselineSubsets(400);
    double matched = CollapseEvaluation.evaluate(twoGenerated, real, CODES, many, OPTIONS).overall("distinct_1")
        .baseline();
    // mean over 400 seeded subsets: expected 5/6, standard error sqrt(2/9 * 1/4 / 400) = 0.012
    assertEquals(5.0 / 6, matched, 0.05);
    VideoSet fourGenerated = new VideoSet("gen", List.of(offset(30), offset(40), offset(30), offset(40)), null,
        tones("a", "a", "a", "a"), Provenance.EVAL_PUBLIC);
    assertEquals(0.5, CollapseEvaluation.evaluate(fourGenerated, real, CODES, many, OPTIONS).overall("distinct_1")
        .baseline(), 0.0);
  }

  @Test
  void decodedClips_addTheFrozenFrameRatio() {
    Clip still = TestClips.flat(5, 8, 8, t -> 0.5f);
    Clip moving = TestClips.flat(5, 8, 8, t -> 0.1f * t);
    VideoSet generated = new VideoSet("gen", List.of(constant(1), constant(1)), List.of(still, still), tones("a", "b"),
        Provenance.EVAL_PUBLIC);
    VideoSet real = new VideoSet("real", List.of(offset(0), offset(12)), List.of(moving, still), tones("a", "b"),
        Provenance.TRAIN_UNPROTECTED);
    CollapseReport r = CollapseEvaluation.evaluate(generated, real, CODES, CollapseOptions.DEFAULT, OPTIONS);
    assertEquals(1.0, r.overall("frozen_frame_ratio").value(), 0.0);
    assertEquals(0.5, r.overall("frozen_frame_ratio").baseline(), 0.0);
    assertEquals(0.0, value(table(r, "frozen_frame_ratio").baseline(), "a"), 0.0);
  }

  @Test
  void randomSamples_lookLikeRandomRealClips() {
    Random rng = new Random(3);
    List<TokenGrid> a = new ArrayList<>();
    List<TokenGrid> b = new ArrayList<>();
    String[] groups = new String[40];
    for (int i = 0; i < 40; i++) {
      a.add(random(rng));
      b.add(random(rng));
      groups[i] = i % 2 == 0 ? "a" : "b";
    }
    CollapseReport r = CollapseEvaluation.evaluate(new VideoSet("gen", a, null, tones(groups), Provenance.EVAL_PUBLIC),
        new VideoSet("real", b, null, tones(groups), Provenance.EVAL_PUBLIC), CODES, CollapseOptions.DEFAULT, OPTIONS);
    for (MetricComparison c : r.overall()) {
      double scale = Math.max(Math.abs(c.baseline()), 0.05);
      assertTrue(Math.abs(c.differenceToBaseline()) < 0.2 * scale + 0.02, c.toString());
    }
  }

  private static TokenGrid random(Random rng) {
    int[] ids = new int[SHAPE.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = rng.nextInt(CODES);
    }
    return new TokenGrid(SHAPE, ids);
  }

  @Test
  void badInput_isRejected() {
    VideoSet gen = new VideoSet("gen", List.of(constant(1)), null, tones("a"), Provenance.EVAL_PUBLIC);
    VideoSet real = new VideoSet("real", List.of(constant(100)), null, tones("a"), Provenance.TRAIN_UNPROTECTED);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CollapseEvaluation.evaluate(gen, real, CODES, CollapseOptions.DEFAULT, OPTIONS));
    assertTrue(e.getMessage().contains("beyond the codebook"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> CollapseEvaluation.evaluate(gen, gen, CODES,
        CollapseOptions.DEFAULT, GroupMetricsOptions.of(Provenance.TRAIN_DP)));
    assertThrows(IllegalArgumentException.class, () -> new VideoSet("x", List.of(constant(1)), null, tones("a", "b"),
        Provenance.EVAL_PUBLIC));
    assertThrows(IllegalArgumentException.class, () -> CollapseOptions.DEFAULT.withDistinctOrders(List.of(2, 2)));
  }
}
