package org.dpvideo.dpsgd.accounting;

/**
 * The pessimistic discrete privacy loss distribution of one Poisson-subsampled Gaussian step, built by
 * the "connect the dots" method of Doroshenko, Ghazi, Kamath, Kumar and Manurangsi (2022, "Connect the
 * Dots: Tighter Discrete Approximations of Privacy Loss Distributions", PETS 2022).
 *
 * <p><b>The pairs.</b> With sensitivity 1 and noise N(0, sigma^2), write N0 = N(0, sigma^2) and
 * N1 = N(1, sigma^2). Under add/remove-one-unit neighbours the step's output distributions are the
 * mixture M = (1-q) N0 + q N1 (the unit is present and sampled with probability q) and N0 (the unit is
 * absent). {@link Direction#REMOVE} is the pair (P, Q) = (M, N0), with privacy loss
 * {@code L(x) = log(1 - q + q exp((2x-1)/(2 sigma^2)))}, increasing in x and bounded below by log(1-q);
 * {@link Direction#ADD} is (P, Q) = (N0, M), with loss {@code -L(x)}, decreasing in x and bounded above by
 * -log(1-q). For q = 1 both are the Gaussian pair and the loss is (2x-1)/(2 sigma^2).
 *
 * <p><b>Connect the dots.</b> On the grid eps_i = i * interval, each loss interval I_i = (eps_{i-1}, eps_i]
 * (a monotone image of an x-interval, so P(I_i) and Q(I_i) are differences of normal tails) sends its Q-mass
 * to the two end points so that both its P-mass and its Q-mass are kept: a fraction theta_i to eps_i and
 * 1 - theta_i to eps_{i-1}, with {@code theta_i = (P(I_i)/Q(I_i) - e^eps_{i-1}) / (e^eps_i - e^eps_{i-1})}
 * (in [0, 1] because e^L lies between the end points on I_i). The discrete pair's hockey-stick curve is
 * then the linear interpolation, in e^eps, of the true curve between grid points; the true curve is convex
 * in e^eps, so the discrete pair dominates the true one at every eps (the point of Doroshenko et al.), and
 * dominating pairs stay dominating under composition (Zhu, Dong and Wang 2022, "Optimal Accounting of
 * Differential Privacy via Characteristic Function", on dominating pairs). Above the top grid point the Q-mass
 * goes to the top point and the rest of the P-mass to infinite loss; P-mass below the bottom grid point
 * is rounded up to it. The grid covers x in [-Z sigma, 1 + Z sigma] with Z = 11 (normal tail below 2e-28
 * per step), and always whole intervals.
 *
 * <p>Stateless and thread-safe.
 */
final class SampledGaussianPld {

  /** Which neighbour is the "P" side of the pair. */
  enum Direction {
    /** P: the dataset with the unit (mixture); Q: without it. */
    REMOVE,
    /** P: the dataset without the unit; Q: with it (mixture). */
    ADD
  }

  /** x-range half width in standard deviations. */
  static final double TAIL_Z = 11.0;

  private SampledGaussianPld() {}

  /** Number of grid points {@link #build} would use, to decide on the interval before allocating. */
  static double gridPoints(double q, double sigma, double interval, Direction direction) {
    double[] range = lossRange(q, sigma, direction);
    return Math.ceil(range[1] / interval) - Math.floor(range[0] / interval) + 1;
  }

  /** The loss range [low, high] covered by the grid, before rounding to grid points. */
  private static double[] lossRange(double q, double sigma, Direction direction) {
    double xLo = -TAIL_Z * sigma;
    double xHi = 1 + TAIL_Z * sigma;
    if (direction == Direction.REMOVE) {
      return new double[] {removeLoss(q, sigma, xLo), removeLoss(q, sigma, xHi)};
    }
    return new double[] {-removeLoss(q, sigma, xHi), -removeLoss(q, sigma, xLo)};
  }

