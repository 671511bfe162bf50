package org.dpvideo.finetune.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dpvideo.dpsgd.noise.RandomStream;
import org.junit.jupiter.api.Test;

class NextTokenDistributionTest {
  private static final float[] LOGITS = {1.0f, 3.0f, -0.5f, 2.0f, 0.0f};

  /** Independent oracle: softmax(l / T) over the given ids, in double precision. */
  private static double[] softmax(float[] logits, double t, int... ids) {
    double[] p = new double[logits.length];
    double z = 0;
    for (int i : ids) {
      z += Math.exp(logits[i] / t);
    }
    for (int i : ids) {
      p[i] = Math.exp(logits[i] / t) / z;
    }
    return p;
  }

  @Test
  void probabilities_defaultConfig_equalSoftmaxOfLogits() {
    double[] p = NextTokenDistribution.of(LOGITS, SamplingConfig.DEFAULT).probabilities();
    assertArrayEquals(softmax(LOGITS, 1, 0, 1, 2, 3, 4), p, 1e-12);
  }

  @Test
  void probabilities_temperature_divideLogits() {
    double[] p = NextTokenDistribution.of(LOGITS, SamplingConfig.DEFAULT.withTemperature(0.5)).probabilities();
    assertArrayEquals(softmax(LOGITS, 0.5, 0, 1, 2, 3, 4), p, 1e-12);
    double[] hot = NextTokenDistribution.of(LOGITS, SamplingConfig.DEFAULT.withTemperature(4)).probabilities();
    assertArrayEquals(softmax(LOGITS, 4, 0, 1, 2, 3, 4), hot, 1e-12);
  }

  @Test
  void temperatureZero_anyLogits_isPointMassOnArgmax() {
    NextTokenDistribution d = NextTokenDistribution.of(LOGITS, SamplingConfig.greedy());
    assertArrayEquals(new int[] {1}, d.support());
    assertEquals(1, d.draw(() -> 0.999));
  }

  @Test
  void temperatureZero_tie_picksLowestId() {
    float[] tied = {0f, 5f, 1f, 5f};
    assertEquals(1, NextTokenDistribution.of(tied, SamplingConfig.greedy()).mode());
  }

  @Test
  void temperatureTowardsZero_convergesToArgmax() {
    double previous = 0;
    for (double t : new double[] {1, 0.3, 0.1, 0.03, 0.01}) {
      double pMax = NextTokenDistribution.of(LOGITS, SamplingConfig.DEFAULT.withTemperature(t)).probabilities()[1];
      assertTrue(pMax > previous, "p(argmax) must grow as T falls, T=" + t);
      previous = pMax;
    }
    // gap to the runner-up is 1 logit: p(argmax) >= 1 - 4 e^{-1/T}
    assertTrue(previous >= 1 - 4 * Math.exp(-100), "p(argmax) at T=0.01 was " + previous);
  }

  @Test
  void topK_keepsExactlyTheKLargest_renormalized() {
    NextTokenDistribution d = NextTokenDistribution.of(LOGITS, SamplingConfig.DEFAULT.withTopK(2));
    assertArrayEquals(new int[] {1, 3}, d.support());
    assertArrayEquals(softmax(LOGITS, 1, 1, 3), d.probabilities(), 1e-12);
  }

  @Test
  void topK_tieAtBoundary_keepsLowerIdAndExactlyK() {
    float[] tied = {2f, 1f, 2f, 2f, 0f};
    assertArrayEquals(new int[] {0, 2}, NextTokenDistribution.of(tied, SamplingConfig.DEFAULT.withTopK(2)).support());
  }

  @Test
  void topK_negativeZeroAndTiedLogits_matchAComparatorSortOracle() {
    RandomStream r = RandomStream.seeded(9, "top-k oracle");
    for (int trial = 0; trial < 200; trial++) {
      float[] l = new float[40];
      for (int i = 0; i < l.length; i++) {
        // few distinct values, both signs, and both zeros: many ties
        l[i] = switch (r.nextInt(6)) {
          case 0 -> -0.0f;
          case 1 -> 0.0f;
          case 2 -> -5f;
          default -> (float) (r.nextInt(7) - 3) / 2;
        };
      }
      int k = 1 + r.nextInt(l.length);
      java.util.List<Integer> ids = new java.util.ArrayList<>();
      for (int i = 0; i < l.length; i++) {
        ids.add(i);
      }
      ids.sort((x, y) -> {
        int c = Float.compare(l[y], l[x]);
        return c != 0 ? c : Integer.compare(x, y);
      });
      int[] expected = ids.subList(0, k).stream().mapToInt(Integer::intValue).sorted().toArray();
      int[] support = NextTokenDistribution.of(l, SamplingConfig.DEFAULT.withTopK(k)).support();
      assertArrayEquals(expected, support, "trial " + trial + ", k " + k);
    }
  }

  @Test
  void topK_largerThanVocabulary_keepsAll() {
    assertEquals(5, NextTokenDistribution.of(LOGITS, SamplingConfig.DEFAULT.withTopK(50)).support().length);
  }

