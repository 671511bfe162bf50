package org.dpvideo.dpsgd.accounting;

import static org.dpvideo.dpsgd.accounting.RdpAccountantTest.assertIncreasing;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.dpvideo.dpsgd.accounting.SampledGaussianPld.Direction;
import org.junit.jupiter.api.Test;

class PldAccountantTest {
  private final PldAccountant pld = new PldAccountant();
  private final RdpAccountant rdp = new RdpAccountant();

  /** Google dp_accounting 0.6.0 PLD values (delta = 1e-5), pinned within 0.5%. */
  @Test
  void epsilon_publishedDpAccountingValues_withinHalfAPercent() {
    assertEquals(0.9470, pld.epsilon(DpEvent.dpSgd(0.01, 4, 10000), 1e-5).epsilon(), 0.005 * 0.9470);
    assertEquals(2.3818, pld.epsilon(DpEvent.dpSgd(256.0 / 60000, 1.1, 14063), 1e-5).epsilon(), 0.005 * 2.3818);
  }

  /** q = 1: T Gaussian steps are the Gaussian mechanism with sigma/sqrt(T) (Balle and Wang 2018). */
  @Test
  void epsilon_withoutSampling_matchesAnalyticGaussian_andIsNeverBelowIt() {
    double[][] cases = {{1.0, 1}, {0.8, 1}, {4.0, 100}, {3.0, 9}, {20.0, 16}, {5.0, 1}};
    for (double[] c : cases) {
      double sigma = c[0];
      int steps = (int) c[1];
      double s = sigma / Math.sqrt(steps);
      for (double delta : new double[] {1e-5, 1e-8}) {
        double exact = AnalyticGaussian.epsilon(s, delta);
        double ours = pld.epsilon(new SelfComposedEvent(new GaussianEvent(sigma), steps), delta).epsilon();
        assertEquals(exact, ours, 0.001 * exact, "sigma=" + sigma + " T=" + steps + " delta=" + delta);
        assertTrue(ours >= exact - 1e-10, "PLD " + ours + " below the analytic Gaussian " + exact);
      }
    }
  }

  @Test
  void delta_withoutSampling_matchesAnalyticGaussian_andIsNeverBelowIt() {
    DpEvent e = new SelfComposedEvent(new GaussianEvent(2.0), 4); // s = 1
    for (double eps : new double[] {0.0, 0.5, 1.0, 2.0, 4.0}) {
      double exact = AnalyticGaussian.delta(1.0, eps);
      double ours = pld.delta(e, eps);
      assertEquals(exact, ours, 0.001 * exact, "eps=" + eps);
      assertTrue(ours >= exact * (1 - 1e-12), "PLD delta " + ours + " below the analytic " + exact);
    }
  }

  /** One step: the connect-the-dots pair dominates the exact pair between grid points, in both directions. */
  @Test
  void oneStep_discretePld_dominatesTheExactCurve_inBothDirections() {
    double interval = 1e-4; // the test points 0.00037 + k 0.0731 all lie between grid points
    for (double[] c : new double[][] {{0.01, 1.0}, {0.2, 0.7}, {0.5, 2.0}, {1.0, 1.5}}) {
      double q = c[0];
      double sigma = c[1];
      PrivacyLossDistribution remove = SampledGaussianPld.build(q, sigma, interval, Direction.REMOVE);
      PrivacyLossDistribution add = SampledGaussianPld.build(q, sigma, interval, Direction.ADD);
      assertEquals(1.0, remove.finiteMass() + remove.infinityMass(), 1e-12);
      assertEquals(1.0, add.finiteMass() + add.infinityMass(), 1e-12);
      for (double eps = 0.00037; eps < 3; eps += 0.0731) {
        double exactRemove = SampledGaussianOracle.removeDelta(q, sigma, eps);
        double exactAdd = SampledGaussianOracle.addDelta(q, sigma, eps);
        double oursRemove = remove.deltaForEpsilon(eps);
        double oursAdd = add.deltaForEpsilon(eps);
        String at = "q=" + q + " sigma=" + sigma + " eps=" + eps;
        assertTrue(oursRemove >= exactRemove * (1 - 1e-10) - 1e-16, "remove below exact at " + at);
        assertTrue(oursAdd >= exactAdd * (1 - 1e-10) - 1e-16, "add below exact at " + at);
        assertEquals(exactRemove, oursRemove, 1e-3 * exactRemove + 1e-15, "remove " + at);
        assertEquals(exactAdd, oursAdd, 1e-3 * exactAdd + 1e-15, "add " + at);
      }
    }
  }

