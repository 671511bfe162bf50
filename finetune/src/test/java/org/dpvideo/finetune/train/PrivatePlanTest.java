package org.dpvideo.finetune.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalDouble;
import org.dpvideo.dpsgd.accounting.AccountantKind;
import org.dpvideo.dpsgd.accounting.ComposedEvent;
import org.dpvideo.dpsgd.accounting.GaussianEvent;
import org.dpvideo.dpsgd.accounting.PoissonSampledEvent;
import org.dpvideo.dpsgd.accounting.RdpAccountant;
import org.dpvideo.dpsgd.accounting.SelfComposedEvent;
import org.dpvideo.dpsgd.clipping.Dpsgd;
import org.dpvideo.dpsgd.sampling.PrivacyUnit;
import org.dpvideo.finetune.task.Task;
import org.junit.jupiter.api.Test;

class PrivatePlanTest {
  private static PrivacySettings settings(OptionalDouble eps, OptionalDouble sigma, long steps) {
    return new PrivacySettings(eps, sigma, 1e-5, PrivacyUnit.SUBJECT, new Dpsgd(1.0), 0.05, steps, 3,
        AccountantKind.RDP);
  }

  @Test
  void plan_twoTaskGroups_composesEachGroupsStepsForTheWorstCaseUnit() {
    PrivatePlan p = PrivatePlan.of(settings(OptionalDouble.empty(), OptionalDouble.of(1.1), 100),
        List.of("image_to_video", "frame_continuation"), new double[] {0.7, 0.3}, new RdpAccountant());
    assertArrayEquals(new long[] {70, 30}, p.stepsPerGroup());
    PoissonSampledEvent step = new PoissonSampledEvent(0.05, new GaussianEvent(1.1));
    assertEquals(new ComposedEvent(List.of(new SelfComposedEvent(step, 70), new SelfComposedEvent(step, 30))),
        p.planned());
    // Independent oracle: with one sampling rate the composition is 100 such steps.
    double whole = new RdpAccountant().epsilon(new SelfComposedEvent(step, 100), 1e-5).epsilon();
    assertEquals(whole, p.guarantee().epsilon(), 1e-9 * whole);
  }

  @Test
  void plan_targetEpsilon_calibratesSigmaThatReachesIt() {
    PrivatePlan p = PrivatePlan.of(settings(OptionalDouble.of(4.0), OptionalDouble.empty(), 200),
        List.of("image_to_video"), new double[] {1}, new RdpAccountant());
    assertTrue(p.guarantee().epsilon() <= 4.0 + 1e-9, "epsilon " + p.guarantee().epsilon());
    assertTrue(p.guarantee().epsilon() > 3.9, "sigma is not needlessly large: epsilon " + p.guarantee().epsilon());
  }

  @Test
  void plan_groupWithoutAStep_isRejectedNamingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PrivatePlan.of(
        settings(OptionalDouble.empty(), OptionalDouble.of(1.0), 3), List.of("a", "b"), new double[] {100, 1},
        new RdpAccountant()));
    assertTrue(e.getMessage().contains("task group 'b' gets no step of 3"), e.getMessage());
  }

  @Test
  void settings_bothEpsilonAndSigma_areRejected() {
    assertThrows(IllegalArgumentException.class, () -> settings(OptionalDouble.of(1), OptionalDouble.of(1), 10));
  }

  @Test
  void taskMix_parse_readsWeightsAndRejectsDuplicates() {
    TaskMix m = TaskMix.parse("i2v=0.7, fc=0.3");
    assertEquals(List.of(Task.IMAGE_TO_VIDEO, Task.FRAME_CONTINUATION), m.tasks());
    assertArrayEquals(new double[] {0.7, 0.3}, m.weightArray());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TaskMix.parse("i2v,i2v=2"));
    assertTrue(e.getMessage().contains("appears twice"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> TaskMix.parse("i2v=x"));
    assertTrue(e.getMessage().contains("is not a number"), e.getMessage());
  }
}
