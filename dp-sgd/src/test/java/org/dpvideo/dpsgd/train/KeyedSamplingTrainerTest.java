package org.dpvideo.dpsgd.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.dpvideo.dpsgd.clipping.DpsgdGlobalAdapt;
import org.dpvideo.dpsgd.layers.DpModel;
import org.dpvideo.dpsgd.layers.TinyModels;
import org.dpvideo.dpsgd.noise.Randomness;
import org.dpvideo.dpsgd.sampling.KeyedPoissonSampler;
import org.dpvideo.dpsgd.sampling.PrivacyUnits;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@link DpTrainer.Builder#keyedSampling()}: the trainer samples what the keyed sampler decides, and resumes exactly. */
class KeyedSamplingTrainerTest {

  @Test
  void keyedTrainer_samplesWhatTheKeyedSamplerDecides_stepByStep() {
    int n = 40;
    Map<String, INDArray> data = TinyModels.mlpBatch(n, 3);
    List<TreeSet<Integer>> seen = new ArrayList<>();
    DpModel model = TinyModels.mlp(4);
    DpTrainer t = DpTrainer.builder(model, DpConfig.of(1.0, DpsgdGlobalAdapt.withDefaults(1.0), 0.3, 5, 1e-5),
        PrivacyUnits.perExample(n), ids -> TinyModels.select(data, ids)).randomness(Randomness.seeded(8)).keyedSampling()
        .performance(PerformanceOptions.defaults().withMicroBatchSize(4))
        .unprotectedObserver(v -> {
          while (seen.size() <= v.step()) {
            seen.add(new TreeSet<>());
          }
          for (int u : v.unitIds()) {
            seen.get((int) v.step()).add(u);
          }
        }).build();
    KeyedPoissonSampler oracle = KeyedPoissonSampler.fromRandomness(Randomness.seeded(8));
    int total = 0;
    for (int s = 0; s < 5; s++) {
      t.step();
      int[] expected = oracle.sample(s, n, 0.3);
      int[] got = s < seen.size() ? seen.get(s).stream().mapToInt(Integer::intValue).toArray() : new int[0];
      assertArrayEquals(expected, got, "step " + s);
      total += got.length;
    }
    assertTrue(total > 20, "sampled " + total);
  }

  @Test
  void keyedSeededRun_resumedFromItsState_continuesAsAnUninterruptedRun() {
    int n = 30;
    Map<String, INDArray> data = TinyModels.mlpBatch(n, 5);
    DpConfig config = DpConfig.of(1.0, DpsgdGlobalAdapt.withDefaults(0.5), 0.3, 4, 1e-5);
    DpModel model = TinyModels.mlp(6);
    DpTrainer first = DpTrainer.builder(model, config, PrivacyUnits.perExample(n), ids -> TinyModels.select(data, ids))
        .randomness(Randomness.seeded(2)).keyedSampling().build();
    first.step();
    first.step();
    DpTrainer resumed = DpTrainer.builder(model, config, PrivacyUnits.perExample(n), ids -> TinyModels.select(data, ids))
        .randomness(Randomness.seeded(2)).keyedSampling().resumeFrom(TrainerState.fromJson(first.state().toJson()))
        .build();
    resumed.step();
    resumed.step();
    DpModel twin = TinyModels.mlp(6);
    DpTrainer straight = DpTrainer.builder(twin, config, PrivacyUnits.perExample(n), ids -> TinyModels.select(data, ids))
        .randomness(Randomness.seeded(2)).keyedSampling().build();
    for (int s = 0; s < 4; s++) {
      straight.step();
    }
    assertEquals(straight.clippingState(), resumed.clippingState());
    // The resumed log composes the checkpointed part with the new steps: the same epsilon.
    var accountant = new org.dpvideo.dpsgd.accounting.RdpAccountant();
    assertEquals(accountant.epsilon(straight.spent(), 1e-5).epsilon(), accountant.epsilon(resumed.spent(), 1e-5).epsilon(),
        1e-9);
    assertTrue(twin.parameters().get("out.weight").value().equalsWithEps(model.parameters().get("out.weight").value(),
        1e-5));
  }
}
