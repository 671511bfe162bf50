package org.dpvideo.dpsgd.audit;

/**
 * The statistics of one-run auditing (Steinke, Nasr and Jagielski, "Privacy Auditing with One (1)
 * Training Run", NeurIPS 2023): from the number of guesses r and the number of correct guesses v
 * made about m canaries, each included independently with probability 1/2, a lower bound on epsilon
 * that holds with confidence 1 - beta for a given delta.
 *
 * <h2>The theorem</h2>
 * Let the training algorithm be (epsilon, delta)-DP with respect to adding or removing one canary,
 * let the canaries' inclusion bits be independent fair coins, and let a guesser that sees the output
 * make r guesses (abstaining on the other canaries) of which W are correct. Write
 * {@code q = e^eps / (1 + e^eps)} (the accuracy of eps-DP randomized response) and
 * {@code f(v) = P[Binomial(r, q) >= v]}. Then for every v (the paper's main theorem for approximate DP,
 * evaluated as in its Appendix D):
 * <pre>
 *   P[W >= v]  <=  p_eps(v) := f(v) + 2 m delta * max_{i = 1..v} (f(v - i) - f(v)) / i
 * </pre>
 * With delta = 0 this is the binomial tail of randomized response (the pure-DP case). So if an audit
 * observes v correct guesses and {@code p_eps(v) < beta}, then with confidence 1 - beta the algorithm is
 * not (eps, delta)-DP: eps is a lower bound. {@link #epsilonLowerBound} returns such an eps, found by
 * bisection.
 *
 * <h2>Why the reported bound is valid</h2>
 * If the algorithm is (eps*, delta)-DP it is also (eps', delta)-DP for every eps' &gt;= eps*, so
 * {@code P[W >= v] <= inf_{eps' >= eps*} p_eps'(v)} for every v. For {@code 2 m delta <= 1},
 * {@code p_eps(v)} does not increase with v (the window maximum grows by at most one pmf term per step
 * while f drops by that term), so the rejection region {@code {p(W) < beta}} is an upper set of W and its
 * probability is below beta. The bisection only ever returns an eps it has evaluated with
 * {@code p_eps(v) < beta} (or 0), so the result is valid even where {@code p_eps} is not monotone in eps.
 * This is why {@code 2 m delta <= 1} is required.
 *
 * <p>Numerics: binomial probabilities are summed from log-space terms (log-factorials by summation),
 * so tails down to about 1e-300 are exact to double rounding; q and 1 - q are formed with
 * {@code log1p(exp(-eps))}, so large epsilons do not round q to 1.
 *
 * <p>Stateless and thread-safe.
 */
public final class OneRunBound {
  /** The largest epsilon the search considers; far beyond anything a finite audit can show. */
  public static final double MAX_EPSILON = 200;
  /** Absolute width at which the bisection stops. */
  static final double TOLERANCE = 1e-9;

  private OneRunBound() {}

  /**
   * The p-value of observing at least v correct guesses out of r, about m canaries, under the null
   * hypothesis that the algorithm is (epsilon, delta)-DP.
   *
   * @param canaries m, the number of randomized canaries, &gt;= 1
   * @param guesses r, with 0 &lt;= r &lt;= m
   * @param correct v, with 0 &lt;= v &lt;= r
   * @param epsilon &gt;= 0, finite
   * @param delta in [0, 1/(2m)]
   * @return {@code min(1, p_eps(v))}
   * @throws IllegalArgumentException if an argument is out of range
   */
  public static double pValue(int canaries, int guesses, int correct, double epsilon, double delta) {
    check(canaries, guesses, correct, delta);
    if (!(epsilon >= 0) || Double.isInfinite(epsilon)) {
      throw new IllegalArgumentException("epsilon must be finite and >= 0, got " + epsilon);
    }
    return pValue(canaries, guesses, correct, epsilon, delta, logBinomials(guesses));
  }

