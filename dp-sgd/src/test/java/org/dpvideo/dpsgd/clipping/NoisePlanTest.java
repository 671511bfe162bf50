package org.dpvideo.dpsgd.clipping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class NoisePlanTest {

  @Test
  void handMadePlan_withLessNoiseThanItsEvent_isRejected() {
    // A plan that would add noise 1e-12 while the step records Gaussian(5): an unaccounted release.
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new NoisePlan(1e-12, OptionalDouble.empty(), 5.0));
    assertTrue(e.getMessage().contains("NoisePlan.of"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new NoisePlan(2.0, OptionalDouble.of(3.0), 2.0));
    assertThrows(IllegalArgumentException.class, () -> new NoisePlan(0.0, OptionalDouble.empty(), 0.0));
    assertThrows(IllegalArgumentException.class, () -> new NoisePlan(1.0, OptionalDouble.of(-1.0), 1.0));
    assertThrows(IllegalArgumentException.class,
        () -> new NoisePlan(Double.POSITIVE_INFINITY, OptionalDouble.empty(), Double.POSITIVE_INFINITY));
  }

  @Test
  void plansFromOf_passTheirOwnValidation_inBothJointModes() {
    ClippingRule adapt = DpsgdGlobalAdapt.withDefaults(1.0);
    for (double sigma : new double[] {0.5, 1.0, 3.7}) {
      NoisePlan g = NoisePlan.of(sigma, JointAccounting.GRADIENT_MULTIPLIER, adapt);
      assertEquals(g, new NoisePlan(g.gradientMultiplier(), g.statisticMultiplier(), g.effectiveMultiplier()));
      NoisePlan plain = NoisePlan.of(sigma, JointAccounting.GRADIENT_MULTIPLIER, new Dpsgd(1.0));
      assertEquals(sigma, plain.effectiveMultiplier());
    }
    NoisePlan eff = NoisePlan.of(1.0, JointAccounting.EFFECTIVE_MULTIPLIER, adapt);
    assertEquals(1.0, eff.effectiveMultiplier());
  }
}
