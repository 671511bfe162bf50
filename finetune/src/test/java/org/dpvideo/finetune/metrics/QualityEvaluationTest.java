package org.dpvideo.finetune.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.dpvideo.fairness.Provenance;
import org.dpvideo.fairness.group.GroupAssignment;
import org.dpvideo.fairness.group.GroupKey;
import org.dpvideo.fairness.metrics.GroupEstimate;
import org.dpvideo.fairness.metrics.GroupMetricsOptions;
import org.dpvideo.fairness.report.GroupTable;
import org.junit.jupiter.api.Test;

class QualityEvaluationTest {
  private static final GroupAssignment TONES = GroupAssignment.ofColumn("skin_tone",
      new String[] {"1F3FB", "1F3FB", "1F3FF", "1F3FF"});
  private static final GroupMetricsOptions OPTIONS = GroupMetricsOptions.of(Provenance.EVAL_PUBLIC).withMinGroupSize(1);

  private static GroupTable table(QualityReport r, String metric) {
    return r.tables().stream().filter(t -> t.metric().equals(metric)).findFirst().orElseThrow();
  }

  private static double group(GroupTable t, String tone) {
    GroupKey k = GroupKey.of("skin_tone", tone);
    return t.groups().stream().filter(e -> e.group().equals(k)).mapToDouble(GroupEstimate::value).findFirst()
        .orElseThrow();
  }

  @Test
  void likelihood_perGroup_isTokenWeighted() {
    List<SequenceScore> scores = List.of(new SequenceScore(1.0, 1, 1), new SequenceScore(6.0, 3, 0),
        new SequenceScore(2.0, 2, 2), new SequenceScore(2.0, 2, 1));
    QualityReport r = QualityEvaluation.likelihood(scores, TONES, OPTIONS, "held-out test clips");
    GroupTable nll = table(r, QualityEvaluation.NLL);
    assertEquals(7.0 / 4, group(nll, "1F3FB"), 1e-15);
    assertEquals(1.0, group(nll, "1F3FF"), 1e-15);
    assertEquals(11.0 / 8, nll.overall().value(), 1e-15);
    assertEquals(Math.exp(11.0 / 8), r.overall(QualityEvaluation.PERPLEXITY).value(), 1e-12);
    assertEquals(4.0 / 8, r.overall(QualityEvaluation.ACCURACY).value(), 0.0);
    assertEquals(0.75, group(table(r, QualityEvaluation.ACCURACY), "1F3FF"), 0.0);
    assertEquals(Boolean.FALSE, nll.higherIsBetter());
    assertEquals(Boolean.TRUE, table(r, QualityEvaluation.ACCURACY).higherIsBetter());
    assertEquals(Provenance.EVAL_PUBLIC, nll.provenance());
    assertTrue(nll.aggregates().stream().anyMatch(a -> a.name().equals("nll_per_token_difference_between_groups")
        && Math.abs(a.value() - 0.75) < 1e-15));
  }

  @Test
  void clips_withReferencesAndRealBaseline_giveEveryTable() {
    PixelQuality withRef = new PixelQuality(0.02, 0.001, 0.003, 0.25, 24.0, 0.8);
    PixelQuality other = new PixelQuality(0.04, 0.003, 0.001, 0.0, 26.0, 0.9);
    GroupAssignment realGroups = GroupAssignment.ofColumn("skin_tone", new String[] {"1F3FB", "1F3FF"});
    QualityReport r = QualityEvaluation.clips(List.of(withRef, other, withRef, other), TONES, OPTIONS, "samples",
        List.of(new PixelQuality(0.05, 0.0, 0.0, 0.0, Double.NaN, Double.NaN),
            new PixelQuality(0.07, 0.0, 0.0, 0.0, Double.NaN, Double.NaN)), realGroups, Provenance.TRAIN_UNPROTECTED,
        "real held-out clips");
    assertEquals(List.of("motion_magnitude", "brightness_flicker", "detail_flicker", "psnr_db", "ssim"),
        r.tables().stream().map(GroupTable::metric).toList());
    GroupTable motion = table(r, QualityEvaluation.MOTION);
    assertEquals(0.03, motion.overall().value(), 1e-15);
    assertEquals(0.06, r.overall(QualityEvaluation.MOTION).baseline(), 1e-15);
    assertEquals(Provenance.TRAIN_UNPROTECTED, motion.baselineProvenance());
    assertEquals(0.05, motion.baseline().get(0).value(), 0.0);
    assertTrue(table(r, QualityEvaluation.PSNR).baseline().isEmpty());
    assertEquals(25.0, r.overall(QualityEvaluation.PSNR).value(), 1e-12);
  }

  @Test
  void clips_withoutReferences_haveNoPsnrTable() {
    PixelQuality q = new PixelQuality(0.02, 0.001, 0.003, 0.25, Double.NaN, Double.NaN);
    QualityReport r = QualityEvaluation.clips(List.of(q, q, q, q), TONES, OPTIONS, "samples", null, null, null, null);
    assertFalse(r.tables().stream().anyMatch(t -> t.metric().equals(QualityEvaluation.PSNR)));
    assertTrue(Double.isNaN(r.overall(QualityEvaluation.MOTION).baseline()));
  }
}
