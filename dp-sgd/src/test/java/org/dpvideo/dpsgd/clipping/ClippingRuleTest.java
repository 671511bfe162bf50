package org.dpvideo.dpsgd.clipping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ClippingRuleTest {

  @Test
  void global_strictBoundBelowClipNorm_isRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DpsgdGlobal(2, 1));
    assertTrue(e.getMessage().contains("Z >= clip norm C"), e.getMessage());
  }

  @Test
  void globalAdapt_boundBelowClipNorm_reducesToPlainClipping() {
    DpsgdGlobalAdapt adapt = DpsgdGlobalAdapt.withDefaults(1).withInitialBound(0.3);
    Dpsgd plain = new Dpsgd(1);
    ClippingBounds b = adapt.bounds(adapt.initialState(), null, null, StatisticNoise.NOISE_OFF_FOR_TESTS);
    ClippingBounds pb = plain.bounds(plain.initialState(), null, null, StatisticNoise.NOISE_OFF_FOR_TESTS);
    for (double n : new double[] {0, 0.1, 0.5, 1, 3, 100}) {
      assertEquals(plain.factor(n, 0, pb), adapt.factor(n, 0, b), 0.0, "norm " + n);
    }
  }

  @Test
  void everyRule_scaledNormNeverExceedsSensitivity_overRandomNorms() {
    Random r = new Random(7);
    ClippingRule[] rules = {new Dpsgd(0.7), new DpsgdGlobal(0.7, 3), DpsgdGlobalAdapt.withDefaults(0.7).withInitialBound(2),
        new DpsgdF(0.7, 10, 3)};
    for (ClippingRule rule : rules) {
      for (int trial = 0; trial < 200; trial++) {
        int n = r.nextInt(40);
        double[] norms = new double[n];
        int[] groups = new int[n];
        for (int i = 0; i < n; i++) {
          norms[i] = r.nextInt(5) == 0 ? 0 : Math.exp(r.nextGaussian() * 3);
          groups[i] = r.nextInt(3);
        }
        ClippingDecision d = rule.decide(rule.initialState(), norms, groups, (v, s, sigma) -> v + r.nextGaussian() * sigma, Math.max(1, n));
        for (int i = 0; i < n; i++) {
          assertTrue(d.factors()[i] >= 0 && d.factors()[i] * norms[i] <= d.bounds().sensitivity(),
              rule + " norm " + norms[i] + " factor " + d.factors()[i]);
        }
      }
    }
  }

  @Test
  void globalAdapt_countIsNormalisedByExpectedBatch_notRealizedBatch() {
    DpsgdGlobalAdapt rule = DpsgdGlobalAdapt.withDefaults(1).withInitialBound(4);
    double[] norms = {5, 10, 1};
    ClippingState next = rule.nextState(rule.initialState(), norms, StatisticNoise.NOISE_OFF_FOR_TESTS, 20);
    assertEquals(4 * Math.exp(2.0 / 20 - 0.1), ((ClippingState.AdaptiveBound) next).strictBound(), 1e-12);
  }

  @Test
  void globalAdapt_floor_stopsTheBoundFromShrinkingBelowIt() {
    DpsgdGlobalAdapt rule = DpsgdGlobalAdapt.withDefaults(1).withInitialBound(2).withBoundFloor(1.9);
    ClippingState next = rule.nextState(rule.initialState(), new double[] {0.1}, StatisticNoise.NOISE_OFF_FOR_TESTS, 10);
    assertEquals(1.9, ((ClippingState.AdaptiveBound) next).strictBound(), 0);
  }

  @Test
  void dpsgdF_noiseScale_isTheLargestBoundOverAllGroups_evenAbsentOnes() {
    DpsgdF rule = new DpsgdF(1, 10, 3);
    // Only group 0 is in the batch; group 2 has no units, so its ratio is 1 and its bound the largest.
    ClippingBounds b = rule.bounds(rule.initialState(), new double[] {0.5, 0.5}, new int[] {0, 0}, StatisticNoise.NOISE_OFF_FOR_TESTS);
    double[] c = b.groupClipNorms();
    assertEquals(Math.max(c[0], Math.max(c[1], c[2])), b.sensitivity(), 0);
    assertTrue(c[2] > c[0]);
  }

  @Test
  void noisePlan_gradientMultiplier_accountsTheJointMultiplier() {
    NoisePlan p = NoisePlan.of(1.0, JointAccounting.GRADIENT_MULTIPLIER, DpsgdGlobalAdapt.withDefaults(1));
    assertEquals(1.0, p.gradientMultiplier(), 0);
    assertEquals(Math.pow(1 + 0.01, -0.5), p.effectiveMultiplier(), 1e-12);
  }

  @Test
  void noisePlan_effectiveMultiplier_raisesGradientNoiseToMeetTarget() {
    NoisePlan p = NoisePlan.of(1.0, JointAccounting.EFFECTIVE_MULTIPLIER, DpsgdGlobalAdapt.withDefaults(1));
    assertEquals(1.0, p.effectiveMultiplier(), 0);
    double joint = 1 / Math.sqrt(1 / (p.gradientMultiplier() * p.gradientMultiplier()) + 1 / 100.0);
    assertEquals(1.0, joint, 1e-12);
    assertTrue(p.gradientMultiplier() > 1.0);
  }

  @Test
  void noisePlan_targetAboveStatisticNoise_isRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> NoisePlan.of(20, JointAccounting.EFFECTIVE_MULTIPLIER, DpsgdGlobalAdapt.withDefaults(1)));
  }

  @Test
  void noisePlan_plainDpsgd_isTheConfiguredSigma() {
    NoisePlan p = NoisePlan.of(1.3, JointAccounting.EFFECTIVE_MULTIPLIER, new Dpsgd(1));
    assertEquals(1.3, p.effectiveMultiplier(), 0);
    assertEquals(1.3, p.gradientMultiplier(), 0);
  }

  @Test
  void factor_nanNorm_isRejected() {
    assertThrows(IllegalArgumentException.class, () -> new Dpsgd(1).factor(Double.NaN, 0,
        new Dpsgd(1).bounds(new ClippingState.Stateless(), null, null, StatisticNoise.NOISE_OFF_FOR_TESTS)));
  }
}
