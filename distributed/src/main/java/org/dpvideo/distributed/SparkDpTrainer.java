package org.dpvideo.distributed;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.clipping.ClippingBounds;
import org.dpvideo.dpsgd.clipping.ClippingRule;
import org.dpvideo.dpsgd.clipping.ClippingState;
import org.dpvideo.dpsgd.clipping.DpsgdF;
import org.dpvideo.dpsgd.dataparallel.DataParallelJob;
import org.dpvideo.dpsgd.dataparallel.DataParallelTrainer;
import org.dpvideo.dpsgd.dataparallel.UnitRecord;
import org.dpvideo.dpsgd.layers.DpModel;
import org.dpvideo.dpsgd.layers.Parameter;
import org.dpvideo.dpsgd.noise.LatticeGaussianMechanism;
import org.dpvideo.dpsgd.noise.RandomnessLabel;
import org.dpvideo.dpsgd.optim.Optimizer;
import org.dpvideo.dpsgd.persample.PerSampleEngine;
import org.dpvideo.dpsgd.sampling.KeyedPoissonSampler;
import org.dpvideo.dpsgd.step.AggregateRelease;
import org.dpvideo.dpsgd.step.NonFiniteGradientException;
import org.dpvideo.dpsgd.step.StepOutcome;
import org.dpvideo.dpsgd.train.DpConfig;
import org.dpvideo.dpsgd.train.EventLog;
import org.dpvideo.dpsgd.train.StepReport;
import org.nd4j.linalg.api.buffer.DataType;
import scala.Tuple2;

/**
 * Data-parallel DP-SGD on Spark. Each {@link #step()}:
 * <ol>
 *   <li>the driver broadcasts the trained parameters;</li>
 *   <li>every partition Poisson-samples its own units with the keyed PRF of (run key, step, unit id)
 *       and computes their clipped sum and the rule's exact counts with the engine's kernel
 *       ({@link ShardTask}); DPSGD-F first aggregates its norm histogram in a separate pass, from which
 *       the driver releases the group bounds;</li>
 *   <li>the partial results are summed by {@code treeReduce};</li>
 *   <li>the driver's {@code AggregateRelease} adds the noise once (from the driver's own generator),
 *       the trainer records one event and the optimizer updates the driver's parameters.</li>
 * </ol>
 * With the same randomness this is the single-process {@code DpTrainer} with keyed sampling: the same
 * sampled units, the same noise draws, the same ε, and clipped sums equal up to float summation order.
 *
 * <p>Not thread-safe. Close it to release the cached data (and the context it started).
 */
public final class SparkDpTrainer implements DataParallelTrainer {
  private static final int TREE_DEPTH = 2;

  private final DataParallelJob job;
  private final JavaSparkContext sc;
  private final boolean ownsContext;
  private final String runId = UUID.randomUUID().toString();
  private final DpModel model;
  private final List<Parameter> trainable;
  private final Optimizer optimizer;
  private final AggregateRelease release;
  private final ClippingRule rule;
  private final ShardTask task;
  private final JavaPairRDD<Integer, UnitRecord> data;
  private final EventLog events = new EventLog();
  private final RandomnessLabel randomness;
  private final UnprotectedAggregateObserver observer;
  private ClippingState clippingState;
  private long steps;
  private boolean closed;

