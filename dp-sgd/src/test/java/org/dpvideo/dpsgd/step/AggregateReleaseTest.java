package org.dpvideo.dpsgd.step;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import org.dpvideo.dpsgd.clipping.ClippingRule;
import org.dpvideo.dpsgd.clipping.ClippingState;
import org.dpvideo.dpsgd.clipping.Dpsgd;
import org.dpvideo.dpsgd.clipping.DpsgdF;
import org.dpvideo.dpsgd.clipping.DpsgdGlobalAdapt;
import org.dpvideo.dpsgd.clipping.JointAccounting;
import org.dpvideo.dpsgd.clipping.NoisePlan;
import org.dpvideo.dpsgd.layers.DpModel;
import org.dpvideo.dpsgd.layers.TinyModels;
import org.dpvideo.dpsgd.noise.LatticeGaussianMechanism;
import org.dpvideo.dpsgd.noise.Randomness;
import org.dpvideo.dpsgd.persample.NormStrategy;
import org.dpvideo.dpsgd.persample.PerSampleEngine;
import org.dpvideo.dpsgd.sampling.MicroBatchPlan;
import org.dpvideo.dpsgd.sampling.PrivacyUnits;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The split private step (workers' {@link ClippedSumKernel}, driver's {@link AggregateRelease}) against
 * the single-process {@link PrivateStep} as oracle: the same batch cut into shards gives the same
 * bounds, next state, noise std, event and noisy gradient (float tolerance).
 */
class AggregateReleaseTest {

  private static int[] range(int from, int to) {
    return java.util.stream.IntStream.range(from, to).toArray();
  }

  private void compare(ClippingRule rule, PrivacyUnits units, int[] sampled, int splitAt) {
    int n = units.count();
    Map<String, INDArray> data = TinyModels.mlpBatch(n, 41);
    data.get("features").muli(3);
    BatchAssembler assembler = ids -> TinyModels.select(data, ids);
    DpModel model = TinyModels.mlp(42);
    double q = 0.5;
    NoisePlan plan = NoisePlan.of(1.1, JointAccounting.GRADIENT_MULTIPLIER, rule);
    PerSampleEngine engine = new PerSampleEngine(model, NormStrategy.AUTO, 1L << 30);
    java.util.function.IntUnaryOperator groups = units.hasGroups() ? units::group : null;
    ClippingState state = rule.initialState();

    PrivateStep single = new PrivateStep(engine, rule, plan,
        LatticeGaussianMechanism.fromRandomness(Randomness.seeded(5), "gradient-noise"), q, n);
    StepOutcome expected = single.run(state, MicroBatchPlan.of(sampled, units, 4, 1, (org.dpvideo.dpsgd.noise.RandomStream) null), assembler, groups, null, 0);
    Map<String, float[]> expectedValues = new java.util.HashMap<>();
    expected.gradient().values().forEach((k, v) -> expectedValues.put(k, v.dup().data().asFloat()));

    ClippedSumKernel worker = new ClippedSumKernel(engine, rule);
    AggregateRelease driver = new AggregateRelease(engine.trainable(), rule, plan,
        LatticeGaussianMechanism.fromRandomness(Randomness.seeded(5), "gradient-noise"), q, n);
    MicroBatchPlan[] shards = {MicroBatchPlan.of(Arrays.copyOfRange(sampled, 0, splitAt), units, 3, 1, (org.dpvideo.dpsgd.noise.RandomStream) null),
        MicroBatchPlan.of(Arrays.copyOfRange(sampled, splitAt, sampled.length), units, 5, 1, (org.dpvideo.dpsgd.noise.RandomStream) null)};
    long[] before = driver.zeroCountsBeforeClipping();
    if (rule.needsAllNormsFirst()) {
      for (MicroBatchPlan s : shards) {
        long[] c = worker.countsBeforeClipping(s, assembler, groups);
        for (int i = 0; i < c.length; i++) {
          before[i] += c[i];
        }
      }
    }
    var bounds = driver.bounds(state, before);
    float[][] total = null;
    long[] after = driver.zeroCountsAfterClipping(state);
    int unitsSeen = 0;
    for (MicroBatchPlan s : shards) {
      ClippedSumKernel.Shard shard = worker.clippedSum(state, bounds, s, assembler, groups);
      float[][] part = shard.sums().toArrays();
      if (total == null) {
        total = part;
      } else {
        for (int p = 0; p < part.length; p++) {
          for (int j = 0; j < part[p].length; j++) {
            total[p][j] += part[p][j];
          }
        }
      }
      for (int i = 0; i < after.length; i++) {
        after[i] += shard.countsAfterClipping()[i];
      }
      unitsSeen += shard.units();
    }
    assertEquals(sampled.length, unitsSeen);
    StepOutcome got = driver.release(total, after);

    assertEquals(expected.event(), got.event());
    assertEquals(expected.nextState(), got.nextState());
    assertEquals(expected.noiseStd(), got.noiseStd(), 0);
    assertArrayEquals(expected.bounds().groupClipNorms(), got.bounds().groupClipNorms(), 0);
    for (var e : got.gradient().values().entrySet()) {
      float[] g = e.getValue().dup().data().asFloat();
      float[] x = expectedValues.get(e.getKey());
      for (int j = 0; j < g.length; j++) {
        assertEquals(x[j], g[j], 1e-4 * (1 + Math.abs(x[j])), e.getKey() + "[" + j + "]");
      }
    }
  }

