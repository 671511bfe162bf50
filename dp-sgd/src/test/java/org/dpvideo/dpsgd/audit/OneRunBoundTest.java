package org.dpvideo.dpsgd.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Random;
import org.apache.commons.math3.special.Beta;
import org.junit.jupiter.api.Test;

class OneRunBoundTest {
  private static final MathContext MC = new MathContext(60);

  private static double q(double eps) {
    return Math.exp(eps) / (1 + Math.exp(eps));
  }

  /** P[Binomial(r, p) >= v] in exact decimal arithmetic (p taken exactly from its double). */
  private static BigDecimal exactTail(int r, int v, double p) {
    BigDecimal bp = new BigDecimal(p);
    BigDecimal bq = BigDecimal.ONE.subtract(bp);
    BigDecimal sum = BigDecimal.ZERO;
    for (int j = v; j <= r; j++) {
      sum = sum.add(new BigDecimal(binomial(r, j)).multiply(bp.pow(j, MC), MC).multiply(bq.pow(r - j, MC), MC), MC);
    }
    return sum;
  }

  private static java.math.BigInteger binomial(int n, int k) {
    java.math.BigInteger b = java.math.BigInteger.ONE;
    for (int i = 0; i < k; i++) {
      b = b.multiply(java.math.BigInteger.valueOf(n - i)).divide(java.math.BigInteger.valueOf(i + 1));
    }
    return b;
  }

  @Test
  void pureDpPValue_matchesTheBinomialTailFromTheRegularizedBetaFunction() {
    int[][] cases = {{10, 7}, {100, 60}, {100, 95}, {1000, 700}, {1000, 1000}, {5000, 2600}, {37, 1}};
    for (int[] c : cases) {
      for (double eps : new double[] {0, 0.1, 0.5, 1, 2, 4, 8}) {
        double expected = Beta.regularizedBeta(q(eps), c[1], c[0] - c[1] + 1);
        double actual = OneRunBound.pValue(c[0], c[0], c[1], eps, 0);
        assertEquals(expected, actual, 1e-9 * Math.max(expected, 1e-12) + 1e-15, "r=" + c[0] + " v=" + c[1] + " eps=" + eps);
      }
    }
  }

  @Test
  void pureDpPValue_matchesAnExactDecimalBinomialSum() {
    for (int r : new int[] {1, 5, 20, 60}) {
      for (int v = 0; v <= r; v += Math.max(1, r / 7)) {
        for (double eps : new double[] {0.3, 1.7, 5}) {
          double exact = exactTail(r, v, q(eps)).doubleValue();
          assertEquals(exact, OneRunBound.pValue(r + 3, r, v, eps, 0), 1e-12 * exact + 1e-300,
              "r=" + r + " v=" + v + " eps=" + eps);
        }
      }
    }
  }

  @Test
  void approximateDpPValue_matchesTheTheoremWrittenWithTailDifferences() {
    // f(v) + 2 m delta max_i (f(v-i) - f(v)) / i, with every f an exact decimal tail (the theorem's form).
    int m = 300;
    double delta = 1e-3;
    for (int r : new int[] {12, 40}) {
      for (int v : new int[] {r / 2, (3 * r) / 4, r}) {
        for (double eps : new double[] {0.5, 2}) {
          double p = q(eps);
          BigDecimal fv = exactTail(r, v, p);
          BigDecimal best = BigDecimal.ZERO;
          for (int i = 1; i <= m; i++) {
            BigDecimal fvi = v - i <= 0 ? BigDecimal.ONE : exactTail(r, v - i, p);
            BigDecimal term = fvi.subtract(fv).divide(BigDecimal.valueOf(i), MC);
            best = best.max(term);
          }
          double expected = Math.min(1, fv.add(best.multiply(BigDecimal.valueOf(2.0 * m * delta), MC)).doubleValue());
          assertEquals(expected, OneRunBound.pValue(m, r, v, eps, delta), 1e-12,
              "r=" + r + " v=" + v + " eps=" + eps);
        }
      }
    }
  }

  @Test
  void pValue_boundsTheTailOfAnEpsDeltaMechanism_whereThePureBoundDoesNot() {
    // Each canary's bit is revealed with probability delta, otherwise released by eps-randomized
    // response: an (eps, delta)-DP mechanism whose correct-guess count is Binomial(r, q + delta (1 - q)).
    int m = 400;
    int r = 400;
    double delta = 1.0 / (2 * m);
    double eps = 1;
    double trueRate = q(eps) + delta * (1 - q(eps));
    // Exact tails of Binomial(r, trueRate), summed from the top in 60-digit decimals.
    BigDecimal p = new BigDecimal(trueRate);
    BigDecimal one = BigDecimal.ONE.subtract(p);
    double[] tails = new double[r + 2];
    BigDecimal tail = BigDecimal.ZERO;
    for (int j = r; j >= 0; j--) {
      tail = tail.add(new BigDecimal(binomial(r, j)).multiply(p.pow(j, MC), MC).multiply(one.pow(r - j, MC), MC), MC);
      tails[j] = tail.doubleValue();
    }
    boolean pureBoundFailsSomewhere = false;
    for (int v = 0; v <= r; v++) {
      double truth = tails[v];
      assertTrue(truth <= OneRunBound.pValue(m, r, v, eps, delta) * (1 + 1e-12),
          "v=" + v + ": P[W >= v] = " + truth + " above the bound " + OneRunBound.pValue(m, r, v, eps, delta));
      if (truth > OneRunBound.pValue(m, r, v, eps, 0) * 1.01) {
        pureBoundFailsSomewhere = true;
      }
    }
    assertTrue(pureBoundFailsSomewhere, "the delta term must matter for this mechanism");
  }

