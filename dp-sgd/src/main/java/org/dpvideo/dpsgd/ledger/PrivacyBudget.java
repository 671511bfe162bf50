package org.dpvideo.dpsgd.ledger;

/**
 * The total privacy a dataset may spend over all its runs: every composition of its runs' events must
 * stay (epsilon, delta)-DP.
 *
 * @param epsilon finite and &gt; 0
 * @param delta in (0, 1); typically well below 1/n for n privacy units
 */
public record PrivacyBudget(double epsilon, double delta) {
  public PrivacyBudget {
    if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
      throw new IllegalArgumentException("budget epsilon must be finite and > 0, got " + epsilon
          + "; pick the total epsilon the data owner allows for every run on this dataset (e.g. 8)");
    }
    if (!(delta > 0 && delta < 1)) {
      throw new IllegalArgumentException("budget delta must be in (0, 1), got " + delta
          + "; pick a value well below 1/(number of privacy units), e.g. 1e-6");
    }
  }
}