  @Test
  void epsilon_isTheWorseOfAddAndRemove() {
    DpEvent e = DpEvent.dpSgd(0.3, 0.9, 50);
    double removeEps = pld.composed(e, Direction.REMOVE).epsilonForDelta(1e-5);
    double addEps = pld.composed(e, Direction.ADD).epsilonForDelta(1e-5);
    assertTrue(removeEps != addEps, "directions should differ for q < 1");
    assertEquals(Math.max(removeEps, addEps), pld.epsilon(e, 1e-5).epsilon(), 0.0);
  }

  /** RDP is never tighter than the (tight) PLD accountant. */
  @Test
  void rdpEpsilon_isAtLeastPldEpsilon_onRandomSettings() {
    Random random = new Random(42);
    for (int i = 0; i < 12; i++) {
      double q = Math.pow(10, -3 + 3 * random.nextDouble()); // 0.001 .. 1
      double sigma = 0.6 + 4 * random.nextDouble();
      int steps = 1 + random.nextInt(3000);
      double delta = Math.pow(10, -4 - 4 * random.nextDouble());
      DpEvent e = DpEvent.dpSgd(q, sigma, steps);
      double p = pld.epsilon(e, delta).epsilon();
      double r = rdp.epsilon(e, delta).epsilon();
      assertTrue(r >= p, "RDP " + r + " < PLD " + p + " at q=" + q + " sigma=" + sigma + " T=" + steps
          + " delta=" + delta);
    }
  }

  @Test
  void epsilon_increasesWithStepsAndSamplingRate_andDecreasesWithNoise() {
    assertIncreasing(pld.epsilon(DpEvent.dpSgd(0.01, 1, 100), 1e-5).epsilon(),
        pld.epsilon(DpEvent.dpSgd(0.01, 1, 1000), 1e-5).epsilon(),
        pld.epsilon(DpEvent.dpSgd(0.01, 1, 10000), 1e-5).epsilon());
    assertIncreasing(pld.epsilon(DpEvent.dpSgd(0.001, 1, 1000), 1e-5).epsilon(),
        pld.epsilon(DpEvent.dpSgd(0.01, 1, 1000), 1e-5).epsilon(),
        pld.epsilon(DpEvent.dpSgd(0.1, 1, 1000), 1e-5).epsilon());
    assertIncreasing(pld.epsilon(DpEvent.dpSgd(0.01, 4, 1000), 1e-5).epsilon(),
        pld.epsilon(DpEvent.dpSgd(0.01, 2, 1000), 1e-5).epsilon(),
        pld.epsilon(DpEvent.dpSgd(0.01, 0.8, 1000), 1e-5).epsilon());
  }

  /**
   * Two phases that cannot merge (sigma differs in the 12th digit) go through the multi-phase FFT path;
   * they must give the single-phase result.
   */
  @Test
  void heterogeneousComposition_ofTwoNearlyEqualPhases_equalsOnePhase() {
    DpEvent split = ComposedEvent.of(DpEvent.dpSgd(0.01, 1.0, 3000), DpEvent.dpSgd(0.01, 1.0 + 1e-12, 7000));
    assertEquals(2, SampledGaussianSteps.decompose(split, AccountantKind.PLD).size());
    double whole = pld.epsilon(DpEvent.dpSgd(0.01, 1.0, 10000), 1e-5).epsilon();
    assertEquals(whole, pld.epsilon(split, 1e-5).epsilon(), 1e-6 * whole);
  }

  @Test
  void heterogeneousComposition_liesBetweenItsPartsAndRdp_andIgnoresOrder() {
    DpEvent imagePhase = DpEvent.dpSgd(0.02, 1.2, 500);
    DpEvent videoPhase = DpEvent.dpSgd(0.005, 0.9, 2000);
    DpEvent count = new SelfComposedEvent(new GaussianEvent(20), 10);
    DpEvent schedule = ComposedEvent.of(imagePhase, videoPhase, count);
    DpEvent reordered = ComposedEvent.of(count, videoPhase, imagePhase);
    double eps = pld.epsilon(schedule, 1e-6).epsilon();
    assertEquals(eps, pld.epsilon(reordered, 1e-6).epsilon(), 1e-9 * eps);
    assertTrue(eps > pld.epsilon(imagePhase, 1e-6).epsilon());
    assertTrue(eps > pld.epsilon(videoPhase, 1e-6).epsilon());
    assertTrue(eps <= rdp.epsilon(schedule, 1e-6).epsilon());
  }

