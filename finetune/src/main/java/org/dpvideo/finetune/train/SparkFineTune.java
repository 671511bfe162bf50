package org.dpvideo.finetune.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.accounting.PrivacyAccountant;
import org.dpvideo.dpsgd.clipping.JointAccounting;
import org.dpvideo.dpsgd.dataparallel.DataParallelBackend;
import org.dpvideo.dpsgd.dataparallel.DataParallelBackends;
import org.dpvideo.dpsgd.dataparallel.DataParallelJob;
import org.dpvideo.dpsgd.dataparallel.DataParallelTrainer;
import org.dpvideo.dpsgd.dataparallel.Example;
import org.dpvideo.dpsgd.dataparallel.UnitDataset;
import org.dpvideo.dpsgd.dataparallel.UnitRecord;
import org.dpvideo.dpsgd.layers.Parameter;
import org.dpvideo.dpsgd.noise.Randomness;
import org.dpvideo.dpsgd.sampling.PrivacyUnit;
import org.dpvideo.dpsgd.sampling.PrivacyUnits;
import org.dpvideo.dpsgd.train.DpConfig;
import org.dpvideo.dpsgd.train.PerformanceOptions;
import org.dpvideo.finetune.model.TokenPositions;
import org.dpvideo.finetune.model.VideoLm;

/**
 * The private fine-tune of {@link PrivateFineTune} with its DP-SGD steps run data-parallel on Spark,
 * through the engine's {@link DataParallelBackends} SPI (this module never depends on the Spark module;
 * the backend is found with {@code ServiceLoader}).
 *
 * <p>The same plan, privacy settings and accounting as the single-process path: one {@link DpConfig}
 * built from the {@link PrivatePlan} exactly as {@link PrivateFineTune} builds it, the same units
 * (subjects or examples, with the same ids), the same placeholders ({@link VideoLmBatcher}, condition
 * dropout included) and the same micro-batch size. The Spark trainer samples units with the keyed PRF;
 * with the same seed it takes the same steps as {@code PrivateFineTune} with
 * {@link PrivateFineTune.Options#withKeyedSampling()} (parameters equal up to float summation order). The
 * reported epsilon is that of the events the Spark trainer spent.
 *
 * <p>Not supported yet (refused by {@link #checkSupported} before the ledger reserves anything): several
 * task groups (the Spark trainer runs one {@code DpConfig}), checkpoints and resume (the ledger still gets a
 * progress record every {@code checkpointEvery} steps and the completion at the end).
 *
 * <p>Not thread-safe.
 */
public final class SparkFineTune {
  /** The backend's name in {@link DataParallelBackends}. */
  public static final String BACKEND = "spark";

  /**
   * Where the steps run.
   *
   * @param master the Spark master: {@code local[2]}, {@code spark://host:7077}, ...
   * @param partitions how many partitions the units are split into, &gt;= 1
   */
  public record Cluster(String master, int partitions) {
    public Cluster {
      Objects.requireNonNull(master, "master");
      if (master.isBlank()) {
        throw new IllegalArgumentException("--spark needs a master, e.g. local[2] or spark://host:7077");
      }
      if (partitions < 1) {
        throw new IllegalArgumentException("--partitions must be >= 1, got " + partitions);
      }
    }
  }

  private SparkFineTune() {}

  /**
   * Checks, before the ledger reserves anything or any private file is read, that the plan can run on
   * Spark and that the Spark backend is on the classpath.
   *
   * @throws IllegalArgumentException for a plan the Spark path does not support yet (several task groups)
   * @throws IllegalStateException (with the build command) when the distributed module is missing
   */
  public static DataParallelBackend checkSupported(PrivatePlan plan) {
    if (plan.groupNames().size() != 1) {
      throw new IllegalArgumentException("--spark trains one task group per run for now, got " + plan.groupNames()
          + "; pass a single task with --tasks (e.g. --tasks " + plan.groupNames().get(0) + "), or run the task groups"
          + " without --spark");
    }
    return DataParallelBackends.require(BACKEND);
  }