  /** L(x) = log(1 - q + q exp((2x-1)/(2 sigma^2))), the remove-direction loss. */
  static double removeLoss(double q, double sigma, double x) {
    double u = (2 * x - 1) / (2 * sigma * sigma);
    if (q == 1.0) {
      return u;
    }
    if (u > 30) {
      // log(q e^u (1 + (1-q) e^-u / q)) without overflow
      return Math.log(q) + u + Math.log1p((1 - q) * Math.exp(-u) / q);
    }
    return Math.log1p(q * Math.expm1(u));
  }

  /** The x with L(x) = eps (remove direction); -infinity when eps &lt;= log(1-q). */
  static double inverseRemoveLoss(double q, double sigma, double eps) {
    double s2 = sigma * sigma;
    if (q == 1.0) {
      return s2 * eps + 0.5;
    }
    double u;
    if (eps > 1) {
      // log((e^eps - 1 + q)/q) = eps - log q + log1p(-(1-q) e^-eps)
      u = eps - Math.log(q) + Math.log1p(-(1 - q) * Math.exp(-eps));
    } else {
      double em1 = Math.expm1(eps);
      if (em1 + q <= 0) {
        return Double.NEGATIVE_INFINITY;
      }
      u = Math.log1p(em1 / q);
    }
    return s2 * u + 0.5;
  }

  /**
   * The pessimistic discrete PLD of one step.
   *
   * @param q sampling probability in (0, 1]
   * @param sigma noise multiplier &gt; 0
   * @param interval grid spacing of the loss &gt; 0
   */
  static PrivacyLossDistribution build(double q, double sigma, double interval, Direction direction) {
    double[] range = lossRange(q, sigma, direction);
    long lo = (long) Math.floor(range[0] / interval);
    long hi = (long) Math.ceil(range[1] / interval);
    if (hi <= lo) {
      hi = lo + 1;
    }
    long count = hi - lo + 1;
    if (count > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("privacy loss grid of " + count + " points is too large; use a coarser"
          + " discretization interval than " + interval);
    }
    int n = (int) count;
    // Normal tails at the x-boundary of every grid point: for N0 (mean 0) and N1 (mean 1), both sides.
    double[] up0 = new double[n];
    double[] low0 = new double[n];
    double[] up1 = new double[n];
    double[] low1 = new double[n];
    double[] z0 = new double[n];
    double[] z1 = new double[n];
    for (int j = 0; j < n; j++) {
      double eps = (lo + j) * interval;
      double x = direction == Direction.REMOVE
          ? inverseRemoveLoss(q, sigma, eps)
          : inverseRemoveLoss(q, sigma, -eps);
      z0[j] = x / sigma;
      z1[j] = (x - 1) / sigma;
      fillTails(z0[j], up0, low0, j);
      fillTails(z1[j], up1, low1, j);
    }
    double[] masses = new double[n];
    double expm1Interval = Math.expm1(interval);
    for (int j = 1; j < n; j++) {
      // x-interval of I_j: REMOVE (x_{j-1}, x_j] (increasing), ADD [x_j, x_{j-1}) (decreasing).
      int a = direction == Direction.REMOVE ? j - 1 : j;
      int b = direction == Direction.REMOVE ? j : j - 1;
      double m0 = normalMass(z0[a], z0[b], up0, low0, a, b);
      double m1 = normalMass(z1[a], z1[b], up1, low1, a, b);
      double mixture = q == 1.0 ? m1 : (1 - q) * m0 + q * m1;
      double pMass = direction == Direction.REMOVE ? mixture : m0;
      double qMass = direction == Direction.REMOVE ? m0 : mixture;
      splitInterval(masses, j, pMass, qMass, (lo + j - 1) * interval, expm1Interval);
    }
    // Below the bottom grid point: its P-mass is rounded up to eps_0.
    // Above the top grid point: Q-mass to eps_top (as P-mass e^eps_top Q), the rest of P to infinity.
    double pBelow;
    double pAbove;
    double qAbove;
    int top = n - 1;
    if (direction == Direction.REMOVE) {
      pBelow = mixtureLow(q, low0[0], low1[0]);
      pAbove = mixtureUp(q, up0[top], up1[top]);
      qAbove = up0[top];
    } else {
      pBelow = up0[0];
      pAbove = low0[top];
      qAbove = mixtureLow(q, low0[top], low1[top]);
    }
    masses[0] += pBelow;
    double topLoss = (lo + top) * interval;
    double qAboveAsP = qAbove > 0 ? Math.min(pAbove, Math.exp(Math.log(qAbove) + topLoss)) : 0.0;
    masses[top] += qAboveAsP;
    double infinity = Math.max(0.0, pAbove - qAboveAsP);
    return new PrivacyLossDistribution(interval, lo, masses, infinity);
  }