  @Test
  void topP_keepsSmallestNucleus() {
    // probabilities 0.5, 0.3, 0.15, 0.05 (as logits of their logs)
    float[] l = {(float) Math.log(0.5), (float) Math.log(0.3), (float) Math.log(0.15), (float) Math.log(0.05)};
    assertArrayEquals(new int[] {0}, NextTokenDistribution.of(l, SamplingConfig.DEFAULT.withTopP(0.5)).support());
    assertArrayEquals(new int[] {0, 1}, NextTokenDistribution.of(l, SamplingConfig.DEFAULT.withTopP(0.79)).support());
    assertArrayEquals(new int[] {0, 1, 2}, NextTokenDistribution.of(l, SamplingConfig.DEFAULT.withTopP(0.81))
        .support());
    double[] p = NextTokenDistribution.of(l, SamplingConfig.DEFAULT.withTopP(0.79)).probabilities();
    assertEquals(0.625, p[0], 1e-6);
    assertEquals(0.375, p[1], 1e-6);
  }

  @Test
  void topKThenTopP_applyInThatOrder() {
    float[] l = {(float) Math.log(0.4), (float) Math.log(0.3), (float) Math.log(0.2), (float) Math.log(0.1)};
    // top-k 3 renormalizes to 4/9, 3/9, 2/9; nucleus 0.7 then needs 0 and 1 (7/9 >= 0.7)
    SamplingConfig c = SamplingConfig.DEFAULT.withTopK(3).withTopP(0.7);
    assertArrayEquals(new int[] {0, 1}, NextTokenDistribution.of(l, c).support());
  }

  @Test
  void allowedRange_excludesOtherIds_evenTheirArgmax() {
    SamplingConfig c = SamplingConfig.DEFAULT.withAllowed(new TokenRange(2, 5));
    double[] p = NextTokenDistribution.of(LOGITS, c).probabilities();
    assertArrayEquals(softmax(LOGITS, 1, 2, 3, 4), p, 1e-12);
    assertEquals(3, NextTokenDistribution.of(LOGITS, c.withTemperature(0)).mode());
  }

  @Test
  void maskedLogits_getZeroProbability() {
    float[] l = {Float.NEGATIVE_INFINITY, 1f, 1f};
    assertArrayEquals(new double[] {0, 0.5, 0.5}, NextTokenDistribution.of(l, SamplingConfig.DEFAULT).probabilities(),
        1e-15);
  }

  @Test
  void invalidLogits_areRejectedWithPosition() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NextTokenDistribution.of(new float[] {0f, Float.NaN}, SamplingConfig.DEFAULT));
    assertTrue(e.getMessage().contains("id 1"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> NextTokenDistribution.of(new float[] {0f, Float.POSITIVE_INFINITY}, SamplingConfig.DEFAULT));
    float[] masked = {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, 3f};
    assertThrows(IllegalArgumentException.class,
        () -> NextTokenDistribution.of(masked, SamplingConfig.DEFAULT.withAllowed(new TokenRange(0, 2))));
    assertThrows(IllegalArgumentException.class,
        () -> NextTokenDistribution.of(LOGITS, SamplingConfig.DEFAULT.withAllowed(new TokenRange(3, 9))));
  }

  @Test
  void draw_manyDraws_matchProbabilitiesWithinTolerance() {
    SamplingConfig c = SamplingConfig.DEFAULT.withTemperature(0.8);
    NextTokenDistribution d = NextTokenDistribution.of(LOGITS, c);
    double[] p = d.probabilities();
    RandomStream rng = RandomStream.seeded(20240601L, "draw test");
    int n = 200_000;
    int[] counts = new int[p.length];
    for (int i = 0; i < n; i++) {
      counts[d.draw(rng::nextDouble)]++;
    }
    double chi2 = 0;
    for (int k = 0; k < p.length; k++) {
      double expected = n * p[k];
      double sd = Math.sqrt(n * p[k] * (1 - p[k]));
      // fixed seed; tolerance 4.5 standard deviations per category
      assertTrue(Math.abs(counts[k] - expected) <= 4.5 * sd,
          "id " + k + ": " + counts[k] + " draws, expected " + expected + " +- " + 4.5 * sd);
      chi2 += (counts[k] - expected) * (counts[k] - expected) / expected;
    }
    // chi-square with 4 degrees of freedom: 18.47 is the 0.999 quantile
    assertTrue(chi2 < 18.47, "chi-square " + chi2);
  }

  @Test
  void draw_inverseCdf_isDeterministicInTheUniform() {
    float[] l = {0f, 0f, 0f, 0f}; // 1/4 each
    NextTokenDistribution d = NextTokenDistribution.of(l, SamplingConfig.DEFAULT);
    assertEquals(0, d.draw(() -> 0.0));
    assertEquals(0, d.draw(() -> 0.2499));
    assertEquals(1, d.draw(() -> 0.25));
    assertEquals(3, d.draw(() -> 0.99999));
  }
}
