package org.dpvideo.finetune.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.dpvideo.tokenizer.GridShape;
import org.dpvideo.tokenizer.TokenGrid;
import org.junit.jupiter.api.Test;

class TokenStatisticsTest {
  private static final GridShape SHAPE = new GridShape(3, 2, 2);
  private static final int[] CONSTANT = {7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7};
  private static final int[] DISTINCT = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
  /** Every latent frame a copy of the first: [1 2 3 4] three times. */
  private static final int[] COPIED = {1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4};

  @Test
  void constantGrid_isFullyRepetitive() {
    assertEquals(1 - 1.0 / 9, TokenStatistics.seqRep(CONSTANT, 4), 1e-15); // 9 4-grams, 1 unique
    assertEquals(0.0, TokenStatistics.entropyBits(CONSTANT), 0.0);
    assertEquals(12, TokenStatistics.longestRun(CONSTANT));
    assertEquals(1.0, TokenStatistics.previousFrameCopyShare(new TokenGrid(SHAPE, CONSTANT)), 0.0);
    assertEquals(1.0 / 9, TokenStatistics.distinct(List.of(CONSTANT), 4), 1e-15);
    assertEquals(1.0 / 16, TokenStatistics.codeUsage(List.of(CONSTANT), 16), 0.0);
  }

  @Test
  void allDistinctGrid_hasNoRepetition() {
    assertEquals(0.0, TokenStatistics.seqRep(DISTINCT, 4), 0.0);
    assertEquals(0.0, TokenStatistics.seqRep(DISTINCT, 1), 0.0);
    assertEquals(Math.log(12) / Math.log(2), TokenStatistics.entropyBits(DISTINCT), 1e-12);
    assertEquals(1, TokenStatistics.longestRun(DISTINCT));
    assertEquals(0.0, TokenStatistics.previousFrameCopyShare(new TokenGrid(SHAPE, DISTINCT)), 0.0);
    assertEquals(1.0, TokenStatistics.distinct(List.of(DISTINCT), 2), 0.0);
    assertEquals(12.0 / 16, TokenStatistics.codeUsage(List.of(DISTINCT), 16), 0.0);
  }

  @Test
  void frameCopyingGrid_copiesEveryToken_butRepeatsOnlyAcrossFrames() {
    assertEquals(1.0, TokenStatistics.previousFrameCopyShare(new TokenGrid(SHAPE, COPIED)), 0.0);
    // 4-grams at offsets 0..8: 1234, 2341, 3412, 4123, then the same four again and 1234: 4 unique of 9
    assertEquals(1 - 4.0 / 9, TokenStatistics.seqRep(COPIED, 4), 1e-15);
    assertEquals(2.0, TokenStatistics.entropyBits(COPIED), 1e-12);
    assertEquals(1, TokenStatistics.longestRun(COPIED));
  }

  @Test
  void distinct_acrossSamples_countsSharedNgramsOnce() {
    // two identical all-distinct samples: 24 unigrams, 12 distinct
    assertEquals(0.5, TokenStatistics.distinct(List.of(DISTINCT, DISTINCT.clone()), 1), 0.0);
    // unigrams: 24 in all; COPIED's ids 1..4 are among DISTINCT's 0..11, so 12 distinct
    assertEquals(12.0 / 24, TokenStatistics.distinct(List.of(DISTINCT, COPIED), 1), 0.0);
    // bigrams: DISTINCT has 11 distinct; COPIED has 12, 23, 34, 41; the first three are also in DISTINCT
    assertEquals((11 + 4 - 3) / 22.0, TokenStatistics.distinct(List.of(DISTINCT, COPIED), 2), 1e-15);
  }

  @Test
  void longestRun_findsTheLongestStretch() {
    assertEquals(3, TokenStatistics.longestRun(new int[] {1, 1, 2, 2, 2, 1, 3, 3}));
    assertEquals(0, TokenStatistics.longestRun(new int[0]));
  }

  @Test
  void undefinedCases_areNaN() {
    assertTrue(Double.isNaN(TokenStatistics.seqRep(new int[] {1, 2, 3}, 4)));
    assertTrue(Double.isNaN(TokenStatistics.distinct(List.of(new int[] {1}), 2)));
    assertTrue(Double.isNaN(TokenStatistics.entropyBits(new int[0])));
    assertTrue(Double.isNaN(TokenStatistics.previousFrameCopyShare(new TokenGrid(new GridShape(1, 2, 2),
        new int[] {1, 1, 1, 1}))));
  }

  @Test
  void badArguments_areRejected() {
    assertThrows(IllegalArgumentException.class, () -> TokenStatistics.seqRep(DISTINCT, 0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TokenStatistics.codeUsage(List.of(DISTINCT), 8));
    assertTrue(e.getMessage().contains("codebook"), e.getMessage());
  }
}
