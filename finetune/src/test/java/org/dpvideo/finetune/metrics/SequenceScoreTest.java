package org.dpvideo.finetune.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SequenceScoreTest {
  @Test
  void uniformLogits_giveLogVocabularyAndPerplexityVocabulary() {
    float[][] logits = new float[5][8];
    SequenceScore s = SequenceScore.fromLogits(logits, new int[] {3, 1, 7, 0, 2});
    assertEquals(Math.log(8), s.nllPerToken(), 1e-12);
    assertEquals(8.0, s.perplexity(), 1e-9);
    assertEquals(5, s.tokens());
  }

  @Test
  void twoClassLogits_giveHandComputedNllAndAccuracy() {
    float ln3 = (float) Math.log(3);
    float[][] logits = {{0f, ln3}, {0f, ln3}};
    // p(1) = 3/4: target 1 costs -log(3/4), target 0 costs log 4; the arg max (1) is right once
    SequenceScore s = SequenceScore.fromLogits(logits, new int[] {1, 0});
    assertEquals(-Math.log(0.75) + Math.log(4), s.nllSum(), 1e-6);
    assertEquals(0.5, s.accuracy(), 0.0);
  }

  @Test
  void ignoredPositions_areNotScored() {
    float[][] logits = {{5f, 0f}, {0f, 0f}, {0f, 5f}};
    SequenceScore s = SequenceScore.fromLogits(logits, new int[] {SequenceScore.IGNORE, 0, SequenceScore.IGNORE});
    assertEquals(1, s.tokens());
    assertEquals(Math.log(2), s.nllSum(), 1e-12);
    assertEquals(1.0, s.accuracy(), 0.0); // tie: the lowest id is the arg max
  }

  @Test
  void flatLogits_equalRowLogits() {
    float[] flat = {0.1f, 2f, -1f, 0.5f, 0.5f, 3f};
    int[] targets = {1, 2};
    assertEquals(SequenceScore.fromLogits(new float[][] {{0.1f, 2f, -1f}, {0.5f, 0.5f, 3f}}, targets),
        SequenceScore.fromLogits(flat, 3, targets));
    assertThrows(IllegalArgumentException.class, () -> SequenceScore.fromLogits(flat, 4, targets));
  }

  @Test
  void targetLogProbs_scoreWithoutLogits() {
    SequenceScore s = SequenceScore.fromTargetLogProbs(new double[] {Math.log(0.5), Math.log(0.25)},
        new boolean[] {true, false});
    assertEquals(Math.log(8), s.nllSum(), 1e-12);
    assertEquals(0.5, s.accuracy(), 0.0);
    assertTrue(Double.isNaN(SequenceScore.fromTargetLogProbs(new double[] {-1}, null).accuracy()));
    assertThrows(IllegalArgumentException.class, () -> SequenceScore.fromTargetLogProbs(new double[] {0.5}, null));
  }

  @Test
  void total_isTokenWeighted() {
    SequenceScore a = new SequenceScore(1.0, 1, 1);
    SequenceScore b = new SequenceScore(6.0, 3, 0);
    SequenceScore t = SequenceScore.total(List.of(a, b));
    assertEquals(7.0 / 4, t.nllPerToken(), 0.0); // not (1 + 2) / 2
    assertEquals(0.25, t.accuracy(), 0.0);
    assertEquals(-1, SequenceScore.total(List.of(a, new SequenceScore(1, 1, -1))).correct());
  }

  @Test
  void impossibleTargets_areRejected() {
    float[][] masked = {{0f, Float.NEGATIVE_INFINITY}};
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SequenceScore.fromLogits(masked, new int[] {1}));
    assertTrue(e.getMessage().contains("-inf"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SequenceScore.fromLogits(masked, new int[] {2}));
    assertThrows(IllegalArgumentException.class, () -> SequenceScore.fromLogits(new float[][] {{Float.NaN}},
        new int[] {0}));
  }
}
