package org.dpvideo.dpsgd.audit;

import java.util.ArrayList;
import java.util.List;

/**
 * The empirical lower bound of one audit: the best of the plan's (k+, k-) choices, each evaluated with
 * {@link OneRunBound} at level {@code beta / J} (see {@link GuessPlan}).
 *
 * @param epsilonLowerBound the reported bound: with probability at least {@code confidence} the audited
 *     algorithm is not (eps, delta)-DP for any eps below it
 * @param best the choice that gave it (the first of equal ones)
 * @param perChoice every choice with its count and its bound at level beta/J
 * @param canaries m
 * @param delta the delta the bound is for
 * @param confidence 1 - beta, for the reported bound as a whole
 */
public record AuditBound(double epsilonLowerBound, ChoiceBound best, List<ChoiceBound> perChoice, int canaries,
    double delta, double confidence) {

  public AuditBound {
    perChoice = List.copyOf(perChoice);
  }

  /**
   * One choice's result.
   *
   * @param guesses k+ and k-
   * @param correct v
   * @param epsilonLowerBound its bound at level beta/J
   */
  public record ChoiceBound(Guesses guesses, int correct, double epsilonLowerBound) {
    /** r. */
    public int total() {
      return guesses.total();
    }
  }

  /**
   * Evaluates a plan on scored canaries.
   *
   * @param scores one finite score per canary
   * @param included the inclusion bits
   * @param plan the (k+, k-) choices, fixed before the scores were seen
   * @param delta in [0, 1/(2m)]
   * @param confidence 1 - beta, in (0, 1)
   * @throws IllegalArgumentException on inconsistent inputs
   */
  public static AuditBound evaluate(double[] scores, boolean[] included, GuessPlan plan, double delta,
      double confidence) {
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("confidence must be in (0, 1), got " + confidence + "; 0.95 is usual");
    }
    int m = included.length;
    plan.requireFits(m);
    double level = plan.levelPerChoice(1 - confidence);
    List<ChoiceBound> out = new ArrayList<>();
    ChoiceBound best = null;
    for (Guesses g : plan.choices()) {
      CanaryGuesser.Count c = CanaryGuesser.count(scores, included, g);
      double eps = OneRunBound.epsilonLowerBound(m, c.total(), c.correct(), delta, level);
      ChoiceBound cb = new ChoiceBound(g, c.correct(), eps);
      out.add(cb);
      if (best == null || eps > best.epsilonLowerBound()) {
        best = cb;
      }
    }
    return new AuditBound(best.epsilonLowerBound(), best, out, m, delta, confidence);
  }
}