  /**
   * Fine-tunes {@code model} privately on Spark and leaves the trained values in {@code model}.
   *
   * @param model the driver's copy of the base model (loaded from {@code baseFile}); the mode is applied to
   *     it and the trained parameters are copied into it at the end
   * @param baseFile the base model file, readable at the same path by every executor
   * @param plan the privacy plan (its planned event is the one reserved in the ledger); one task group
   * @param groups the task group's examples (one)
   * @param options as for {@link PrivateFineTune}; {@code showPrivateLoss} and {@code keyedSampling} are
   *     ignored (Spark always samples with the keyed PRF) and no checkpoint is written
   * @param ledger where progress (every {@code checkpointEvery} steps) and completion are recorded
   * @param randomness secure (default) or seeded (tests, reproduction; not private)
   * @param progress where the progress line goes (stderr), or null
   */
  public static PrivateFineTune.Result train(VideoLm model, Path baseFile, PrivatePlan plan, List<TaskExamples> groups,
      PrivateFineTune.Options options, Cluster cluster, PrivateFineTune.LedgerRecorder ledger, Randomness randomness,
      PrintStream progress, PrivacyAccountant accountant) throws IOException {
    DataParallelBackend backend = checkSupported(plan);
    if (groups.size() != 1) {
      throw new IllegalArgumentException("the plan has one task group, the data " + groups.size());
    }
    PrivacySettings s = plan.settings();
    TaskExamples ex = groups.get(0);
    // 1. What is trained, on the driver's copy (the trained values are copied into it at the end).
    options.mode().apply(model);
    // 2. The job: recipe, batcher, units, and the DpConfig PrivateFineTune builds for this group.
    int length = ex.layout().inputLength();
    VideoLmRecipe recipe = VideoLmRecipe.of(baseFile, options.mode(), length, ex.layout().prefixLength());
    int[] positions = TokenPositions.of(java.util.Arrays.copyOf(ex.sequences().get(0), length), model.config());
    VideoLmBatcher batcher = new VideoLmBatcher(length, ex.layout().prefixLength(), ex.layout().outputTokens(),
        positions, options.conditionDropout(), options.dropoutSeed());
    DpConfig config = new DpConfig(plan.noiseMultiplier(), s.clipping(), s.samplingRate(), plan.stepsPerGroup()[0],
        s.delta(), s.unit(), JointAccounting.GRADIENT_MULTIPLIER, s.maxExamplesPerUnit());
    PerformanceOptions performance = PerformanceOptions.defaults().withMicroBatchSize(Math.max(options.microBatchSize(),
        s.maxExamplesPerUnit()));
    DataParallelJob job = new DataParallelJob(cluster.master(), cluster.partitions(), recipe, batcher,
        units(ex, s.unit(), s.clipping().needsGroups()), config, options.optimizer(), performance, randomness);
    // 3. The loop: step, progress, ledger progress every checkpointEvery steps (no checkpoint file yet).
    long total = plan.totalSteps();
    ProgressLine line = new ProgressLine(progress, "finetune[spark " + cluster.master() + "]", total, 0);
    PrivateFineTune.EpsilonTicker eps = new PrivateFineTune.EpsilonTicker(accountant, s.delta());
    try (DataParallelTrainer trainer = backend.open(job)) {
      long t0 = System.nanoTime();
      while (trainer.stepsTaken() < total) {
        trainer.step();
        long done = trainer.stepsTaken();
        line.update(done, Double.NaN, eps.epsilon(trainer.spent(), done == total));
        if (done % options.checkpointEvery() == 0 && done < total) {
          ledger.progress(trainer.spent());
        }
      }
      line.finish();
      double seconds = (System.nanoTime() - t0) / 1e9;
      // 4. The end: the trained values into the driver's model, then the ledger completes the run before
      // anything is released.
      copyTrained(trainer.model().parameters().trainable(), model);
      DpEvent spent = trainer.spent();
      ledger.complete(spent);
      return new PrivateFineTune.Result(spent, accountant.epsilon(spent, s.delta()), trainer.stepsTaken(),
          trainer.stepsTaken(), seconds, trainer.clippingState(), trainer.randomness(), 0);
    }
  }

  /**
   * The task group's privacy units as records: the same units (and ids) as {@link PrivateFineTune} builds
   * ({@code PrivacyUnits.bySubject} / {@code perExample}), each unit's examples in ascending example order,
   * every example tagged with its index in the group (the condition-dropout hash input).
   *
   * @param withGroups whether units carry their fairness group (DPSGD-F)
   */
  public static UnitDataset units(TaskExamples ex, PrivacyUnit unit, boolean withGroups) {
    PrivacyUnits units = unit == PrivacyUnit.SUBJECT ? PrivacyUnits.bySubject(ex.subjects())
        : PrivacyUnits.perExample(ex.size());
    if (withGroups) {
      units = units.withExampleGroups(ex.groups());
    }
    List<UnitRecord> records = new ArrayList<>(units.count());
    for (int u = 0; u < units.count(); u++) {
      int[] ids = units.examplesOf(u).clone();
      java.util.Arrays.sort(ids);
      List<Example> examples = new ArrayList<>(ids.length);
      for (int e : ids) {
        examples.add(VideoLmBatcher.example(ex.sequences().get(e), e));
      }
      records.add(new UnitRecord(u, withGroups ? units.group(u) : UnitRecord.NO_GROUP, examples));
    }
    return new UnitDataset(unit, records);
  }

  private static void copyTrained(List<Parameter> trained, VideoLm model) {
    List<String> expected = model.parameters().trainable().stream().map(Parameter::name).sorted().toList();
    List<String> got = trained.stream().map(Parameter::name).sorted().toList();
    if (!expected.equals(got)) {
      throw new IllegalStateException("the Spark trainer trained " + got + " but the driver's model trains " + expected
          + "; this is a bug, nothing was released");
    }
    for (Parameter p : trained) {
      model.parameters().get(p.name()).value().assign(p.value());
    }
  }
}
