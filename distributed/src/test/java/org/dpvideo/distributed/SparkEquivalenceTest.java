package org.dpvideo.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.dpvideo.dpsgd.accounting.PldAccountant;
import org.dpvideo.dpsgd.clipping.ClippingRule;
import org.dpvideo.dpsgd.clipping.ClippingState;
import org.dpvideo.dpsgd.clipping.Dpsgd;
import org.dpvideo.dpsgd.clipping.DpsgdF;
import org.dpvideo.dpsgd.clipping.DpsgdGlobalAdapt;
import org.dpvideo.dpsgd.dataparallel.DataParallelJob;
import org.dpvideo.dpsgd.dataparallel.ExampleBatcher;
import org.dpvideo.dpsgd.dataparallel.UnitDataset;
import org.dpvideo.dpsgd.dataparallel.UnitRecord;
import org.dpvideo.dpsgd.layers.DpModel;
import org.dpvideo.dpsgd.layers.Parameter;
import org.dpvideo.dpsgd.noise.Randomness;
import org.dpvideo.dpsgd.optim.OptimizerConfig;
import org.dpvideo.dpsgd.sampling.PrivacyUnit;
import org.dpvideo.dpsgd.train.DpConfig;
import org.dpvideo.dpsgd.train.DpTrainer;
import org.dpvideo.dpsgd.train.PerformanceOptions;
import org.dpvideo.distributed.models.MlpRecipe;
import org.dpvideo.distributed.models.SyntheticUnits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The Spark trainer against the single-process {@link DpTrainer} (keyed sampling, same seed) as oracle:
 * with 1, 2 and 4 partitions, the same sampled units per step, the same clipped sums (float
 * tolerance), the same events and ε, the same clipping state and final parameters (float tolerance);
 * and a run whose tasks fail once each is retried by Spark to the same result.
 */
class SparkEquivalenceTest {
  private static final double SUM_TOLERANCE = 2e-5;
  private static final double PARAMETER_TOLERANCE = 1e-4;
  /** Failed first attempts of the fault-injection test (the executors are threads of this JVM). */
  static final AtomicInteger INJECTED_FAILURES = new AtomicInteger();

  private static JavaSparkContext sc;

  @BeforeAll
  static void startSpark() {
    // 2 threads, each task may be attempted 4 times (local mode does not retry unless asked).
    sc = SparkContexts.start("local[2,4]", "dpvideo tests");
  }

  @AfterAll
  static void stopSpark() {
    if (sc != null) {
      sc.stop();
    }
  }

  /** What one run produced, step by step. */
  private record Trace(List<int[]> sampled, List<float[][]> sums, Map<String, float[]> parameters, Object spent,
      ClippingState state) {}

  private static Trace single(MlpRecipe recipe, UnitDataset data, DpConfig config, int microBatch, long seed) {
    List<int[]> sampled = new ArrayList<>();
    List<float[][]> sums = new ArrayList<>();
    Map<Long, TreeMap<Integer, Boolean>> ids = new HashMap<>();
    Map<Long, Map<String, INDArray>> acc = new HashMap<>();
    try (DpModel model = recipe.build()) {
      DpTrainer t = DpTrainer.builder(model, config, data.privacyUnits(), data.assembler(ExampleBatcher.STACK))
          .optimizer(OptimizerConfig.adam(0.01)).randomness(Randomness.seeded(seed)).keyedSampling()
          .performance(PerformanceOptions.defaults().withMicroBatchSize(microBatch))
          .unprotectedObserver(view -> {
            TreeMap<Integer, Boolean> set = ids.computeIfAbsent(view.step(), k -> new TreeMap<>());
            for (int u : view.unitIds()) {
              set.put(u, true);
            }
            Map<String, INDArray> part = view.weightedGradientSum(view.clipFactors());
            acc.merge(view.step(), part, (a, b) -> {
              a.forEach((k, v) -> v.addi(b.get(k)));
              return a;
            });
          }).build();
      List<Parameter> trainable = model.parameters().trainable();
      for (long s = 0; s < config.steps(); s++) {
        t.step();
        sampled.add(ids.getOrDefault(s, new TreeMap<>()).keySet().stream().mapToInt(Integer::intValue).toArray());
        float[][] step = new float[trainable.size()][];
        for (int i = 0; i < step.length; i++) {
          Map<String, INDArray> m = acc.get(s);
          step[i] = m == null ? new float[(int) trainable.get(i).length()]
              : m.get(trainable.get(i).name()).dup('c').data().asFloat();
        }
        sums.add(step);
      }
      return new Trace(sampled, sums, snapshot(model), t.spent(), t.clippingState());
    }
  }

