package org.dpvideo.distributed;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.IntUnaryOperator;
import org.dpvideo.dpsgd.clipping.ClippingBounds;
import org.dpvideo.dpsgd.clipping.ClippingRule;
import org.dpvideo.dpsgd.clipping.ClippingState;
import org.dpvideo.dpsgd.dataparallel.Example;
import org.dpvideo.dpsgd.dataparallel.ExampleBatcher;
import org.dpvideo.dpsgd.dataparallel.ModelRecipe;
import org.dpvideo.dpsgd.dataparallel.UnitRecord;
import org.dpvideo.dpsgd.layers.DpModel;
import org.dpvideo.dpsgd.layers.Parameter;
import org.dpvideo.dpsgd.persample.NormStrategy;
import org.dpvideo.dpsgd.persample.PerSampleEngine;
import org.dpvideo.dpsgd.sampling.KeyedPoissonSampler;
import org.dpvideo.dpsgd.sampling.MicroBatchPlan;
import org.dpvideo.dpsgd.sampling.PrivacyUnits;
import org.dpvideo.dpsgd.step.BatchAssembler;
import org.dpvideo.dpsgd.step.ClippedSumKernel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple2;

/**
 * The executor side of one step on one partition: sample the partition's units with the keyed PRF,
 * plan micro-batches, and run the engine's {@link ClippedSumKernel} on a model built from the recipe
 * and loaded with the step's broadcast parameters. Everything it reads is a function of (run key,
 * step, partition data, broadcast), so a retried attempt returns exactly what the lost one would have.
 *
 * <p>Serializable (it is the closure Spark ships); the models live in a per-JVM pool keyed by run, since
 * building a SameDiff graph costs far more than a step. Thread-safe: concurrent tasks borrow distinct
 * models.
 */