  /** P-mass of the mixture (1-q) N0 + q N1 above/below a boundary (q = 1: N1 alone). */
  private static double mixtureUp(double q, double up0, double up1) {
    return q == 1.0 ? up1 : (1 - q) * up0 + q * up1;
  }

  private static double mixtureLow(double q, double low0, double low1) {
    return q == 1.0 ? low1 : (1 - q) * low0 + q * low1;
  }

  /**
   * Splits interval I_j (loss in (eps_{j-1}, eps_j]) with masses P, Q between grid points j-1 and j so
   * that both masses are kept: Q-fraction theta to eps_j, 1 - theta to eps_{j-1}. Written with
   * rho = P / (Q e^eps_{j-1}) in [1, e^interval] so that nothing overflows at large losses.
   */
  private static void splitInterval(double[] masses, int j, double pMass, double qMass, double lowerEps,
      double expm1Interval) {
    if (!(pMass > 0)) {
      return;
    }
    if (!(qMass > 0)) {
      masses[j] += pMass; // Q-mass underflowed: keep P whole at the upper point (pessimistic)
      return;
    }
    double rho = Math.exp(Math.log(pMass) - Math.log(qMass) - lowerEps);
    double theta = Math.min(1.0, Math.max(0.0, (rho - 1) / expm1Interval));
    double toLower = (1 - theta) * pMass / rho; // (1 - theta) Q e^eps_{j-1}
    masses[j - 1] += toLower;
    masses[j] += Math.max(0.0, pMass - toLower);
  }

  /** Upper and lower standard-normal tails at z, each computed on the side where it is accurate. */
  private static void fillTails(double z, double[] up, double[] low, int j) {
    if (z >= 0) {
      up[j] = GaussianTail.upper(z);
      low[j] = 1.0 - up[j];
    } else {
      low[j] = GaussianTail.upper(-z);
      up[j] = 1.0 - low[j];
    }
  }

  /**
   * Standard-normal mass between standardized points za &lt;= zb. A narrow interval in the body is
   * integrated directly (5-point Gauss-Legendre on the density: for width w and centre m with
   * |m| w &lt;= 0.1 the error is below 1e-16 relative), because a difference of two nearly equal tails
   * would lose up to 1e-10 relative there and the split fraction theta divides that error by the grid
   * interval. Otherwise the tails are subtracted on the side where they are accurate.
   */
  private static double normalMass(double za, double zb, double[] up, double[] low, int a, int b) {
    double width = zb - za;
    double mid = 0.5 * (za + zb);
    if (width < 1e-2 && Math.abs(mid) * width <= 0.1) {
      double half = 0.5 * width;
      double sum = GL_WEIGHTS[0] * density(mid);
      for (int i = 1; i < 3; i++) {
        sum += GL_WEIGHTS[i] * (density(mid - half * GL_NODES[i]) + density(mid + half * GL_NODES[i]));
      }
      return half * sum;
    }
    double m;
    if (za >= 0) {
      m = up[a] - up[b];
    } else if (zb <= 0) {
      m = low[b] - low[a];
    } else {
      m = 1.0 - low[a] - up[b];
    }
    return Math.max(0.0, m);
  }

  /** Gauss-Legendre nodes and weights on [-1, 1], 5 points (0, +-n1, +-n2). */
  private static final double[] GL_NODES = {0.0, 0.5384693101056831, 0.9061798459386640};
  private static final double[] GL_WEIGHTS = {128.0 / 225.0, 0.4786286704993665, 0.2369268850561891};
  private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2 * Math.PI);

  private static double density(double z) {
    return INV_SQRT_2PI * Math.exp(-0.5 * z * z);
  }
}