  private static Trace spark(MlpRecipe recipe, UnitDataset data, DpConfig config, int microBatch, long seed,
      int partitions, ExampleBatcher batcher) {
    List<int[]> sampled = new ArrayList<>();
    List<float[][]> sums = new ArrayList<>();
    DataParallelJob job = new DataParallelJob("local[2,4]", partitions, recipe, batcher, data, config,
        OptimizerConfig.adam(0.01), PerformanceOptions.defaults().withMicroBatchSize(microBatch), Randomness.seeded(seed));
    try (SparkDpTrainer t = SparkDpTrainer.builder(job).sparkContext(sc)
        .unprotectedObserver((step, units, s, before, after) -> {
          sampled.add(units.clone());
          float[][] copy = new float[s.length][];
          for (int i = 0; i < s.length; i++) {
            copy[i] = s[i].clone();
          }
          sums.add(copy);
        }).build()) {
      for (long s = 0; s < config.steps(); s++) {
        t.step();
      }
      return new Trace(sampled, sums, snapshot(t.model()), t.spent(), t.clippingState());
    }
  }

  private static Map<String, float[]> snapshot(DpModel m) {
    Map<String, float[]> s = new TreeMap<>();
    for (Parameter p : m.parameters().all()) {
      s.put(p.name(), p.value().dup('c').data().asFloat());
    }
    return s;
  }

  private static void assertSameRun(Trace expected, Trace got, String what) {
    assertEquals(expected.sampled().size(), got.sampled().size(), what + ": steps");
    int nonEmpty = 0;
    for (int s = 0; s < expected.sampled().size(); s++) {
      assertArrayEquals(expected.sampled().get(s), got.sampled().get(s), what + ": sampled units of step " + s);
      nonEmpty += expected.sampled().get(s).length > 0 ? 1 : 0;
      float[][] a = expected.sums().get(s);
      float[][] b = got.sums().get(s);
      for (int p = 0; p < a.length; p++) {
        for (int j = 0; j < a[p].length; j++) {
          assertEquals(a[p][j], b[p][j], SUM_TOLERANCE * (1 + Math.abs(a[p][j])),
              what + ": clipped sum of step " + s + ", parameter " + p + "[" + j + "]");
        }
      }
    }
    assertTrue(nonEmpty >= expected.sampled().size() - 1, what + ": the test needs non-empty batches");
    assertEquals(expected.spent(), got.spent(), what + ": events");
    assertEquals(expected.state(), got.state(), what + ": clipping state");
    for (var e : expected.parameters().entrySet()) {
      float[] a = e.getValue();
      float[] b = got.parameters().get(e.getKey());
      for (int j = 0; j < a.length; j++) {
        assertEquals(a[j], b[j], PARAMETER_TOLERANCE, what + ": final " + e.getKey() + "[" + j + "]");
      }
    }
  }

  private static void compareAcrossPartitions(ClippingRule rule, PrivacyUnit kind, int examplesPerUnit, int groups,
      int cap, long seed) {
    MlpRecipe recipe = new MlpRecipe(6, 8, 3, 5);
    List<UnitRecord> units = SyntheticUnits.mlp(recipe, 48, examplesPerUnit, groups, 3);
    UnitDataset data = new UnitDataset(kind, units);
    DpConfig config = DpConfig.of(1.0, rule, 0.25, 4, 1e-5);
    if (kind == PrivacyUnit.SUBJECT) {
      config = config.withSubjectUnits(cap);
    }
    Trace expected = single(recipe, data, config, 8, seed);
    double eps = new PldAccountant().epsilon((org.dpvideo.dpsgd.accounting.DpEvent) expected.spent(), 1e-5).epsilon();
    for (int p : new int[] {1, 2, 4}) {
      Trace got = spark(recipe, data, config, 5, seed, p, ExampleBatcher.STACK);
      assertSameRun(expected, got, rule.getClass().getSimpleName() + " with " + p + " partitions");
      assertEquals(eps, new PldAccountant().epsilon((org.dpvideo.dpsgd.accounting.DpEvent) got.spent(), 1e-5).epsilon(),
          0, "epsilon");
    }
  }

  @Test
  void globalAdapt_exampleUnits_1_2_4_partitions_matchTheSingleProcessTrainer() {
    compareAcrossPartitions(DpsgdGlobalAdapt.withDefaults(0.5).withInitialBound(1.0), PrivacyUnit.EXAMPLE, 1, 0, 1, 21);
  }

