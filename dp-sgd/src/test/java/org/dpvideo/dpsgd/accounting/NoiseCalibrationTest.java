package org.dpvideo.dpsgd.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NoiseCalibrationTest {

  @Test
  void noiseMultiplier_forThePublishedEpsilon_recoversSigmaFour_withoutExceedingTheTarget() {
    for (PrivacyAccountant accountant : new PrivacyAccountant[] {new PldAccountant(), new RdpAccountant()}) {
      double target = accountant.kind() == AccountantKind.PLD ? 0.9470 : 1.0355;
      NoiseCalibration.CalibratedNoise c = new NoiseCalibration(accountant).noiseMultiplier(target, 0.01, 10000, 1e-5);
      assertEquals(4.0, c.noiseMultiplier(), 0.01, accountant.kind().cliName());
      assertTrue(c.guarantee().epsilon() <= target, "calibrated epsilon " + c.guarantee().epsilon());
      assertEquals(c.guarantee().epsilon(), accountant.epsilon(DpEvent.dpSgd(0.01, c.noiseMultiplier(), 10000), 1e-5)
          .epsilon(), 0.0);
      // Near-minimal: a sigma smaller by twice the tolerance misses the target.
      double smaller = c.noiseMultiplier() * (1 - 2 * NoiseCalibration.DEFAULT_RELATIVE_TOLERANCE);
      assertTrue(accountant.epsilon(DpEvent.dpSgd(0.01, smaller, 10000), 1e-5).epsilon() > target);
    }
  }

  @Test
  void noiseMultiplier_forASchedule_calibratesTheSharedSigma() {
    RdpAccountant rdp = new RdpAccountant();
    NoiseCalibration.CalibratedNoise c = new NoiseCalibration(rdp, 1e-4).noiseMultiplier(3.0, 1e-6,
        sigma -> ComposedEvent.of(DpEvent.dpSgd(0.01, sigma, 500), DpEvent.dpSgd(0.02, sigma, 1500)));
    assertTrue(c.guarantee().epsilon() <= 3.0);
    assertTrue(c.guarantee().epsilon() > 2.99, "tolerance 1e-4 should land close to the target");
  }

  @Test
  void steps_largestCount_isExact() {
    RdpAccountant rdp = new RdpAccountant();
    NoiseCalibration.CalibratedCount c = new NoiseCalibration(rdp).steps(1.0355, 0.01, 4.0, 1e-5, 1_000_000);
    assertTrue(c.guarantee().epsilon() <= 1.0355);
    assertTrue(rdp.epsilon(DpEvent.dpSgd(0.01, 4.0, (int) c.count() + 1), 1e-5).epsilon() > 1.0355);
    assertEquals(10000, c.count(), 20);
  }

  @Test
  void steps_whenOneStepAlreadyMissesTheTarget_isZero() {
    NoiseCalibration.CalibratedCount c = new NoiseCalibration(new PldAccountant()).steps(0.01, 1.0, 0.5, 1e-5, 100);
    assertEquals(0, c.count());
    assertEquals(0.0, c.guarantee().epsilon());
  }

  @Test
  void steps_capAtMaxSteps() {
    NoiseCalibration.CalibratedCount c = new NoiseCalibration(new RdpAccountant()).steps(50, 0.001, 5.0, 1e-5, 64);
    assertEquals(64, c.count());
  }

  @Test
  void unreachableOrInvalidTargets_areRejected() {
    NoiseCalibration calibration = new NoiseCalibration(new RdpAccountant());
    assertThrows(IllegalArgumentException.class, () -> calibration.noiseMultiplier(0, 0.01, 100, 1e-5));
    assertThrows(IllegalArgumentException.class, () -> calibration.noiseMultiplier(1, 1.5, 100, 1e-5));
    assertThrows(IllegalArgumentException.class, () -> calibration.noiseMultiplier(1, 0.01, 0, 1e-5));
    assertThrows(IllegalArgumentException.class, () -> new NoiseCalibration(new RdpAccountant(), 0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> calibration.noiseMultiplier(1e-9, 1.0, 1_000_000, 1e-12));
    assertTrue(e.getMessage().contains("no noise multiplier"), e.getMessage());
  }
}
