package org.dpvideo.dpsgd.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RdpAccountantTest {
  private final RdpAccountant rdp = new RdpAccountant();

  /** Single-step vectors from fairness-spec.md §2.6 (opacus-1.1's RDP code), relative tolerance 1e-9. */
  @Test
  void sampledGaussianRdp_specVectors_matchToNineDigits() {
    assertRelative(8.2334220323e-05, RdpAccountant.sampledGaussianRdp(1.0 / 214, 0.8, 2), 1e-9);
    assertRelative(2.2689122047e-04, RdpAccountant.sampledGaussianRdp(1.0 / 214, 0.8, 4.8), 1e-9);
    assertRelative(1.7282612986e-01, RdpAccountant.sampledGaussianRdp(1.0 / 214, 0.8, 8), 1e-9);
    assertRelative(8.7806752205e-07, RdpAccountant.sampledGaussianRdp(1.0 / 214, 10, 8), 1e-9);
    assertRelative(7.1364645510e-04, RdpAccountant.sampledGaussianRdp(0.01, 1, 7), 1e-9);
    assertEquals(1.0, RdpAccountant.sampledGaussianRdp(1, 1, 2), 0.0);
  }

  /**
   * Google dp_accounting 0.6.0 values (delta = 1e-5). Pinned: within 0.2% of the published value and
   * never above it beyond its printed rounding (+0.00005): our orders include all of dp_accounting's.
   */
  @Test
  void epsilon_publishedDpAccountingValues_withinTolerance_andNeverAbove() {
    assertPublished(1.0355, rdp.epsilon(DpEvent.dpSgd(0.01, 4, 10000), 1e-5).epsilon());
    assertPublished(2.5967, rdp.epsilon(DpEvent.dpSgd(256.0 / 60000, 1.1, 14063), 1e-5).epsilon());
  }

  private static void assertPublished(double published, double ours) {
    assertEquals(published, ours, 0.002 * published, "within 0.2%");
    assertTrue(ours <= published + 0.00005, "RDP epsilon " + ours + " above the published " + published);
  }

  /** fairness-spec.md §2.6: MNIST DPSGD run, opacus orders, delta = 1e-6: 5.903 at alpha = 4.8. */
  @Test
  void epsilon_mnistRunFromSpec_reproducesOpacus() {
    PrivacyGuarantee g = rdp.epsilon(DpEvent.dpSgd(1.0 / 214, 0.8, 12840), 1e-6);
    assertEquals(5.903, g.epsilon(), 0.0005);
    assertEquals(4.8, g.optimalOrder().getAsDouble(), 1e-12);
  }

  @Test
  void epsilon_integerOrdersOnly_isSlightlyConservativeAsInSpec() {
    double[] integerOrders = IntStream.rangeClosed(2, 63).asDoubleStream().toArray();
    double eps = new RdpAccountant(integerOrders).epsilon(DpEvent.dpSgd(1.0 / 214, 0.8, 12840), 1e-6).epsilon();
    assertEquals(5.916, eps, 0.0005);
  }

  @Test
  void fractionalSeries_nextToAnIntegerOrder_agreesWithTheBinomialSum() {
    for (double[] qs : new double[][] {{0.01, 1.0}, {1.0 / 214, 0.8}, {0.2, 2.0}, {0.5, 0.7}}) {
      for (int alpha : new int[] {2, 3, 7, 20}) {
        double exact = RdpAccountant.sampledGaussianRdp(qs[0], qs[1], alpha);
        double near = RdpAccountant.sampledGaussianRdp(qs[0], qs[1], alpha + 1e-9);
        assertRelative(exact, near, 1e-6);
      }
    }
  }

  @Test
  void gaussianWithoutSampling_isAlphaOverTwoSigmaSquared() {
    double[] r = rdp.rdp(new GaussianEvent(2.0));
    double[] orders = rdp.orders();
    for (int i = 0; i < orders.length; i++) {
      assertEquals(orders[i] / 8.0, r[i], 1e-12);
    }
  }

  @Test
  void rdp_ofAComposition_isTheSumOfItsParts() {
    DpEvent a = DpEvent.dpSgd(0.01, 1.2, 300);
    DpEvent b = DpEvent.dpSgd(0.05, 2.0, 70);
    double[] ra = rdp.rdp(a);
    double[] rb = rdp.rdp(b);
    double[] rab = rdp.rdp(ComposedEvent.of(a, b, a));
    for (int i = 0; i < ra.length; i++) {
      assertRelative(2 * ra[i] + rb[i], rab[i], 1e-12);
    }
  }

  @Test
  void delta_atTheComputedEpsilon_isAtMostTheTargetDelta() {
    DpEvent e = DpEvent.dpSgd(0.01, 1.0, 2000);
    double eps = rdp.epsilon(e, 1e-6).epsilon();
    double delta = rdp.delta(e, eps);
    assertTrue(delta <= 1e-6 * (1 + 1e-9), "delta " + delta);
    assertTrue(delta > 0.9e-6, "the inverse conversion should be tight at the same order, got " + delta);
    assertTrue(rdp.delta(e, eps * 1.1) < delta);
  }

  @Test
  void epsilon_ofAnEmptyComposition_isZero() {
    assertEquals(0.0, rdp.epsilon(new ComposedEvent(List.of()), 1e-5).epsilon());
  }

  @Test
  void epsilon_increasesWithStepsAndSamplingRate_andDecreasesWithNoise() {
    assertIncreasing(rdp.epsilon(DpEvent.dpSgd(0.01, 1, 100), 1e-5).epsilon(),
        rdp.epsilon(DpEvent.dpSgd(0.01, 1, 1000), 1e-5).epsilon(),
        rdp.epsilon(DpEvent.dpSgd(0.01, 1, 10000), 1e-5).epsilon());
    assertIncreasing(rdp.epsilon(DpEvent.dpSgd(0.001, 1, 1000), 1e-5).epsilon(),
        rdp.epsilon(DpEvent.dpSgd(0.01, 1, 1000), 1e-5).epsilon(),
        rdp.epsilon(DpEvent.dpSgd(0.1, 1, 1000), 1e-5).epsilon());
    assertIncreasing(rdp.epsilon(DpEvent.dpSgd(0.01, 4, 1000), 1e-5).epsilon(),
        rdp.epsilon(DpEvent.dpSgd(0.01, 2, 1000), 1e-5).epsilon(),
        rdp.epsilon(DpEvent.dpSgd(0.01, 0.8, 1000), 1e-5).epsilon());
  }

  @Test
  void nestedSamplingOfSeveralSteps_isRefused_namingTheEvent() {
    DpEvent bad = new PoissonSampledEvent(0.5, DpEvent.dpSgd(0.1, 1, 3));
    UnsupportedEventException e = assertThrows(UnsupportedEventException.class, () -> rdp.epsilon(bad, 1e-5));
    assertTrue(e.getMessage().startsWith("rdp accountant cannot account"), e.getMessage());
    assertEquals(bad, e.event());
  }

  @Test
  void badArguments_areRejected_withTheValue() {
    IllegalArgumentException d = assertThrows(IllegalArgumentException.class,
        () -> rdp.epsilon(new GaussianEvent(1), 1.0));
    assertTrue(d.getMessage().contains("(0, 1), got 1.0"), d.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new RdpAccountant(new double[] {1.0, 2.0}));
    assertThrows(IllegalArgumentException.class, () -> new RdpAccountant(new double[0]));
    assertThrows(IllegalArgumentException.class, () -> rdp.delta(new GaussianEvent(1), -0.1));
  }

  @Test
  void defaultOrders_areTheDocumentedList() {
    double[] orders = RdpAccountant.defaultOrderList();
    assertEquals(99 + 53 + 4, orders.length);
    assertEquals(1.1, orders[0], 0.0);
    assertEquals(2.0, orders[9], 0.0);
    assertEquals(10.9, orders[98], 1e-15);
    assertEquals(11.0, orders[99], 0.0);
    assertEquals(63.0, orders[151], 0.0);
    assertEquals(1024.0, orders[155], 0.0);
  }

  static void assertIncreasing(double... values) {
    for (int i = 1; i < values.length; i++) {
      assertTrue(values[i] > values[i - 1], "not increasing at " + i + ": " + java.util.Arrays.toString(values));
    }
  }

  static void assertRelative(double expected, double actual, double relative) {
    assertEquals(expected, actual, relative * Math.abs(expected), "relative " + relative);
  }
}