  @Test
  void dpsgd_subjectUnitsLargerThanTheCap_1_2_4_partitions_matchTheSingleProcessTrainer() {
    // Units of 1..3 examples, at most 2 per step: the subset of a large unit is drawn per (step, unit).
    compareAcrossPartitions(new Dpsgd(0.5), PrivacyUnit.SUBJECT, 3, 0, 2, 22);
  }

  @Test
  void dpsgdF_groupCountsAggregate_1_2_4_partitions_matchTheSingleProcessTrainer() {
    compareAcrossPartitions(new DpsgdF(0.5, 8, 2), PrivacyUnit.EXAMPLE, 1, 2, 1, 23);
  }

  @Test
  void failedTaskAttempts_areRetriedBySpark_andChangeNothing() {
    MlpRecipe recipe = new MlpRecipe(6, 8, 3, 5);
    UnitDataset data = new UnitDataset(PrivacyUnit.EXAMPLE, SyntheticUnits.mlp(recipe, 48, 1, 0, 4));
    DpConfig config = DpConfig.of(1.0, DpsgdGlobalAdapt.withDefaults(0.5).withInitialBound(1.0), 0.25, 4, 1e-5);
    Trace expected = single(recipe, data, config, 8, 31);
    // The first attempt of every task of partition 1 dies after sampling, as if its executor were lost.
    ExampleBatcher failing = examples -> {
      TaskContext ctx = TaskContext.get();
      if (ctx != null && ctx.partitionId() == 1 && ctx.attemptNumber() == 0) {
        INJECTED_FAILURES.incrementAndGet();
        throw new IllegalStateException("injected executor failure");
      }
      return ExampleBatcher.STACK.placeholders(examples);
    };
    INJECTED_FAILURES.set(0);
    Trace got = spark(recipe, data, config, 8, 31, 2, failing);
    assertTrue(INJECTED_FAILURES.get() >= 3, "failures were injected and retried: " + INJECTED_FAILURES.get());
    assertSameRun(expected, got, "retried run");
  }

  /** Batcher calls on partition 1 in the failing-step test. */
  static final AtomicInteger PARTITION_ONE_CALLS = new AtomicInteger();

  @Test
  void dpsgdF_stepFailingAfterItsNoisyBoundsWereBroadcast_isAccountedAndNotRedrawn() {
    MlpRecipe recipe = new MlpRecipe(6, 8, 3, 5);
    UnitDataset data = new UnitDataset(PrivacyUnit.EXAMPLE, SyntheticUnits.mlp(recipe, 48, 1, 2, 3));
    DpConfig config = DpConfig.of(1.0, new DpsgdF(0.5, 8, 2), 0.25, 4, 1e-5);
    // Partition 1's first call (the counting pass, whose noisy histogram sets the bounds) succeeds; every
    // later call (the clipping pass and all its retries) fails, so the step dies after the release.
    ExampleBatcher failing = examples -> {
      TaskContext ctx = TaskContext.get();
      if (ctx != null && ctx.partitionId() == 1 && PARTITION_ONE_CALLS.incrementAndGet() > 1) {
        throw new IllegalStateException("injected executor failure");
      }
      return ExampleBatcher.STACK.placeholders(examples);
    };
    PARTITION_ONE_CALLS.set(0);
    DataParallelJob job = new DataParallelJob("local[2,4]", 2, recipe, failing, data, config,
        OptimizerConfig.adam(0.01), PerformanceOptions.defaults().withMicroBatchSize(64), Randomness.seeded(41));
    try (SparkDpTrainer t = SparkDpTrainer.builder(job).sparkContext(sc).build()) {
      assertThrows(RuntimeException.class, t::step);
      assertTrue(PARTITION_ONE_CALLS.get() >= 2, "the counting pass ran and the clipping pass failed: "
          + PARTITION_ONE_CALLS.get());
      assertEquals(1, t.stepsTaken(), "the failed step counts as taken");
      // Oracle: what the single-process trainer spends for one step of the same configuration.
      Object oneStep = single(recipe, data, DpConfig.of(1.0, new DpsgdF(0.5, 8, 2), 0.25, 1, 1e-5), 64, 41).spent();
      assertEquals(oneStep, t.spent(), "the failed step's event is spent");
      assertTrue(new PldAccountant().epsilon(t.spent(), 1e-5).epsilon() > 0, "a positive epsilon is spent");
    }
  }
}
