package org.dpvideo.dpsgd.accounting;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Rényi-DP accountant for (compositions of) Poisson-subsampled Gaussian mechanisms.
 *
 * <p><b>RDP of one step.</b> For the Gaussian mechanism with noise multiplier sigma on a Poisson
 * subsample with rate q, the Rényi divergence of order alpha is {@code log(A_alpha)/(alpha-1)} with
 * {@code A_alpha = E_{z~N(0,sigma^2)}[((1-q) + q exp((2z-1)/(2 sigma^2)))^alpha]} (Mironov, Talwar and
 * Zhang 2019, "Rényi Differential Privacy of the Sampled Gaussian Mechanism", arXiv:1908.10530, §3).
 * <ul>
 *   <li>integer alpha: the exact binomial sum
 *       {@code A_alpha = sum_{k=0}^{alpha} C(alpha,k) (1-q)^{alpha-k} q^k exp((k^2-k)/(2 sigma^2))}, summed in
 *       log space (their §3.2);</li>
 *   <li>fractional alpha: the two-series method of their §3.3 with
 *       {@code z0 = sigma^2 log(1/q - 1) + 1/2}; each term carries the sign of the generalized binomial
 *       coefficient C(alpha, i), positive and negative parts are accumulated separately in log space, and
 *       the series stops when both terms fall below e^-30 (A_alpha &gt;= 1, so the truncation changes the
 *       RDP by less than about 1e-9 relative). A series that does not converge within 10^6 terms, or whose
 *       partial sums turn negative in floating point, makes that order unusable (+infinity), which only
 *       removes it from the minimum below;</li>
 *   <li>q = 1 (plain Gaussian): {@code alpha/(2 sigma^2)} (Mironov 2017, "Rényi Differential Privacy",
 *       Proposition 7).</li>
 * </ul>
 * RDP composes by addition (Mironov 2017, Proposition 1), so an event's RDP is the sum over its phases
 * of steps times the per-step RDP (see {@link SampledGaussianSteps} for the exact rewriting of events).
 *
 * <p><b>Conversion to (epsilon, delta).</b> {@code epsilon = min_alpha [rdp(alpha) + log1p(-1/alpha) -
 * (log delta + log alpha)/(alpha-1)]} (Balle, Barthe, Gaboardi, Hsu and Sato 2020, "Hypothesis Testing
 * Interpretations and Rényi Differential Privacy", Theorem 21; Canonne, Kamath and Steinke 2020,
 * "The Discrete Gaussian for Differential Privacy", Proposition 12), with the optimal order reported.
 * Delta for a given epsilon inverts the same bound: {@code delta = min_alpha exp((alpha-1)(rdp(alpha) -
 * epsilon + log1p(-1/alpha)) - log alpha)}. Both also use, as Google's dp_accounting does, the bound
 * {@code delta(epsilon) <= delta(0) = TV <= sqrt(1 - exp(-KL))} (Bretagnolle-Huber) with
 * {@code KL <= rdp(alpha)}, which only matters for almost-free events. Orders at or below 1.01 are not
 * used for the conversion (it is numerically unstable there).
 *
 * <p>Default orders: 1.1, 1.2, ..., 10.9, 11, 12, ..., 63, 128, 256, 512, 1024. Immutable and thread-safe.
 */
public final class RdpAccountant implements PrivacyAccountant {

  private static final double[] DEFAULT_ORDERS = defaultOrders();
  /** The largest Rényi order accepted (the integer-order sum has alpha + 1 terms). */
  public static final double MAX_ORDER = 1e6;
  private static final int MAX_SERIES_TERMS = 1_000_000;
  private static final double SERIES_CUTOFF_LOG = -30.0;

  private final double[] orders;

  /** An accountant with the default orders. */
  public RdpAccountant() {
    this.orders = DEFAULT_ORDERS;
  }

  /**
   * An accountant with the given Rényi orders.
   *
   * @param orders at least one order; each &gt; 1 and &lt;= {@link #MAX_ORDER}
   */
  public RdpAccountant(double[] orders) {
    if (orders == null || orders.length == 0) {
      throw new IllegalArgumentException("RDP orders must be a non-empty list of numbers > 1, got "
          + Arrays.toString(orders));
    }
    for (double a : orders) {
      if (!(a > 1 && a <= MAX_ORDER)) {
        throw new IllegalArgumentException("every RDP order must be > 1 and <= " + (long) MAX_ORDER + ", got " + a
            + " in " + Arrays.toString(orders));
      }
    }
    this.orders = orders.clone();
  }

  /** The default orders: 1.1..10.9 step 0.1, 11..63, 128, 256, 512, 1024. */
  public static double[] defaultOrderList() {
    return DEFAULT_ORDERS.clone();
  }

