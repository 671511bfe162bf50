package org.dpvideo.dpsgd.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dpvideo.dpsgd.accounting.ComposedEvent;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.accounting.GaussianEvent;
import org.dpvideo.dpsgd.accounting.PldAccountant;
import org.dpvideo.dpsgd.accounting.PoissonSampledEvent;
import org.dpvideo.dpsgd.accounting.SelfComposedEvent;
import org.dpvideo.dpsgd.clipping.Dpsgd;
import org.dpvideo.dpsgd.clipping.DpsgdGlobalAdapt;
import org.dpvideo.dpsgd.layers.DpModel;
import org.dpvideo.dpsgd.layers.ModelBuilder;
import org.dpvideo.dpsgd.layers.ParameterStore;
import org.dpvideo.dpsgd.layers.SequenceLosses;
import org.dpvideo.dpsgd.layers.TinyModels;
import org.dpvideo.dpsgd.noise.Randomness;
import org.dpvideo.dpsgd.optim.OptimizerConfig;
import org.dpvideo.dpsgd.sampling.PrivacyUnits;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class TaskGroupTrainingTest {

  /** The tiny MLP of TinyModels built over a given store (same layer names, so the same parameters). */
  private static DpModel mlpOver(ParameterStore store, long seed) {
    ModelBuilder b = store == null ? ModelBuilder.create(seed) : ModelBuilder.over(store, seed);
    SDVariable x = b.examplePlaceholder("features", DataType.FLOAT, TinyModels.FEATURES);
    SDVariable y = b.examplePlaceholder("labels", DataType.INT);
    SDVariable h = b.sameDiff().math.tanh(b.linear("hidden1", x, TinyModels.FEATURES, 7));
    h = b.sameDiff().math.tanh(b.linear("hidden2", h, 7, 6));
    SDVariable logits = b.linear("out", h, 6, TinyModels.CLASSES);
    b.perExampleLoss(SequenceLosses.crossEntropy(b.sameDiff(), logits, y, TinyModels.CLASSES));
    return b.build();
  }

  @Test
  void interleavedSchedule_spreadsEachGroupsStepsEvenly() {
    GroupSchedule s = GroupSchedule.interleaved(2, 6);
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      order.add(s.groupAt(i));
    }
    assertEquals(List.of(1, 0, 1, 1, 1, 0, 1, 1), order);
    assertEquals(8, s.totalSteps());
    assertEquals(1, s.stepsOfGroupBefore(0, 4));
    assertEquals(2, s.stepsOfGroupBefore(0, 8));
    assertThrows(IllegalArgumentException.class, () -> s.groupAt(8));
    assertThrows(IllegalArgumentException.class, () -> GroupSchedule.interleaved(3, 0));
    assertEquals(0, GroupSchedule.single(5).groupAt(4));
  }

  @Test
  void twoGroups_shareOneOptimizer_andSpendTheComposedPlannedEvent() {
    int nA = 40;
    int nB = 25;
    Map<String, INDArray> dataA = TinyModels.mlpBatch(nA, 1);
    Map<String, INDArray> dataB = TinyModels.mlpBatch(nB, 2);
    DpModel a = mlpOver(null, 3);
    DpModel b = mlpOver(a.parameters(), 3);
    assertTrue(a.parameters() == b.parameters());
    DpConfig base = DpConfig.of(1.2, DpsgdGlobalAdapt.withDefaults(1.0), 0.25, 3, 1e-5);
    List<TaskGroup> groups = List.of(
        new TaskGroup("a", a, base.withSteps(3), PrivacyUnits.perExample(nA), ids -> TinyModels.select(dataA, ids)),
        new TaskGroup("b", b, base.withSamplingRate(0.5).withSteps(5), PrivacyUnits.perExample(nB),
            ids -> TinyModels.select(dataB, ids)));
    DpTrainer t = DpTrainer.builder(groups, GroupSchedule.interleaved(3, 5))
        .optimizer(OptimizerConfig.adam(0.01)).randomness(Randomness.seeded(4)).build();
    DpEvent planned = t.planned();
    double sigmaEff = groups.get(0).config().noisePlan().effectiveMultiplier();
    assertEquals(new ComposedEvent(List.of(
        new SelfComposedEvent(new PoissonSampledEvent(0.25, new GaussianEvent(sigmaEff)), 3),
        new SelfComposedEvent(new PoissonSampledEvent(0.5, new GaussianEvent(sigmaEff)), 5))), planned);
    INDArray before = a.parameters().get("out.weight").value().dup();
    int[] trained = new int[2];
    for (int s = 0; s < 8; s++) {
      trained[t.nextGroup()]++;
      t.step();
    }
    assertArrayEquals(new int[] {3, 5}, trained);
    assertEquals(8, t.optimizer().iterations(), "one optimizer state for both groups");
    assertTrue(!before.equals(a.parameters().get("out.weight").value()));
    assertEquals(-1, t.nextGroup());
    assertThrows(IllegalStateException.class, t::step);
    PldAccountant pld = new PldAccountant();
    assertEquals(pld.epsilon(planned, 1e-5).epsilon(), pld.epsilon(t.spent(), 1e-5).epsilon(), 1e-9);
  }

  @Test
  void groupsWithDifferentSigmaOrTrainedParameters_areRejected() {
    Map<String, INDArray> data = TinyModels.mlpBatch(10, 1);
    DpModel a = mlpOver(null, 3);
    DpModel b = mlpOver(a.parameters(), 3);
    DpConfig c = DpConfig.of(1.0, new Dpsgd(1.0), 0.5, 2, 1e-5);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DpTrainer.builder(List.of(
        new TaskGroup("a", a, c, PrivacyUnits.perExample(10), ids -> TinyModels.select(data, ids)),
        new TaskGroup("b", b, c.withNoiseMultiplier(2.0), PrivacyUnits.perExample(10),
            ids -> TinyModels.select(data, ids))), GroupSchedule.interleaved(2, 2)).build());
    assertTrue(e.getMessage().contains("must share sigma"), e.getMessage());
    DpModel separate = mlpOver(null, 5);
    DpModel other = mlpOver(separate.parameters(), 5);
    separate.parameters().setTrainable("out.bias", false);
    // Same store, same flags: fine. A graph missing a trained parameter would differ; simulate with a third store.
    DpModel foreign = TinyModels.transformer(1);
    e = assertThrows(IllegalArgumentException.class, () -> DpTrainer.builder(List.of(
        new TaskGroup("a", separate, c, PrivacyUnits.perExample(10), ids -> TinyModels.select(data, ids)),
        new TaskGroup("b", foreign, c, PrivacyUnits.perExample(10), ids -> TinyModels.select(data, ids))),
        GroupSchedule.interleaved(2, 2)).build());
    assertTrue(e.getMessage().contains("same trained parameters"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> DpTrainer.builder(List.of(
        new TaskGroup("a", separate, c, PrivacyUnits.perExample(10), ids -> TinyModels.select(data, ids)),
        new TaskGroup("b", other, c, PrivacyUnits.perExample(10), ids -> TinyModels.select(data, ids))),
        GroupSchedule.interleaved(2, 3)).build());
    assertTrue(e.getMessage().contains("schedule gives it 3"), e.getMessage());
  }

  @Test
  void resumedGroupRun_continuesTheScheduleAndTheSpentEvents() {
    Map<String, INDArray> dataA = TinyModels.mlpBatch(30, 7);
    Map<String, INDArray> dataB = TinyModels.mlpBatch(20, 8);
    DpConfig base = DpConfig.of(1.0, new Dpsgd(1.0), 0.3, 1, 1e-5);
    List<DpEvent> finals = new ArrayList<>();
    List<INDArray> weights = new ArrayList<>();
    for (boolean interrupted : new boolean[] {false, true}) {
      DpModel a = mlpOver(null, 9);
      DpModel b = mlpOver(a.parameters(), 9);
      List<TaskGroup> groups = List.of(
          new TaskGroup("a", a, base.withSteps(4), PrivacyUnits.perExample(30), ids -> TinyModels.select(dataA, ids)),
          new TaskGroup("b", b, base.withSamplingRate(0.6).withSteps(2), PrivacyUnits.perExample(20),
              ids -> TinyModels.select(dataB, ids)));
      GroupSchedule schedule = GroupSchedule.interleaved(4, 2);
      DpTrainer t = DpTrainer.builder(groups, schedule).randomness(Randomness.seeded(11)).build();
      for (int s = 0; s < (interrupted ? 3 : 6); s++) {
        t.step();
      }
      if (interrupted) {
        TrainerState state = TrainerState.fromJson(t.state().toJson());
        t = DpTrainer.builder(groups, schedule).randomness(Randomness.seeded(11)).resumeFrom(state).build();
        assertEquals(schedule.groupAt(3), t.nextGroup());
        for (int s = 3; s < 6; s++) {
          t.step();
        }
      }
      finals.add(t.spent());
      weights.add(a.parameters().get("out.weight").value().dup());
    }
    PldAccountant pld = new PldAccountant();
    assertEquals(pld.epsilon(finals.get(0), 1e-5).epsilon(), pld.epsilon(finals.get(1), 1e-5).epsilon(), 1e-9);
    assertTrue(weights.get(0).equalsWithEps(weights.get(1), 1e-5), "seeded resume continues exactly");
  }
}
