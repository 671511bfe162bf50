package org.dpvideo.dpsgd.accounting;

/**
 * A discrete privacy loss distribution (PLD) on the grid {@code i * interval}: the distribution of the
 * privacy loss {@code L = log(P(o)/Q(o))} for an output o drawn from P, where (P, Q) are the output
 * distributions on two neighbouring datasets in one fixed direction. {@code masses[j]} is the
 * probability of loss {@code (lowestIndex + j) * interval}; {@link #infinityMass()} is the probability
 * of infinite loss (outputs Q cannot produce, plus everything the accountant moved there to stay
 * pessimistic). Masses may sum to slightly less than one where lower tails were dropped upwards.
 *
 * <p>The hockey-stick divergence of the pair is
 * {@code delta(eps) = infinityMass + sum_j masses[j] * max(0, 1 - exp(eps - loss_j))}, which is exact for
 * a true PLD and, by the coupling argument in {@link PldAccountant}, an upper bound for the pessimistic
 * distributions built there. Immutable and thread-safe; package-private representation used by
 * {@link PldAccountant}.
 */
final class PrivacyLossDistribution {
  private final double interval;
  private final long lowestIndex;
  private final double[] masses;
  private final double infinityMass;

  /** Takes ownership of {@code masses}. */
  PrivacyLossDistribution(double interval, long lowestIndex, double[] masses, double infinityMass) {
    if (!(interval > 0) || Double.isInfinite(interval)) {
      throw new IllegalArgumentException("discretization interval must be finite and > 0, got " + interval);
    }
    if (masses.length == 0) {
      throw new IllegalArgumentException("a privacy loss distribution needs at least one grid point");
    }
    if (!(infinityMass >= 0)) {
      throw new IllegalArgumentException("infinity mass must be >= 0, got " + infinityMass);
    }
    this.interval = interval;
    this.lowestIndex = lowestIndex;
    this.masses = masses;
    this.infinityMass = Math.min(1.0, infinityMass);
  }

  double interval() {
    return interval;
  }

  long lowestIndex() {
    return lowestIndex;
  }

  int size() {
    return masses.length;
  }

  /** The mass at grid position j (loss {@code (lowestIndex + j) * interval}). */
  double mass(int j) {
    return masses[j];
  }

  double infinityMass() {
    return infinityMass;
  }

  /** The loss at grid position j. */
  double loss(int j) {
    return (lowestIndex + j) * interval;
  }

  /** Sum of the finite masses. */
  double finiteMass() {
    double sum = 0;
    for (double m : masses) {
      sum += m;
    }
    return sum;
  }

  /** The hockey-stick divergence at {@code epsilon} (any real epsilon). */
  double deltaForEpsilon(double epsilon) {
    double delta = infinityMass;
    for (int j = masses.length - 1; j >= 0; j--) {
      double loss = loss(j);
      if (loss <= epsilon) {
        break;
      }
      delta += masses[j] * -Math.expm1(epsilon - loss);
    }
    return Math.min(1.0, delta);
  }

  /**
   * The smallest epsilon &gt;= 0 with {@code deltaForEpsilon(epsilon) <= delta}; +infinity when even the
   * infinite-loss mass exceeds delta. On the segment below grid point j, delta(eps) = A - e^(eps - l_j) W
   * with A the mass above (infinity included) and W = sum_{i >= j} m_i e^(l_j - l_i) &lt;= A, so the crossing
   * is solved exactly there; W is carried relative to the current point so nothing overflows even for
   * losses beyond 700.
   */
  double epsilonForDelta(double delta) {
    if (infinityMass > delta) {
      return Double.POSITIVE_INFINITY;
    }
    double above = infinityMass;
    double weighted = 0;
    double shrink = Math.exp(-interval);
    for (int j = masses.length - 1; j >= 0; j--) {
      double upperLoss = loss(j);
      if (upperLoss <= 0) {
        break;
      }
      above += masses[j];
      weighted = weighted * shrink + masses[j]; // now relative to l_j
      double lowerLoss = Math.max(0.0, upperLoss - interval);
      double deltaAtLower = above - Math.exp(lowerLoss - upperLoss) * weighted;
      if (deltaAtLower > delta) {
        // delta(eps) = above - e^(eps - l_j) * weighted crosses delta inside (lowerLoss, upperLoss].
        double eps = upperLoss + Math.log((above - delta) / weighted);
        return Math.min(upperLoss, Math.max(lowerLoss, eps));
      }
    }
    return 0.0;
  }
}
