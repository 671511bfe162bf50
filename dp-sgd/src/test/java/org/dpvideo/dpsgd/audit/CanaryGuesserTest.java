package org.dpvideo.dpsgd.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CanaryGuesserTest {

  @Test
  void count_guessesHighestIncluded_andLowestExcluded() {
    double[] scores = {5, -1, 3, 0.5, -4, 2};
    boolean[] in = {true, false, false, true, false, true};
    // Top 2: canaries 0 (in, correct) and 2 (out, wrong). Bottom 2: 4 (out, correct) and 1 (out, correct).
    assertEquals(3, CanaryGuesser.count(scores, in, new Guesses(2, 2)).correct());
    assertEquals(1, CanaryGuesser.count(scores, in, new Guesses(1, 0)).correct());
    assertEquals(6, CanaryGuesser.count(scores, new boolean[] {true, false, true, true, false, true},
        new Guesses(4, 2)).correct());
  }

  @Test
  void ties_areBrokenByIndex_andTheSignOfZeroDoesNotMatter() {
    double[] scores = {0.0, -0.0, 0.0, -0.0};
    // Positive guess: index 0; negative guess: index 3.
    assertEquals(2, CanaryGuesser.count(scores, new boolean[] {true, true, false, false}, new Guesses(1, 1)).correct());
    assertEquals(0, CanaryGuesser.count(scores, new boolean[] {false, false, true, true}, new Guesses(1, 1)).correct());
  }

  @Test
  void badInput_isRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> CanaryGuesser.count(new double[] {1, 2}, new boolean[] {true}, new Guesses(1, 0)));
    assertThrows(IllegalArgumentException.class,
        () -> CanaryGuesser.count(new double[] {1, Double.NaN}, new boolean[] {true, false}, new Guesses(1, 0)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CanaryGuesser.count(new double[] {1, 2}, new boolean[] {true, false}, new Guesses(2, 1)));
    assertTrue(e.getMessage().contains("3 guesses"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Guesses(0, 0));
  }

  @Test
  void standardPlan_splitsTheConfidence_andTheReportedBoundIsTheBestChoice() {
    GuessPlan plan = GuessPlan.standard(200);
    assertEquals(5, plan.size());
    assertEquals(new Guesses(5, 5), plan.choices().get(0));
    assertEquals(new Guesses(100, 100), plan.choices().get(4));
    assertEquals(0.01, plan.levelPerChoice(0.05), 1e-15);
    // Perfect separation: scores = inclusion.
    boolean[] in = new boolean[200];
    double[] s = new double[200];
    for (int i = 0; i < 200; i++) {
      in[i] = i % 2 == 0;
      s[i] = in[i] ? 1 : 0;
    }
    AuditBound b = AuditBound.evaluate(s, in, plan, 1e-5, 0.95);
    assertEquals(5, b.perChoice().size());
    assertEquals(new Guesses(100, 100), b.best().guesses());
    assertEquals(200, b.best().correct());
    assertEquals(OneRunBound.epsilonLowerBound(200, 200, 200, 1e-5, 0.01), b.epsilonLowerBound(), 0);
    // A fixed plan pays no correction.
    AuditBound fixed = AuditBound.evaluate(s, in, GuessPlan.fixed(100, 100), 1e-5, 0.95);
    assertTrue(fixed.epsilonLowerBound() > b.epsilonLowerBound());
    assertEquals(4, GuessPlan.standard(20).size(), "duplicate small choices are merged: " + GuessPlan.standard(20));
  }
}
