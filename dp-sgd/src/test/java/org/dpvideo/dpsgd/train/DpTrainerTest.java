package org.dpvideo.dpsgd.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.dpvideo.dpsgd.accounting.ComposedEvent;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.accounting.GaussianEvent;
import org.dpvideo.dpsgd.accounting.PoissonSampledEvent;
import org.dpvideo.dpsgd.accounting.SelfComposedEvent;
import org.dpvideo.dpsgd.clipping.ClippingState;
import org.dpvideo.dpsgd.clipping.Dpsgd;
import org.dpvideo.dpsgd.clipping.DpsgdF;
import org.dpvideo.dpsgd.clipping.DpsgdGlobalAdapt;
import org.dpvideo.dpsgd.layers.DpModel;
import org.dpvideo.dpsgd.layers.Parameter;
import org.dpvideo.dpsgd.layers.TinyModels;
import org.dpvideo.dpsgd.noise.Randomness;
import org.dpvideo.dpsgd.noise.RandomnessLabel;
import org.dpvideo.dpsgd.optim.OptimizerConfig;
import org.dpvideo.dpsgd.sampling.PrivacyUnits;
import org.dpvideo.dpsgd.step.NonFiniteGradientException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DpTrainerTest {

  /** A separable 3-class problem for the MLP: the label is the argmax of the first three features. */
  private static Map<String, INDArray> separable(int n, long seed) {
    Map<String, INDArray> m = TinyModels.mlpBatch(n, seed);
    INDArray f = m.get("features");
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = Nd4j.argMax(f.getRow(i).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 3))).getInt(0);
    }
    m.put("labels", Nd4j.createFromArray(labels));
    return m;
  }

  private static double meanLoss(DpModel model, Map<String, INDArray> data) {
    return model.output(data, model.perExampleLoss()).get(model.perExampleLoss()).meanNumber().doubleValue();
  }

  private static Map<String, INDArray> snapshot(DpModel m) {
    Map<String, INDArray> s = new HashMap<>();
    for (Parameter p : m.parameters().all()) {
      s.put(p.name(), p.value().dup());
    }
    return s;
  }

  @Test
  void mlp_privateTraining_lowersTheLoss_andRecordsOneEventPerStep() {
    int n = 400;
    Map<String, INDArray> data = separable(n, 1);
    DpModel model = TinyModels.mlp(2);
    double before = meanLoss(model, data);
    DpConfig config = DpConfig.of(0.8, new Dpsgd(1.0), 0.1, 60, 1e-5);
    DpTrainer t = DpTrainer.builder(model, config, PrivacyUnits.perExample(n), ids -> TinyModels.select(data, ids))
        .optimizer(OptimizerConfig.sgd(0.5)).randomness(Randomness.seeded(3))
        .performance(PerformanceOptions.defaults().withMicroBatchSize(16)).build();
    for (int s = 0; s < 60; s++) {
      t.step();
    }
    double after = meanLoss(model, data);
    assertTrue(after < 0.8 * before, "loss " + before + " -> " + after);
    assertEquals(new SelfComposedEvent(new PoissonSampledEvent(0.1, new GaussianEvent(0.8)), 60), t.spent());
    assertEquals(RandomnessLabel.SEEDED, t.randomness());
    IllegalStateException e = assertThrows(IllegalStateException.class, t::step);
    assertTrue(e.getMessage().contains("planned steps"), e.getMessage());
  }

  @Test
  void seededRuns_areReproducible_andSecureRunsAreNot() {
    int n = 60;
    Map<String, INDArray> data = separable(n, 4);
    Map<String, INDArray>[] results = new Map[3];
    for (int run = 0; run < 3; run++) {
      DpModel model = TinyModels.mlp(5);
      DpTrainer t = DpTrainer.builder(model, DpConfig.of(1.0, new Dpsgd(1.0), 0.2, 5, 1e-5), PrivacyUnits.perExample(n),
          ids -> TinyModels.select(data, ids)).randomness(run < 2 ? Randomness.seeded(9) : Randomness.secure()).build();
      for (int s = 0; s < 5; s++) {
        t.step();
      }
      results[run] = snapshot(model);
    }
    assertTrue(results[0].get("out.weight").equals(results[1].get("out.weight")), "same seed, same parameters");
    assertTrue(!results[0].get("out.weight").equals(results[2].get("out.weight")), "secure noise differs");
  }

  @Test
  void nonFiniteGradient_failsTheStep_andLeavesEverythingUnchanged() {
    int n = 30;
    Map<String, INDArray> data = separable(n, 6);
    data.get("features").putScalar(new long[] {7, 1}, Double.POSITIVE_INFINITY);
    DpModel model = TinyModels.mlp(7);
    // q = 1: example 7 is in every batch.
    DpTrainer t = DpTrainer.builder(model, DpConfig.of(1.0, DpsgdGlobalAdapt.withDefaults(1.0), 1.0, 5, 1e-5),
        PrivacyUnits.perExample(n), ids -> TinyModels.select(data, ids)).optimizer(OptimizerConfig.adam(0.01)).build();
    Map<String, INDArray> before = snapshot(model);
    ClippingState z = t.clippingState();
    DpEvent spent = t.spent();
    assertThrows(NonFiniteGradientException.class, t::step);
    for (var e : before.entrySet()) {
      assertEquals(e.getValue(), model.parameters().get(e.getKey()).value(), e.getKey() + " unchanged");
    }
    assertEquals(0, t.stepsTaken());
    assertEquals(z, t.clippingState());
    assertEquals(spent, t.spent());
    assertEquals(0, t.optimizer().iterations());
  }

  @Test
  void checkpointState_roundTripsAsJson_andResumeContinuesTheSpentEvents() {
    int n = 50;
    Map<String, INDArray> data = separable(n, 8);
    DpConfig config = DpConfig.of(1.1, DpsgdGlobalAdapt.withDefaults(0.5), 0.2, 6, 1e-5);
    DpModel model = TinyModels.mlp(9);
    DpTrainer first = DpTrainer.builder(model, config, PrivacyUnits.perExample(n), ids -> TinyModels.select(data, ids))
        .randomness(Randomness.seeded(1)).build();
    for (int s = 0; s < 3; s++) {
      first.step();
    }
    TrainerState state = TrainerState.fromJson(first.state().toJson());
    assertEquals(first.state(), state);
    assertTrue(((ClippingState.AdaptiveBound) state.clipping()).strictBound() < 50, "Z adapted: " + state.clipping());
    DpTrainer resumed = DpTrainer.builder(model, config, PrivacyUnits.perExample(n), ids -> TinyModels.select(data, ids))
        .randomness(Randomness.seeded(1)).resumeFrom(state).build();
    resumed.step();
    DpEvent step = new PoissonSampledEvent(0.2, new GaussianEvent(1 / Math.sqrt(1 / (1.1 * 1.1) + 0.01)));
    assertEquals(ComposedEvent.of(new SelfComposedEvent(step, 3), step), resumed.spent());
    assertEquals(4, resumed.stepsTaken());
    // Continuing the first trainer gives the same next step as the resumed one (seeded streams resume exactly).
    DpModel twin = TinyModels.mlp(9);
    DpTrainer straight = DpTrainer.builder(twin, config, PrivacyUnits.perExample(n), ids -> TinyModels.select(data, ids))
        .randomness(Randomness.seeded(1)).build();
    for (int s = 0; s < 4; s++) {
      straight.step();
    }
    assertEquals(straight.clippingState(), resumed.clippingState());
    assertTrue(twin.parameters().get("out.weight").value().equalsWithEps(model.parameters().get("out.weight").value(), 1e-5));
  }

  @Test
  void subjectUnits_trainWithUserLevelSampling() {
    int n = 90;
    Map<String, INDArray> data = separable(n, 10);
    int[] subject = new int[n];
    Random r = new Random(1);
    for (int i = 0; i < n; i++) {
      subject[i] = r.nextInt(20);
    }
    PrivacyUnits units = PrivacyUnits.bySubject(subject);
    DpModel model = TinyModels.mlp(11);
    double before = meanLoss(model, data);
    DpTrainer t = DpTrainer.builder(model, DpConfig.of(0.7, new Dpsgd(1.0), 0.5, 40, 1e-5).withSubjectUnits(4), units,
        ids -> TinyModels.select(data, ids)).optimizer(OptimizerConfig.sgd(0.3)).randomness(Randomness.seeded(2))
        .performance(PerformanceOptions.defaults().withMicroBatchSize(8)).build();
    for (int s = 0; s < 40; s++) {
      t.step();
    }
    assertTrue(meanLoss(model, data) < before);
  }

  @Test
  void dpsgdF_withGroups_trains_andNeedsGroups() {
    int n = 80;
    Map<String, INDArray> data = separable(n, 12);
    int[] groups = new int[n];
    for (int i = 0; i < n; i++) {
      groups[i] = i % 3 == 0 ? 1 : 0;
    }
    DpModel model = TinyModels.mlp(13);
    DpConfig config = DpConfig.of(1.0, new DpsgdF(1.0, 10, 2), 0.25, 3, 1e-5);
    assertThrows(IllegalArgumentException.class, () -> DpTrainer.builder(model, config, PrivacyUnits.perExample(n),
        ids -> TinyModels.select(data, ids)).build());
    DpTrainer t = DpTrainer.builder(model, config, PrivacyUnits.perExample(n).withGroups(groups),
        ids -> TinyModels.select(data, ids)).performance(PerformanceOptions.defaults().withMicroBatchSize(7)).build();
    StepReport report = t.step();
    assertEquals(2, report.bounds().groupClipNorms().length);
    assertTrue(report.noiseStd() >= report.bounds().sensitivity());
  }

  @Test
  void tinySamplingRate_emptyBatches_stillRecordEvents() {
    int n = 20;
    Map<String, INDArray> data = separable(n, 14);
    DpModel model = TinyModels.mlp(15);
    DpTrainer t = DpTrainer.builder(model, DpConfig.of(1.0, new Dpsgd(1.0), 1e-4, 5, 1e-5), PrivacyUnits.perExample(n),
        ids -> TinyModels.select(data, ids)).randomness(Randomness.seeded(5)).build();
    Map<String, INDArray> before = snapshot(model);
    for (int s = 0; s < 5; s++) {
      t.step();
    }
    assertEquals(new SelfComposedEvent(new PoissonSampledEvent(1e-4, new GaussianEvent(1.0)), 5), t.spent());
    assertTrue(!before.get("out.bias").equals(model.parameters().get("out.bias").value()), "noise moved the parameters");
  }

  @Test
  void privacyUnitMismatch_isRejected() {
    DpModel model = TinyModels.mlp(15);
    assertThrows(IllegalArgumentException.class, () -> DpTrainer.builder(model,
        DpConfig.of(1.0, new Dpsgd(1.0), 0.1, 5, 1e-5).withSubjectUnits(2), PrivacyUnits.perExample(10), ids -> null).build());
  }
}