  private static double[] defaultOrders() {
    double[] out = new double[99 + 53 + 4];
    int n = 0;
    for (int k = 11; k <= 109; k++) {
      out[n++] = k / 10.0;
    }
    for (int a = 11; a <= 63; a++) {
      out[n++] = a;
    }
    for (int a : new int[] {128, 256, 512, 1024}) {
      out[n++] = a;
    }
    return out;
  }

  /** The orders this accountant uses (a copy). */
  public double[] orders() {
    return orders.clone();
  }

  @Override
  public AccountantKind kind() {
    return AccountantKind.RDP;
  }

  /**
   * The RDP of {@code event} at each of {@link #orders()} (same indices); +infinity where an order is
   * unusable.
   *
   * @throws UnsupportedEventException if the event has no exact sampled-Gaussian form
   */
  public double[] rdp(DpEvent event) {
    List<SampledGaussianSteps> phases = SampledGaussianSteps.decompose(event, AccountantKind.RDP);
    double[] total = new double[orders.length];
    for (SampledGaussianSteps phase : phases) {
      for (int i = 0; i < orders.length; i++) {
        double perStep = sampledGaussianRdp(phase.samplingProbability(), phase.noiseMultiplier(), orders[i]);
        total[i] += phase.steps() * perStep;
      }
    }
    return total;
  }

  /**
   * The RDP at order {@code alpha} of one Gaussian mechanism with noise multiplier {@code sigma} on a
   * Poisson subsample with rate {@code q} (Mironov, Talwar and Zhang 2019), or +infinity where it
   * cannot be computed reliably (see the class comment).
   *
   * @param q in (0, 1]
   * @param sigma finite and &gt; 0
   * @param alpha &gt; 1 and &lt;= {@link #MAX_ORDER}
   */
  public static double sampledGaussianRdp(double q, double sigma, double alpha) {
    if (!(q > 0 && q <= 1)) {
      throw new IllegalArgumentException("sampling probability q must be in (0, 1], got " + q);
    }
    if (!(sigma > 0) || Double.isInfinite(sigma)) {
      throw new IllegalArgumentException("noise multiplier sigma must be finite and > 0, got " + sigma);
    }
    if (!(alpha > 1 && alpha <= MAX_ORDER)) {
      throw new IllegalArgumentException("RDP order alpha must be > 1 and <= " + (long) MAX_ORDER + ", got " + alpha);
    }
    if (q == 1.0) {
      return alpha / (2 * sigma * sigma);
    }
    double logA = alpha == Math.rint(alpha)
        ? logAIntegerOrder(q, sigma, (int) alpha)
        : logAFractionalOrder(q, sigma, alpha);
    if (Double.isNaN(logA)) {
      return Double.POSITIVE_INFINITY;
    }
    return Math.max(0.0, logA / (alpha - 1));
  }

