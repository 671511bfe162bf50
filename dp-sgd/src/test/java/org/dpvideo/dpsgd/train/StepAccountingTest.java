package org.dpvideo.dpsgd.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.accounting.RdpAccountant;
import org.dpvideo.dpsgd.accounting.SelfComposedEvent;
import org.dpvideo.dpsgd.clipping.Dpsgd;
import org.dpvideo.dpsgd.clipping.DpsgdF;
import org.dpvideo.dpsgd.clipping.DpsgdGlobalAdapt;
import org.dpvideo.dpsgd.clipping.JointAccounting;
import org.dpvideo.dpsgd.layers.DpModel;
import org.dpvideo.dpsgd.layers.TinyModels;
import org.dpvideo.dpsgd.sampling.PrivacyUnits;
import org.dpvideo.dpsgd.step.PrivateStep;
import org.dpvideo.dpsgd.noise.LatticeGaussianMechanism;
import org.dpvideo.dpsgd.noise.RandomStream;
import org.dpvideo.dpsgd.persample.NormStrategy;
import org.dpvideo.dpsgd.persample.PerSampleEngine;
import org.junit.jupiter.api.Test;

/**
 * The events the kernel records, turned into epsilon by the RDP accountant, against the fairness
 * spec's section 2.6 (caveat A1): the MNIST runs (q = 1/214, T = 12,840, delta = 1e-6).
 */
class StepAccountingTest {
  private static final double Q = 1.0 / 214;
  private static final int T = 12_840;

  private static double epsilon(DpConfig config) {
    DpModel model = TinyModels.mlp(1);
    PrivateStep step = new PrivateStep(new PerSampleEngine(model, NormStrategy.AUTO, 1 << 20), config.clipping(),
        config.noisePlan(), new LatticeGaussianMechanism(RandomStream.seeded(1, "n")), Q, 54_676);
    DpEvent run = new SelfComposedEvent(step.event(), T);
    return new RdpAccountant().epsilon(run, 1e-6).epsilon();
  }

  @Test
  void dpsgd_mnist_matchesThePaper() {
    assertEquals(5.90, epsilon(DpConfig.of(0.8, new Dpsgd(1), Q, T, 1e-6)), 0.01);
  }

  @Test
  void globalAdapt_mnist_isAccountedJointly_as5951() {
    double joint = epsilon(DpConfig.of(0.8, DpsgdGlobalAdapt.withDefaults(1), Q, T, 1e-6));
    assertEquals(5.951, joint, 0.005, "spec A1: one subsampled Gaussian with the joint multiplier");
    assertTrue(joint > 5.909, "more than the reference code's separate composition (5.909)");
  }

  @Test
  void dpsgdF_mnist_oneCountReleasePerStep_accountedJointly() {
    // One histogram release per step (sigma_c = 8) jointly with the gradient: (0.8^-2 + 8^-2)^-1/2.
    double eps = epsilon(DpConfig.of(0.8, new DpsgdF(1, 8, 10), Q, T, 1e-6));
    double expected = epsilon(DpConfig.of(1 / Math.sqrt(1 / 0.64 + 1 / 64.0), new Dpsgd(1), Q, T, 1e-6));
    assertEquals(expected, eps, 1e-9);
  }

  @Test
  void effectiveMultiplierMode_spendsExactlyThePlainDpsgdBudget() {
    DpConfig adapt = DpConfig.of(0.8, DpsgdGlobalAdapt.withDefaults(1), Q, T, 1e-6)
        .withJointAccounting(JointAccounting.EFFECTIVE_MULTIPLIER);
    assertEquals(epsilon(DpConfig.of(0.8, new Dpsgd(1), Q, T, 1e-6)), epsilon(adapt), 1e-9);
    assertTrue(adapt.noisePlan().gradientMultiplier() > 0.8);
    assertEquals(PrivacyUnits.perExample(3).count(), 3);
  }
}