  /**
   * The largest epsilon (within {@link #TOLERANCE}) for which the audit rejects (epsilon, delta)-DP at
   * level beta; 0 when it rejects nothing.
   *
   * @param canaries m, &gt;= 1
   * @param guesses r, in [0, m]
   * @param correct v, in [0, r]
   * @param delta in [0, 1/(2m)]
   * @param beta 1 - confidence, in (0, 1)
   * @return a lower bound on epsilon that holds with probability at least 1 - beta; the returned eps
   *     has been evaluated to satisfy {@code pValue(m, r, v, eps, delta) < beta} unless it is 0
   */
  public static double epsilonLowerBound(int canaries, int guesses, int correct, double delta, double beta) {
    check(canaries, guesses, correct, delta);
    if (!(beta > 0 && beta < 1)) {
      throw new IllegalArgumentException("beta (1 - confidence) must be in (0, 1), got " + beta);
    }
    double[] logBinom = logBinomials(guesses);
    if (!(pValue(canaries, guesses, correct, 0, delta, logBinom) < beta)) {
      return 0;
    }
    double lo = 0;
    double hi = 1;
    while (pValue(canaries, guesses, correct, hi, delta, logBinom) < beta) {
      lo = hi;
      hi *= 2;
      if (hi > MAX_EPSILON) {
        return lo;
      }
    }
    while (hi - lo > TOLERANCE) {
      double mid = 0.5 * (lo + hi);
      if (pValue(canaries, guesses, correct, mid, delta, logBinom) < beta) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static void check(int canaries, int guesses, int correct, double delta) {
    if (canaries < 1) {
      throw new IllegalArgumentException("the number of canaries m must be >= 1, got " + canaries);
    }
    if (guesses < 0 || guesses > canaries) {
      throw new IllegalArgumentException("the number of guesses r must be in [0, m = " + canaries + "], got " + guesses);
    }
    if (correct < 0 || correct > guesses) {
      throw new IllegalArgumentException("the number of correct guesses v must be in [0, r = " + guesses + "], got "
          + correct);
    }
    if (!(delta >= 0) || 2.0 * canaries * delta > 1) {
      throw new IllegalArgumentException("delta must be in [0, 1/(2m)] = [0, " + (0.5 / canaries) + "] for m = "
          + canaries + " canaries, got " + delta + "; the one-run bound adds 2 m delta to the p-value, so use fewer"
          + " canaries or a smaller delta");
    }
  }

  /** log C(r, j) for j = 0..r. */
  private static double[] logBinomials(int r) {
    double[] logFactorial = new double[r + 1];
    for (int k = 2; k <= r; k++) {
      logFactorial[k] = logFactorial[k - 1] + Math.log(k);
    }
    double[] out = new double[r + 1];
    for (int j = 0; j <= r; j++) {
      out[j] = logFactorial[r] - logFactorial[j] - logFactorial[r - j];
    }
    return out;
  }

  private static double pValue(int m, int r, int v, double eps, double delta, double[] logBinom) {
    // q = 1/(1 + e^-eps), 1 - q = e^-eps/(1 + e^-eps), in logs.
    double logNorm = Math.log1p(Math.exp(-eps));
    double logQ = -logNorm;
    double logOneMinusQ = -eps - logNorm;
    double tail = 0;
    for (int j = v; j <= r; j++) {
      tail += pmf(logBinom, j, r, logQ, logOneMinusQ);
    }
    double p = tail;
    if (delta > 0 && v > 0) {
      // max_{i=1..v} P[v - i <= Binomial(r, q) <= v - 1] / i, the window sums grown downwards from v - 1.
      double window = 0;
      double best = 0;
      for (int i = 1; i <= v; i++) {
        window += pmf(logBinom, v - i, r, logQ, logOneMinusQ);
        best = Math.max(best, window / i);
      }
      p += 2.0 * m * delta * best;
    }
    return Math.min(1.0, p);
  }

  private static double pmf(double[] logBinom, int j, int r, double logQ, double logOneMinusQ) {
    double logP = logBinom[j] + (j == 0 ? 0 : j * logQ) + (j == r ? 0 : (r - j) * logOneMinusQ);
    return Math.exp(logP);
  }
}