  @Test
  void delta_atTheComputedEpsilon_isAtMostTheTargetDelta() {
    DpEvent e = DpEvent.dpSgd(0.01, 1.0, 2000);
    double eps = pld.epsilon(e, 1e-6).epsilon();
    double delta = pld.delta(e, eps);
    assertTrue(delta <= 1e-6 * (1 + 1e-9), "delta " + delta);
    assertTrue(delta > 0.999e-6, "epsilon should be the exact inverse, delta " + delta);
  }

  @Test
  void coarserInterval_staysAboveTheExactGaussian_andClose() {
    PldAccountant coarse = new PldAccountant(1e-2);
    double exact = AnalyticGaussian.epsilon(1.0, 1e-5);
    double ours = coarse.epsilon(new GaussianEvent(1.0), 1e-5).epsilon();
    assertTrue(ours >= exact, ours + " < " + exact);
    assertEquals(exact, ours, 0.01 * exact);
    assertEquals(1e-2, coarse.discretizationInterval(), 0.0);
  }

  /** Small sigma would need a grid of 6 million points; the accountant coarsens and stays an upper bound. */
  @Test
  void tinyNoise_coarsensTheGrid_andStaysAboveTheExactGaussian() {
    double sigma = 0.06;
    PrivacyLossDistribution d = pld.composed(new GaussianEvent(sigma), Direction.REMOVE);
    assertTrue(d.interval() > PldAccountant.DEFAULT_DISCRETIZATION_INTERVAL);
    double exact = AnalyticGaussian.epsilon(sigma, 1e-5);
    double ours = pld.epsilon(new GaussianEvent(sigma), 1e-5).epsilon();
    assertTrue(ours >= exact - 1e-9, ours + " < " + exact);
    assertEquals(exact, ours, 0.001 * exact);
  }

  /**
   * Epsilons beyond 709 (where e^eps overflows; sigma = 0.02 gives about 1462): the result must still
   * match the exact Gaussian and never be below it.
   */
  @Test
  void hugeEpsilon_beyondTheDoubleRangeOfExp_isStillAnUpperBound() {
    for (double sigma : new double[] {0.025, 0.02}) {
      double exact = AnalyticGaussian.epsilon(sigma, 1e-5);
      double ours = pld.epsilon(new GaussianEvent(sigma), 1e-5).epsilon();
      assertTrue(ours >= exact - 1e-9, ours + " < " + exact);
      assertEquals(exact, ours, 0.001 * exact);
    }
    // Half the mass at loss 900, half at 901: delta(eps) = 0.5 (1 - e^(eps - 901)) on [900, 901].
    PrivacyLossDistribution d = new PrivacyLossDistribution(1.0, 900, new double[] {0.5, 0.5}, 0);
    assertEquals(901 + Math.log1p(-2e-5), d.epsilonForDelta(1e-5), 1e-9);
    assertEquals(1e-5, d.deltaForEpsilon(901 + Math.log1p(-2e-5)), 1e-13); // ulp(901) limits this
  }

  @Test
  void epsilon_ofAnEmptyComposition_isZero_andDeltaIsZero() {
    DpEvent nothing = new ComposedEvent(List.of());
    assertEquals(0.0, pld.epsilon(nothing, 1e-5).epsilon());
    assertEquals(0.0, pld.delta(nothing, 0.0));
  }

  @Test
  void unsupportedEvent_isRefused_namingTheAccountant() {
    DpEvent bad = new PoissonSampledEvent(0.5, ComposedEvent.of(new GaussianEvent(1),
        new PoissonSampledEvent(0.1, new GaussianEvent(1))));
    UnsupportedEventException e = assertThrows(UnsupportedEventException.class, () -> pld.epsilon(bad, 1e-5));
    assertTrue(e.getMessage().startsWith("pld accountant cannot account"), e.getMessage());
  }

  @Test
  void badArguments_areRejected_withTheValue() {
    IllegalArgumentException i = assertThrows(IllegalArgumentException.class, () -> new PldAccountant(0));
    assertTrue(i.getMessage().contains("got 0.0"), i.getMessage());
    assertThrows(IllegalArgumentException.class, () -> pld.epsilon(new GaussianEvent(1), 0));
    assertThrows(IllegalArgumentException.class, () -> pld.delta(new GaussianEvent(1), Double.NaN));
  }
}
