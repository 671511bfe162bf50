package org.dpvideo.dpsgd.ledger;

import java.util.OptionalDouble;
import org.apache.commons.math3.special.Erf;
import org.dpvideo.dpsgd.accounting.AccountantKind;
import org.dpvideo.dpsgd.accounting.ComposedEvent;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.accounting.GaussianEvent;
import org.dpvideo.dpsgd.accounting.PoissonSampledEvent;
import org.dpvideo.dpsgd.accounting.PrivacyAccountant;
import org.dpvideo.dpsgd.accounting.PrivacyGuarantee;
import org.dpvideo.dpsgd.accounting.SelfComposedEvent;
import org.dpvideo.dpsgd.accounting.UnsupportedEventException;

/**
 * Test oracle: the exact privacy of compositions of Gaussian mechanisms (no subsampling). Composing Gaussian
 * mechanisms with noise multipliers sigma_i is exactly one Gaussian mechanism with
 * sigma_eff = (sum_i sigma_i^-2)^(-1/2), i.e. mu-GDP with mu = 1/sigma_eff (Dong, Roth, Su 2019), whose
 * tight delta(epsilon) is the analytic Gaussian mechanism's (Balle and Wang, ICML 2018, Theorem 8):
 * delta = Phi(-eps/mu + mu/2) - e^eps Phi(-eps/mu - mu/2). Epsilon at a delta is found by bisection.
 * Reports itself as PLD (PLD is exact for Gaussians up to discretization).
 */
final class GaussianOracleAccountant implements PrivacyAccountant {

  @Override
  public AccountantKind kind() {
    return AccountantKind.PLD;
  }

  @Override
  public PrivacyGuarantee epsilon(DpEvent event, double delta) {
    double mu = Math.sqrt(inverseVariance(event));
    if (mu == 0) {
      return new PrivacyGuarantee(0, delta, kind(), OptionalDouble.empty());
    }
    double lo = 0;
    double hi = 1;
    while (deltaOf(mu, hi) > delta) {
      hi *= 2;
    }
    if (deltaOf(mu, 0) <= delta) {
      return new PrivacyGuarantee(0, delta, kind(), OptionalDouble.empty());
    }
    for (int i = 0; i < 200; i++) {
      double mid = (lo + hi) / 2;
      if (deltaOf(mu, mid) > delta) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return new PrivacyGuarantee(hi, delta, kind(), OptionalDouble.empty());
  }

  @Override
  public double delta(DpEvent event, double epsilon) {
    return deltaOf(Math.sqrt(inverseVariance(event)), epsilon);
  }

  /** The exact epsilon of one Gaussian mechanism with noise multiplier sigma at delta. */
  static double gaussianEpsilon(double sigma, double delta) {
    return new GaussianOracleAccountant().epsilon(new GaussianEvent(sigma), delta).epsilon();
  }

  private static double deltaOf(double mu, double eps) {
    return phi(-eps / mu + mu / 2) - Math.exp(eps) * phi(-eps / mu - mu / 2);
  }

  private static double phi(double x) {
    return 0.5 * Erf.erfc(-x / Math.sqrt(2));
  }

  /** sum of sigma^-2 over the composed Gaussian mechanisms. */
  private double inverseVariance(DpEvent event) {
    if (event instanceof GaussianEvent g) {
      return 1 / (g.noiseMultiplier() * g.noiseMultiplier());
    }
    if (event instanceof SelfComposedEvent s) {
      return s.count() * inverseVariance(s.event());
    }
    if (event instanceof ComposedEvent c) {
      double sum = 0;
      for (DpEvent e : c.events()) {
        sum += inverseVariance(e);
      }
      return sum;
    }
    if (event instanceof PoissonSampledEvent p && p.samplingProbability() == 1) {
      return inverseVariance(p.event());
    }
    throw new UnsupportedEventException(kind(), event, "the test oracle handles only unsampled Gaussians");
  }
}
