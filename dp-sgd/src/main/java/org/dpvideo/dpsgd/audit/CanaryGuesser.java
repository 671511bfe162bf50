package org.dpvideo.dpsgd.audit;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Turns canary scores into guesses and counts the correct ones: "included" for the k+ highest
 * scores, "excluded" for the k- lowest. Ties are broken by canary index, which is fixed before the
 * inclusion bits are drawn and independent of them, so tie-breaking carries no information about the
 * bits. Stateless and thread-safe.
 */
public final class CanaryGuesser {
  private CanaryGuesser() {}

  /**
   * The result of one (k+, k-) choice.
   *
   * @param guesses the choice
   * @param correct v, the number of correct guesses among the r = k+ + k-
   */
  public record Count(Guesses guesses, int correct) {
    /** r. */
    public int total() {
      return guesses.total();
    }
  }

  /**
   * Counts correct guesses.
   *
   * @param scores one finite score per canary; higher means "more likely included"
   * @param included the true inclusion bits
   * @param guesses k+ and k-, with {@code k+ + k- <= m}
   * @throws IllegalArgumentException if lengths differ, a score is not finite, or the guesses do not fit
   */
  public static Count count(double[] scores, boolean[] included, Guesses guesses) {
    if (scores.length != included.length) {
      throw new IllegalArgumentException("need one score per canary: " + scores.length + " scores for "
          + included.length + " canaries");
    }
    guesses.requireFits(scores.length);
    for (int i = 0; i < scores.length; i++) {
      if (!Double.isFinite(scores[i])) {
        throw new IllegalArgumentException("canary " + i + " has a non-finite score (" + scores[i] + ")");
      }
    }
    double[] s = new double[scores.length];
    for (int i = 0; i < s.length; i++) {
      s[i] = scores[i] + 0.0; // -0.0 becomes 0.0: the sign of a zero must not order canaries
    }
    Integer[] order = IntStream.range(0, s.length).boxed().toArray(Integer[]::new);
    // Descending score; equal scores in increasing index.
    Arrays.sort(order, Comparator.<Integer, Double>comparing(i -> s[i], Comparator.reverseOrder())
        .thenComparingInt(i -> i));
    int correct = 0;
    for (int k = 0; k < guesses.positive(); k++) {
      if (included[order[k]]) {
        correct++;
      }
    }
    for (int k = 0; k < guesses.negative(); k++) {
      if (!included[order[order.length - 1 - k]]) {
        correct++;
      }
    }
    return new Count(guesses, correct);
  }
}