  private SparkDpTrainer(Builder b) {
    this.job = b.job;
    this.observer = b.observer;
    DpConfig config = job.config();
    this.rule = config.clipping();
    if (config.maxExamplesPerUnit() > job.performance().microBatchSize()) {
      throw new IllegalArgumentException("a micro-batch of " + job.performance().microBatchSize() + " examples cannot"
          + " hold a unit of up to " + config.maxExamplesPerUnit() + " examples; raise the micro-batch size");
    }
    if (rule.needsGroups()) {
      if (!job.data().privacyUnits().hasGroups()) {
        throw new IllegalArgumentException("DPSGD-F needs each unit's group; give every UnitRecord a group");
      }
      if (rule instanceof DpsgdF f && job.data().privacyUnits().groupCount() > f.groupCount()) {
        throw new IllegalArgumentException("the units have groups up to " + (job.data().privacyUnits().groupCount() - 1)
            + " but DPSGD-F was configured for " + f.groupCount() + " groups");
      }
    }
    this.model = job.recipe().build();
    PerSampleEngine engine = new PerSampleEngine(model, job.performance().normStrategy(),
        job.performance().materializeBudgetBytes());
    this.trainable = engine.trainable();
    this.optimizer = new Optimizer(job.optimizer(), trainable);
    int n = job.data().units().size();
    // The same purposes as DpTrainer: a seeded run draws the same noise as the single-process trainer.
    LatticeGaussianMechanism noise = LatticeGaussianMechanism.fromRandomness(job.randomness(), "gradient-noise");
    KeyedPoissonSampler sampler = KeyedPoissonSampler.fromRandomness(job.randomness());
    this.randomness = job.randomness().label();
    this.release = new AggregateRelease(trainable, rule, config.noisePlan(), noise, config.samplingRate(), n);
    this.clippingState = rule.initialState();
    this.task = new ShardTask(runId, job.recipe(), job.batcher(), rule, sampler, config.samplingRate(),
        job.performance().microBatchSize(), config.maxExamplesPerUnit(), job.performance().normStrategy(),
        job.performance().materializeBudgetBytes(), trainable.stream().map(Parameter::name).toList(), observer != null);

    this.ownsContext = b.context == null;
    this.sc = ownsContext ? SparkContexts.start(job.master(), "dpvideo private training") : b.context;
    List<Tuple2<Integer, UnitRecord>> pairs = new ArrayList<>(n);
    for (UnitRecord r : job.data().units()) {
      pairs.add(new Tuple2<>(r.unit(), r));
    }
    try {
      this.data = sc.parallelizePairs(pairs, job.partitions())
          .repartitionAndSortWithinPartitions(new UnitPartitioner(job.partitions(), n))
          .persist(StorageLevel.MEMORY_ONLY());
      data.count();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** A builder for a job. */
  public static Builder builder(DataParallelJob job) {
    return new Builder(job);
  }

  @Override
  public StepReport step() {
    if (closed) {
      throw new IllegalStateException("this trainer was closed");
    }
    if (steps >= job.config().steps()) {
      throw new IllegalStateException("all " + job.config().steps() + " planned steps were taken; the privacy budget"
          + " was checked for that many. Plan a new run (with its own budget check) to train further");
    }
    long step = steps;
    ClippingState state = clippingState;
    Broadcast<float[][]> parameters = sc.broadcast(currentParameters());
    boolean statisticSent = false;
    try {
      long[] before = release.zeroCountsBeforeClipping();
      if (rule.needsAllNormsFirst()) {
        before = aggregate(ShardTask.Pass.COUNTS_BEFORE_CLIPPING, step, parameters, state, null).countsBeforeClipping();
      }
      ClippingBounds bounds = release.bounds(state, before);
      // DPSGD-F's bounds carry a noisy statistic of this step's batch, and they go to the executors next.
      statisticSent = rule.needsAllNormsFirst();
      ShardResult r = aggregate(ShardTask.Pass.CLIPPED_SUM, step, parameters, state, bounds);
      float[][] sums = r.sums() != null ? r.sums() : zeros();
      if (observer != null) {
        observer.onStep(step, r.sampledUnits(), sums, before, r.countsAfterClipping());
      }
      StepOutcome outcome = release.release(sums, r.countsAfterClipping());
      events.add(outcome.event());
      optimizer.apply(outcome.gradient());
      clippingState = outcome.nextState();
      steps++;
      return new StepReport(steps, outcome.event(), outcome.bounds(), clippingState, outcome.noiseStd(), randomness);
    } catch (RuntimeException e) {
      release.abandonStep();
      if (statisticSent) {
        // The noisy statistic left the driver: it is a release, whatever happens to the rest of the step.
        // Account the step in full (conservative: the step's whole event, whose joint multiplier covers the
        // statistic) and move past its index, so that calling step() again can never draw the statistic
        // anew without accounting for the first draw.
        events.add(release.event());
        steps++;
      }
      throw e;
    } finally {
      parameters.destroy();
    }
  }

  private ShardResult aggregate(ShardTask.Pass pass, long step, Broadcast<float[][]> parameters, ClippingState state,
      ClippingBounds bounds) {
    ShardTask t = task;
    JavaRDD<ShardResult> parts = data.mapPartitions(it -> t.run(it, pass, step, parameters.value(), state, bounds));
    try {
      return parts.treeReduce(ShardResult::plus, TREE_DEPTH);
    } catch (Exception e) {
      for (Throwable c = e; c != null; c = c.getCause()) {
        if (c instanceof NonFiniteGradientException nf) {
          throw nf;
        }
        if (c.getMessage() != null && c.getMessage().contains(NonFiniteGradientException.class.getName())) {
          throw new IllegalStateException("an executor found a non-finite loss or gradient; nothing was released and the"
              + " parameters are unchanged: " + c.getMessage(), e);
        }
      }
      if (e instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException("step " + step + " failed on the cluster: " + e.getMessage(), e);
    }
  }

  private float[][] currentParameters() {
    float[][] out = new float[trainable.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = trainable.get(i).value().castTo(DataType.FLOAT).dup('c').data().asFloat();
    }
    return out;
  }

  private float[][] zeros() {
    float[][] out = new float[trainable.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = new float[(int) trainable.get(i).length()];
    }
    return out;
  }

  /** The number of trained coordinates P: each step broadcasts 4P bytes and each partition returns 4P bytes. */
  public long trainedCoordinates() {
    return trainable.stream().mapToLong(Parameter::length).sum();
  }

  /** The job. */
  public DataParallelJob job() {
    return job;
  }

  @Override
  public long stepsTaken() {
    return steps;
  }

  @Override
  public DpEvent spent() {
    return events.total();
  }

  @Override
  public ClippingState clippingState() {
    return clippingState;
  }

  @Override
  public RandomnessLabel randomness() {
    return randomness;
  }

  @Override
  public DpModel model() {
    return model;
  }

  /** The optimizer (its state goes into checkpoints). */
  public Optimizer optimizer() {
    return optimizer;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (data != null) {
        data.unpersist(false);
      }
    } finally {
      ShardTask.forget(runId);
      if (ownsContext && sc != null) {
        sc.stop();
      }
    }
  }

  /** Builds a {@link SparkDpTrainer}. */
  public static final class Builder {
    private final DataParallelJob job;
    private JavaSparkContext context;
    private UnprotectedAggregateObserver observer;

    private Builder(DataParallelJob job) {
      this.job = Objects.requireNonNull(job, "job");
    }

    /** Runs on an existing context (not stopped on close; the job's master is then ignored). */
    public Builder sparkContext(JavaSparkContext sc) {
      this.context = Objects.requireNonNull(sc);
      return this;
    }

    /** INTERNAL, NOT PRIVATE: an observer of the aggregated raw sums, for tests and diagnostics. */
    public Builder unprotectedObserver(UnprotectedAggregateObserver o) {
      this.observer = o;
      return this;
    }

    /** The trainer: starts the context if none was given, partitions and caches the data. */
    public SparkDpTrainer build() {
      return new SparkDpTrainer(this);
    }
  }
}