  @Test
  void allCorrectGuesses_withoutDelta_giveTheClosedFormBound() {
    // p_eps(r) = q^r < beta  <=>  q < beta^(1/r)  <=>  eps < logit(beta^(1/r)).
    for (int r : new int[] {1, 10, 100, 1000}) {
      for (double beta : new double[] {0.05, 0.01}) {
        double root = Math.pow(beta, 1.0 / r);
        double closed = Math.log(root / (1 - root));
        double expected = Math.max(0, closed);
        assertEquals(expected, OneRunBound.epsilonLowerBound(r, r, r, 0, beta), 1e-7, "r=" + r + " beta=" + beta);
      }
    }
    // With 100 guesses all correct, 95% confidence: eps >= 3.493 (logit(0.05^(1/100)) = ln(0.970487/0.029513)).
    assertEquals(3.4930, OneRunBound.epsilonLowerBound(100, 100, 100, 0, 0.05), 1e-3);
  }

  @Test
  void epsilonLowerBound_isAnEvaluatedRejection_andTheSmallestNonRejectionIsJustAbove() {
    int[][] cases = {{1000, 200, 180}, {1000, 1000, 640}, {50, 20, 20}, {10000, 500, 300}};
    for (int[] c : cases) {
      double delta = 1e-5;
      double lb = OneRunBound.epsilonLowerBound(c[0], c[1], c[2], delta, 0.05);
      assertTrue(lb > 0, "case " + java.util.Arrays.toString(c));
      assertTrue(OneRunBound.pValue(c[0], c[1], c[2], lb, delta) < 0.05);
      assertTrue(OneRunBound.pValue(c[0], c[1], c[2], lb + 1e-6, delta) >= 0.05);
    }
  }

  @Test
  void epsilonLowerBound_growsWithCorrectGuesses_andShrinksWithDeltaAndConfidence() {
    int m = 2000;
    double last = -1;
    for (int v = 100; v <= 200; v += 5) {
      double lb = OneRunBound.epsilonLowerBound(m, 200, v, 1e-5, 0.05);
      assertTrue(lb >= last, "v=" + v + ": " + lb + " < " + last);
      last = lb;
    }
    assertTrue(last > 2.5, "200 of 200 correct: " + last);
    // All correct: more guesses, larger bound; the same number correct among more guesses: smaller bound.
    last = -1;
    for (int r = 10; r <= 2000; r *= 2) {
      double lb = OneRunBound.epsilonLowerBound(m, r, r, 1e-5, 0.05);
      assertTrue(lb > last, "r=" + r);
      last = lb;
    }
    last = Double.MAX_VALUE;
    for (int r = 150; r <= 300; r += 10) {
      double lb = OneRunBound.epsilonLowerBound(m, r, 150, 1e-5, 0.05);
      assertTrue(lb <= last, "r=" + r);
      last = lb;
    }
    double base = OneRunBound.epsilonLowerBound(m, 400, 330, 0, 0.05);
    assertTrue(OneRunBound.epsilonLowerBound(m, 400, 330, 2e-4, 0.05) < base, "delta loosens the bound");
    assertTrue(OneRunBound.epsilonLowerBound(m, 400, 330, 0, 0.01) < base, "higher confidence, smaller bound");
  }

  @Test
  void randomizedResponse_boundExceedsTheTrueEpsilonAtMostBetaOfTheTime_andApproachesItWithManyGuesses() {
    double eps = 1;
    int m = 200;
    int trials = 2000;
    Random rnd = new Random(20230508);
    int exceed = 0;
    for (int t = 0; t < trials; t++) {
      int correct = 0;
      for (int i = 0; i < m; i++) {
        if (rnd.nextDouble() < q(eps)) {
          correct++;
        }
      }
      if (OneRunBound.epsilonLowerBound(m, m, correct, 0, 0.05) > eps) {
        exceed++;
      }
    }
    // Expected at most 5% (100); allow 3 standard deviations.
    assertTrue(exceed <= 100 + 3 * Math.sqrt(trials * 0.05 * 0.95), exceed + " of " + trials + " bounds above eps");
    assertTrue(exceed >= 20, "the test must be able to see exceedances: " + exceed);
    int big = 40000;
    int correct = 0;
    for (int i = 0; i < big; i++) {
      if (rnd.nextDouble() < q(eps)) {
        correct++;
      }
    }
    double lb = OneRunBound.epsilonLowerBound(big, big, correct, 0, 0.05);
    assertTrue(lb > 0.9 && lb < 1.1, "40000 randomized-response guesses at eps = 1 give " + lb);
  }

  @Test
  void badArguments_areRejectedWithTheValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OneRunBound.epsilonLowerBound(1000, 100, 90, 1e-3, 0.05));
    assertTrue(e.getMessage().contains("1/(2m)") && e.getMessage().contains("0.001"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> OneRunBound.epsilonLowerBound(10, 11, 5, 0, 0.05));
    assertThrows(IllegalArgumentException.class, () -> OneRunBound.epsilonLowerBound(10, 5, 6, 0, 0.05));
    assertThrows(IllegalArgumentException.class, () -> OneRunBound.epsilonLowerBound(10, 5, 5, 0, 1.0));
    assertThrows(IllegalArgumentException.class, () -> OneRunBound.pValue(10, 5, 5, Double.NaN, 0));
    assertEquals(0, OneRunBound.epsilonLowerBound(100, 0, 0, 0, 0.05));
  }
}