  /** log A_alpha for integer alpha: the binomial expansion, summed in log space. */
  private static double logAIntegerOrder(double q, double sigma, int alpha) {
    double logQ = Math.log(q);
    double log1mQ = Math.log1p(-q);
    double twoSigma2 = 2 * sigma * sigma;
    double[] terms = new double[alpha + 1];
    double logBinom = 0; // log C(alpha, 0)
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k <= alpha; k++) {
      if (k > 0) {
        logBinom += Math.log(alpha - k + 1) - Math.log(k);
      }
      terms[k] = logBinom + k * logQ + (alpha - k) * log1mQ + ((double) k * k - k) / twoSigma2;
      max = Math.max(max, terms[k]);
    }
    double sum = 0;
    for (double t : terms) {
      sum += Math.exp(t - max);
    }
    return max + Math.log(sum);
  }

  /**
   * log A_alpha for fractional alpha by the two series of Mironov, Talwar and Zhang (2019, §3.3);
   * NaN when the computation is not reliable.
   */
  private static double logAFractionalOrder(double q, double sigma, double alpha) {
    double logQ = Math.log(q);
    double log1mQ = Math.log1p(-q);
    double twoSigma2 = 2 * sigma * sigma;
    double sqrt2Sigma = Math.sqrt(2) * sigma;
    double z0 = sigma * sigma * Math.log(1 / q - 1) + 0.5;
    double logHalf = Math.log(0.5);
    // Positive and negative parts of both series, each in log space.
    double pos0 = Double.NEGATIVE_INFINITY;
    double neg0 = Double.NEGATIVE_INFINITY;
    double pos1 = Double.NEGATIVE_INFINITY;
    double neg1 = Double.NEGATIVE_INFINITY;
    double logAbsCoef = 0; // log |C(alpha, 0)|
    int sign = 1;
    for (int i = 0; i < MAX_SERIES_TERMS; i++) {
      if (i > 0) {
        double factor = (alpha - (i - 1)) / i; // C(alpha, i) = C(alpha, i-1) (alpha - i + 1) / i
        if (factor == 0) {
          return combineSignedParts(pos0, neg0, pos1, neg1);
        }
        if (factor < 0) {
          sign = -sign;
        }
        logAbsCoef += Math.log(Math.abs(factor));
      }
      double j = alpha - i;
      double logT0 = logAbsCoef + i * logQ + j * log1mQ;
      double logT1 = logAbsCoef + j * logQ + i * log1mQ;
      double logE0 = logHalf + GaussianTail.logErfc((i - z0) / sqrt2Sigma);
      double logE1 = logHalf + GaussianTail.logErfc((z0 - j) / sqrt2Sigma);
      double logS0 = logT0 + ((double) i * i - i) / twoSigma2 + logE0;
      double logS1 = logT1 + (j * j - j) / twoSigma2 + logE1;
      if (sign > 0) {
        pos0 = logAdd(pos0, logS0);
        pos1 = logAdd(pos1, logS1);
      } else {
        neg0 = logAdd(neg0, logS0);
        neg1 = logAdd(neg1, logS1);
      }
      if (Math.max(logS0, logS1) < SERIES_CUTOFF_LOG) {
        return combineSignedParts(pos0, neg0, pos1, neg1);
      }
    }
    return Double.NaN;
  }

  private static double combineSignedParts(double pos0, double neg0, double pos1, double neg1) {
    double logPos = logAdd(pos0, pos1);
    double logNeg = logAdd(neg0, neg1);
    if (logNeg == Double.NEGATIVE_INFINITY) {
      return logPos;
    }
    if (!(logPos > logNeg)) {
      return Double.NaN;
    }
    return logPos + Math.log1p(-Math.exp(logNeg - logPos));
  }

  private static double logAdd(double a, double b) {
    if (a == Double.NEGATIVE_INFINITY) {
      return b;
    }
    if (b == Double.NEGATIVE_INFINITY) {
      return a;
    }
    double max = Math.max(a, b);
    return max + Math.log1p(Math.exp(-Math.abs(a - b)));
  }

  @Override
  public PrivacyGuarantee epsilon(DpEvent event, double delta) {
    checkDelta(delta);
    double[] rdp = rdp(event);
    double best = Double.POSITIVE_INFINITY;
    double bestOrder = Double.NaN;
    double logDelta = Math.log(delta);
    for (int i = 0; i < orders.length; i++) {
      double a = orders[i];
      double r = rdp[i];
      double eps;
      if (Double.isNaN(r) || r == Double.POSITIVE_INFINITY) {
        eps = Double.POSITIVE_INFINITY;
      } else if (delta * delta + Math.expm1(-r) >= 0) {
        eps = 0; // delta >= sqrt(1 - exp(-KL)) >= TV: (0, delta)-DP already
      } else if (a > 1.01) {
        eps = r + Math.log1p(-1 / a) - (logDelta + Math.log(a)) / (a - 1);
      } else {
        eps = Double.POSITIVE_INFINITY;
      }
      if (eps < best || Double.isNaN(bestOrder)) {
        best = eps;
        bestOrder = a;
      }
    }
    return new PrivacyGuarantee(Math.max(0, best), delta, AccountantKind.RDP, OptionalDouble.of(bestOrder));
  }

  @Override
  public double delta(DpEvent event, double epsilon) {
    checkEpsilon(epsilon);
    double[] rdp = rdp(event);
    double bestLog = 0;
    for (int i = 0; i < orders.length; i++) {
      double a = orders[i];
      double r = rdp[i];
      if (Double.isNaN(r) || r == Double.POSITIVE_INFINITY) {
        continue;
      }
      double logDelta = r == 0 ? Double.NEGATIVE_INFINITY : 0.5 * Math.log1p(-Math.exp(-r));
      if (a > 1.01) {
        logDelta = Math.min(logDelta, (a - 1) * (r - epsilon + Math.log1p(-1 / a)) - Math.log(a));
      }
      bestLog = Math.min(bestLog, logDelta);
    }
    return Math.min(1.0, Math.exp(bestLog));
  }

  static void checkDelta(double delta) {
    if (!(delta > 0 && delta < 1)) {
      throw new IllegalArgumentException("delta must be in (0, 1), got " + delta
          + "; pick a value well below 1/(number of privacy units), for example 1e-5");
    }
  }

  static void checkEpsilon(double epsilon) {
    if (!(epsilon >= 0) || Double.isInfinite(epsilon)) {
      throw new IllegalArgumentException("epsilon must be finite and >= 0, got " + epsilon);
    }
  }
}