  @Test
  void twoShards_globalAdapt_releaseWhatThePrivateStepReleases() {
    compare(DpsgdGlobalAdapt.withDefaults(0.5).withInitialBound(0.8), PrivacyUnits.perExample(30),
        new int[] {0, 2, 3, 7, 8, 11, 15, 19, 20, 21, 26, 29}, 5);
  }

  @Test
  void twoShards_dpsgd_releaseWhatThePrivateStepReleases() {
    compare(new Dpsgd(0.5), PrivacyUnits.perExample(30), range(0, 30), 17);
  }

  @Test
  void twoShards_dpsgdF_countsAggregate_andReleaseWhatThePrivateStepReleases() {
    int[] g = new int[30];
    for (int i = 0; i < g.length; i++) {
      g[i] = i % 3 == 0 ? 1 : 0;
    }
    compare(new DpsgdF(0.5, 8, 2), PrivacyUnits.perExample(30).withGroups(g), new int[] {1, 3, 4, 6, 9, 10, 12, 13,
        18, 22, 24, 27}, 6);
  }

  @Test
  void emptyShard_isTheIdentity() {
    compare(DpsgdGlobalAdapt.withDefaults(0.5), PrivacyUnits.perExample(30), new int[] {3, 4, 5}, 0);
  }

  @Test
  void release_withoutBounds_isRefused_andBoundsTwice_isRefused() {
    DpModel model = TinyModels.mlp(1);
    PerSampleEngine engine = new PerSampleEngine(model, NormStrategy.AUTO, 1L << 30);
    ClippingRule rule = new Dpsgd(1);
    AggregateRelease driver = new AggregateRelease(engine.trainable(), rule,
        NoisePlan.of(1, JointAccounting.GRADIENT_MULTIPLIER, rule),
        LatticeGaussianMechanism.fromRandomness(Randomness.seeded(1), "gradient-noise"), 0.1, 10);
    float[][] zeros = engine.newSums().toArrays();
    assertThrows(IllegalStateException.class, () -> driver.release(zeros, new long[0]));
    driver.bounds(rule.initialState(), new long[0]);
    assertThrows(IllegalStateException.class, () -> driver.bounds(rule.initialState(), new long[0]));
    StepOutcome o = driver.release(zeros, new long[0]);
    assertTrue(o.noiseStd() > 0);
    assertThrows(IllegalStateException.class, () -> driver.release(zeros, new long[0]));
  }

  @Test
  void noisyGradient_ofAnEarlierRelease_isInvalidatedByTheNext() {
    DpModel model = TinyModels.mlp(1);
    PerSampleEngine engine = new PerSampleEngine(model, NormStrategy.AUTO, 1L << 30);
    ClippingRule rule = new Dpsgd(1);
    AggregateRelease driver = new AggregateRelease(engine.trainable(), rule,
        NoisePlan.of(1, JointAccounting.GRADIENT_MULTIPLIER, rule),
        LatticeGaussianMechanism.fromRandomness(Randomness.seeded(1), "gradient-noise"), 0.1, 10);
    float[][] zeros = engine.newSums().toArrays();
    driver.bounds(rule.initialState(), new long[0]);
    NoisyGradient first = driver.release(zeros, new long[0]).gradient();
    driver.bounds(rule.initialState(), new long[0]);
    driver.release(zeros, new long[0]);
    assertThrows(IllegalStateException.class, first::values);
  }
}