final class ShardTask implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Map<String, ConcurrentLinkedQueue<WorkerModel>> POOL = new ConcurrentHashMap<>();
  private static final Object BUILD_LOCK = new Object();

  /** Which half of a step a task computes. */
  enum Pass {
    /** DPSGD-F's first pass: the histogram of large and small norms per group. */
    COUNTS_BEFORE_CLIPPING,
    /** The clipped sum and the post-clipping counts. */
    CLIPPED_SUM
  }

  private final String runId;
  private final ModelRecipe recipe;
  private final ExampleBatcher batcher;
  private final ClippingRule rule;
  private final KeyedPoissonSampler sampler;
  private final double samplingRate;
  private final int microBatchSize;
  private final int maxExamplesPerUnit;
  private final NormStrategy normStrategy;
  private final long materializeBudgetBytes;
  private final List<String> trainableNames;
  private final boolean recordSampledUnits;

  ShardTask(String runId, ModelRecipe recipe, ExampleBatcher batcher, ClippingRule rule, KeyedPoissonSampler sampler,
      double samplingRate, int microBatchSize, int maxExamplesPerUnit, NormStrategy normStrategy,
      long materializeBudgetBytes, List<String> trainableNames, boolean recordSampledUnits) {
    this.runId = runId;
    this.recipe = recipe;
    this.batcher = batcher;
    this.rule = rule;
    this.sampler = sampler;
    this.samplingRate = samplingRate;
    this.microBatchSize = microBatchSize;
    this.maxExamplesPerUnit = maxExamplesPerUnit;
    this.normStrategy = normStrategy;
    this.materializeBudgetBytes = materializeBudgetBytes;
    this.trainableNames = List.copyOf(trainableNames);
    this.recordSampledUnits = recordSampledUnits;
  }

  /**
   * Runs one pass of step {@code step} over a partition's units (sorted by id).
   *
   * @param parameters the trained parameters of the step, in {@code trainableNames} order
   * @param bounds the step's bounds (null for {@link Pass#COUNTS_BEFORE_CLIPPING})
   */
  Iterator<ShardResult> run(Iterator<Tuple2<Integer, UnitRecord>> records, Pass pass, long step, float[][] parameters,
      ClippingState state, ClippingBounds bounds) {
    List<UnitRecord> units = new ArrayList<>();
    records.forEachRemaining(t -> units.add(t._2()));
    long[] zeroBefore = rule.countsBeforeClipping(new double[0], new int[0]);
    long[] zeroAfter = rule.countsAfterClipping(state, new double[0]);
    if (units.isEmpty()) {
      return List.of(new ShardResult(null, zeroBefore, zeroAfter, 0, recordSampledUnits ? new int[0] : null)).iterator();
    }
    int[] ids = units.stream().mapToInt(UnitRecord::unit).toArray();
    for (int i = 1; i < ids.length; i++) {
      if (ids[i] <= ids[i - 1]) {
        throw new IllegalStateException("a partition's units must be sorted by id and distinct; got " + ids[i - 1]
            + " before " + ids[i]);
      }
    }
    int[] sampled = sampler.sample(step, ids[0], ids[ids.length - 1] + 1, samplingRate);
    List<UnitRecord> chosen = new ArrayList<>();
    for (int u : sampled) {
      int at = Arrays.binarySearch(ids, u);
      if (at >= 0) {
        chosen.add(units.get(at));
      }
    }
    int[] chosenIds = chosen.stream().mapToInt(UnitRecord::unit).toArray();
    if (chosen.isEmpty()) {
      return List.of(new ShardResult(null, zeroBefore, zeroAfter, 0, recordSampledUnits ? chosenIds : null)).iterator();
    }
    // The sampled units as local units 0..k-1, their examples laid out unit by unit in record order.
    List<Example> examples = new ArrayList<>();
    List<Integer> localUnitOfExample = new ArrayList<>();
    for (int k = 0; k < chosen.size(); k++) {
      for (Example e : chosen.get(k).examples()) {
        examples.add(e);
        localUnitOfExample.add(k);
      }
    }
    PrivacyUnits local = PrivacyUnits.bySubject(localUnitOfExample.stream().mapToInt(Integer::intValue).toArray());
    int[] localIds = java.util.stream.IntStream.range(0, chosen.size()).toArray();
    MicroBatchPlan plan = MicroBatchPlan.ofUnitStreams(localIds, local, microBatchSize, maxExamplesPerUnit,
        k -> sampler.exampleStream(step, chosen.get(k).unit()));
    BatchAssembler assembler = exampleIds -> {
      List<Example> mb = new ArrayList<>(exampleIds.length);
      for (int e : exampleIds) {
        mb.add(examples.get(e));
      }
      return batcher.placeholders(step, mb);
    };
    IntUnaryOperator groups = rule.needsGroups() ? k -> chosen.get(k).group() : null;
    WorkerModel worker = borrow();
    try {
      worker.load(parameters);
      if (pass == Pass.COUNTS_BEFORE_CLIPPING) {
        long[] counts = worker.kernel.countsBeforeClipping(plan, assembler, groups);
        return List.of(new ShardResult(null, counts, zeroAfter, chosen.size(), recordSampledUnits ? chosenIds : null))
            .iterator();
      }
      ClippedSumKernel.Shard shard = worker.kernel.clippedSum(state, bounds, plan, assembler, groups);
      return List.of(new ShardResult(shard.sums().toArrays(), zeroBefore, shard.countsAfterClipping(), shard.units(),
          recordSampledUnits ? chosenIds : null)).iterator();
    } finally {
      POOL.computeIfAbsent(runId, k -> new ConcurrentLinkedQueue<>()).add(worker);
    }
  }

  private WorkerModel borrow() {
    WorkerModel w = POOL.computeIfAbsent(runId, k -> new ConcurrentLinkedQueue<>()).poll();
    if (w != null) {
      return w;
    }
    synchronized (BUILD_LOCK) {
      // SameDiff graph construction touches shared registries; build one model at a time.
      return new WorkerModel(recipe.build(), this);
    }
  }

  /** Closes this JVM's models of a run (the driver calls it in local mode; executors of a cluster exit). */
  static void forget(String runId) {
    ConcurrentLinkedQueue<WorkerModel> q = POOL.remove(runId);
    if (q != null) {
      q.forEach(w -> w.model.close());
    }
  }

  /** One executor-side model with its engine and kernel. Used by one task at a time. */
  private static final class WorkerModel {
    final DpModel model;
    final List<Parameter> trainable;
    final ClippedSumKernel kernel;

    WorkerModel(DpModel model, ShardTask task) {
      this.model = Objects.requireNonNull(model, "the recipe built no model");
      PerSampleEngine engine = new PerSampleEngine(model, task.normStrategy, task.materializeBudgetBytes);
      this.trainable = engine.trainable();
      List<String> names = trainable.stream().map(Parameter::name).toList();
      if (!names.equals(task.trainableNames)) {
        throw new IllegalStateException("the recipe " + task.recipe.describe() + " built a model whose trained"
            + " parameters " + names + " differ from the driver's " + task.trainableNames + "; a recipe must build the"
            + " same model with the same trainable flags on every machine");
      }
      this.kernel = new ClippedSumKernel(engine, task.rule);
    }

    void load(float[][] values) {
      for (int i = 0; i < trainable.size(); i++) {
        Parameter p = trainable.get(i);
        try (INDArray src = Nd4j.createFromArray(values[i]).reshape(p.shape())) {
          p.value().assign(src);
        }
      }
    }
  }
}
