package org.dpvideo.dpsgd.audit;

import java.util.ArrayList;
import java.util.List;

/**
 * Which (k+, k-) choices an audit evaluates, and how the choice is paid for.
 *
 * <p>The one-run bound holds for a number of guesses fixed before the scores are seen. Reporting the
 * best of J choices after looking at all of them is a multiple comparison: each choice is evaluated at
 * level {@code beta / J} (Bonferroni), so the probability that any of the J bounds is wrong, and therefore
 * that the reported maximum is wrong, is at most beta. A single fixed choice pays nothing.
 *
 * @param choices the (k+, k-) pairs, at least one, fixed before the audit runs
 */
public record GuessPlan(List<Guesses> choices) {
  /** The fractions of m guessed in total by {@link #standard(int)}, half positive and half negative. */
  public static final double[] STANDARD_FRACTIONS = {0.05, 0.1, 0.2, 0.5, 1.0};

  public GuessPlan {
    choices = List.copyOf(choices);
    if (choices.isEmpty()) {
      throw new IllegalArgumentException("a guess plan needs at least one (k+, k-) choice");
    }
  }

  /** One choice fixed in advance (no correction). */
  public static GuessPlan fixed(int positive, int negative) {
    return new GuessPlan(List.of(new Guesses(positive, negative)));
  }

  /**
   * The default plan for m canaries: guess 5%, 10%, 20%, 50% and 100% of them (half positive, half
   * negative), each at level beta/5. Duplicate choices (small m) are merged, which only lowers J.
   */
  public static GuessPlan standard(int canaries) {
    if (canaries < 2) {
      throw new IllegalArgumentException("an audit needs at least 2 canaries, got " + canaries);
    }
    List<Guesses> out = new ArrayList<>();
    for (double f : STANDARD_FRACTIONS) {
      int half = Math.max(1, (int) Math.floor(f * canaries / 2));
      Guesses g = new Guesses(half, half);
      if (!out.contains(g)) {
        out.add(g);
      }
    }
    return new GuessPlan(out);
  }

  /** J, the number of choices the confidence is split over. */
  public int size() {
    return choices.size();
  }

  /** The level each choice is evaluated at: {@code beta / J}. */
  public double levelPerChoice(double beta) {
    return beta / choices.size();
  }

  /**
   * Checks that every choice fits m canaries.
   *
   * @throws IllegalArgumentException naming the first choice that does not fit
   */
  public void requireFits(int canaries) {
    for (Guesses g : choices) {
      g.requireFits(canaries);
    }
  }
}
