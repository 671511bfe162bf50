package org.dpvideo.dpsgd.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SampledGaussianStepsTest {

  private static List<SampledGaussianSteps> decompose(DpEvent e) {
    return SampledGaussianSteps.decompose(e, AccountantKind.PLD);
  }

  @Test
  void dpSgd_isOnePhase() {
    assertEquals(List.of(new SampledGaussianSteps(0.01, 1.1, 1000)), decompose(DpEvent.dpSgd(0.01, 1.1, 1000)));
  }

  @Test
  void equalPhases_merge_andNestedCountsMultiply() {
    DpEvent step = new PoissonSampledEvent(0.1, new GaussianEvent(2));
    DpEvent e = ComposedEvent.of(new SelfComposedEvent(new SelfComposedEvent(step, 3), 4), step);
    assertEquals(List.of(new SampledGaussianSteps(0.1, 2, 13)), decompose(e));
  }

  @Test
  void unsampledGaussians_mergeIntoOneWithInverseVarianceSum() {
    DpEvent e = ComposedEvent.of(new GaussianEvent(1), new SelfComposedEvent(new GaussianEvent(2), 4));
    // 1/1 + 4/4 = 2 -> sigma = 1/sqrt(2)
    List<SampledGaussianSteps> phases = decompose(e);
    assertEquals(1, phases.size());
    assertEquals(1.0 / Math.sqrt(2), phases.get(0).noiseMultiplier(), 1e-15);
    assertEquals(1, phases.get(0).steps());
  }

  @Test
  void sampledJointRelease_isOneSampledGaussianWithTheCombinedSigma() {
    // Gradient (sigma 1) and count (sigma 10) from the same batch: sigma_eff = (1 + 1/100)^-1/2.
    DpEvent step = new PoissonSampledEvent(0.01, ComposedEvent.of(new GaussianEvent(1), new GaussianEvent(10)));
    List<SampledGaussianSteps> phases = decompose(new SelfComposedEvent(step, 50));
    assertEquals(1, phases.size());
    assertEquals(1 / Math.sqrt(1.01), phases.get(0).noiseMultiplier(), 1e-15);
    assertEquals(50, phases.get(0).steps());
  }

  @Test
  void nestedSampling_multipliesRates() {
    DpEvent e = new PoissonSampledEvent(0.5, new PoissonSampledEvent(0.1, new GaussianEvent(1)));
    assertEquals(List.of(new SampledGaussianSteps(0.05, 1, 1)), decompose(e));
  }

  @Test
  void sampledSubsampleOfSeveralSteps_isRefused() {
    DpEvent e = new PoissonSampledEvent(0.5, new SelfComposedEvent(new PoissonSampledEvent(0.1, new GaussianEvent(1)), 2));
    assertThrows(UnsupportedEventException.class, () -> decompose(e));
  }

  @Test
  void overflowingCounts_areRejected() {
    DpEvent e = new SelfComposedEvent(new SelfComposedEvent(new SelfComposedEvent(
        DpEvent.dpSgd(0.1, 1, Integer.MAX_VALUE), Integer.MAX_VALUE), Integer.MAX_VALUE), 4);
    assertThrows(IllegalArgumentException.class, () -> decompose(e));
  }
}
