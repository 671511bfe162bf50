package org.dpvideo.fairness.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalDouble;
import org.dpvideo.dpsgd.accounting.AccountantKind;
import org.dpvideo.dpsgd.accounting.ComposedEvent;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.accounting.GaussianEvent;
import org.dpvideo.dpsgd.accounting.PoissonSampledEvent;
import org.dpvideo.dpsgd.accounting.PrivacyAccountant;
import org.dpvideo.dpsgd.accounting.PrivacyGuarantee;
import org.dpvideo.dpsgd.accounting.SelfComposedEvent;
import org.dpvideo.fairness.release.ReleaseAccount;
import org.junit.jupiter.api.Test;

class PrivacySectionTest {
  /**
   * An oracle accountant for full-data Gaussian mechanisms only, by zCDP: a Gaussian with multiplier σ is
   * 1/(2σ²)-zCDP, compositions add, and ε = ρ + 2√(ρ log(1/δ)) (Bun and Steinke 2016). Subsampled events
   * count as full-data ones (an upper bound), which is enough to check what the section composes.
   */
  static final PrivacyAccountant ZCDP = new PrivacyAccountant() {
    @Override
    public AccountantKind kind() {
      return AccountantKind.RDP;
    }

    @Override
    public PrivacyGuarantee epsilon(DpEvent event, double delta) {
      double rho = rho(event);
      return new PrivacyGuarantee(rho + 2 * Math.sqrt(rho * Math.log(1 / delta)), delta, kind(),
          OptionalDouble.empty());
    }

    @Override
    public double delta(DpEvent event, double epsilon) {
      throw new UnsupportedOperationException();
    }

    double rho(DpEvent e) {
      if (e instanceof GaussianEvent g) {
        return 1 / (2 * g.noiseMultiplier() * g.noiseMultiplier());
      }
      if (e instanceof PoissonSampledEvent p) {
        return rho(p.event());
      }
      if (e instanceof SelfComposedEvent s) {
        return s.count() * rho(s.event());
      }
      return ((ComposedEvent) e).events().stream().mapToDouble(this::rho).sum();
    }
  };

  static double eps(double rho, double delta) {
    return rho + 2 * Math.sqrt(rho * Math.log(1 / delta));
  }

  @Test
  void of_composesTrainingWithStatisticsReleases() {
    ReleaseAccount stats = new ReleaseAccount("train");
    stats.record("clip fraction", new GaussianEvent(10));
    DpEvent training = new SelfComposedEvent(new GaussianEvent(5), 4);
    PrivacySection p = PrivacySection.of(ZCDP, 1e-5, "clip", training, stats,
        List.of(new PrivacySection.StepEvent(2, new SelfComposedEvent(new GaussianEvent(5), 2))));
    // ρ = 4/(2·25) + 1/(2·100) = 0.08 + 0.005
    assertEquals(eps(0.085, 1e-5), p.epsilon(), 1e-12);
    assertEquals(eps(0.005, 1e-5), p.statisticsEpsilon(), 1e-12);
    assertEquals(eps(0.04, 1e-5), p.epsilonOverSteps().get(0).value(), 1e-12);
    assertEquals(ComposedEvent.of(training, new GaussianEvent(10)), p.event());
    assertEquals(1, p.releases().size());
  }

  @Test
  void of_rdpAccountant_totalCoversTrainingAndStatistics() {
    ReleaseAccount stats = new ReleaseAccount("train");
    stats.record("counts", new GaussianEvent(20));
    DpEvent training = DpEvent.dpSgd(0.01, 1.1, 1000);
    PrivacyAccountant rdp = new org.dpvideo.dpsgd.accounting.RdpAccountant();
    PrivacySection p = PrivacySection.of(rdp, 1e-5, "clip", training, stats,
        List.of(new PrivacySection.StepEvent(500, DpEvent.dpSgd(0.01, 1.1, 500)),
            new PrivacySection.StepEvent(1000, training)));
    double trainingOnly = rdp.epsilon(training, 1e-5).epsilon();
    assertTrue(p.epsilon() > trainingOnly, p.epsilon() + " vs " + trainingOnly);
    assertTrue(p.epsilon() > p.statisticsEpsilon());
    assertEquals(trainingOnly, p.epsilonOverSteps().get(1).value(), 1e-12);
    assertTrue(p.epsilonOverSteps().get(0).value() < trainingOnly);
    assertEquals(AccountantKind.RDP, p.accountant());
  }

  @Test
  void of_noStatistics_statisticsEpsilonIsNaN() {
    PrivacySection p = PrivacySection.of(ZCDP, 1e-5, "clip", new GaussianEvent(2), new ReleaseAccount("t"), List.of());
    assertTrue(Double.isNaN(p.statisticsEpsilon()));
    assertEquals(new GaussianEvent(2), p.event());
  }
}
