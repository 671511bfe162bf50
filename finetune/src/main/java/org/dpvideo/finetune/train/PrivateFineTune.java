package org.dpvideo.finetune.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.accounting.PrivacyAccountant;
import org.dpvideo.dpsgd.accounting.PrivacyGuarantee;
import org.dpvideo.dpsgd.clipping.ClippingState;
import org.dpvideo.dpsgd.clipping.JointAccounting;
import org.dpvideo.dpsgd.ledger.PrivacyLedger;
import org.dpvideo.dpsgd.ledger.Reservation;
import org.dpvideo.dpsgd.noise.Randomness;
import org.dpvideo.dpsgd.noise.RandomnessLabel;
import org.dpvideo.dpsgd.optim.OptimizerConfig;
import org.dpvideo.dpsgd.sampling.PrivacyUnit;
import org.dpvideo.dpsgd.sampling.PrivacyUnits;
import org.dpvideo.dpsgd.step.UnprotectedStepObserver;
import org.dpvideo.dpsgd.train.DpConfig;
import org.dpvideo.dpsgd.train.DpTrainer;
import org.dpvideo.dpsgd.train.PerformanceOptions;
import org.dpvideo.dpsgd.train.TaskGroup;
import org.dpvideo.finetune.checkpoint.Checkpoint;
import org.dpvideo.finetune.model.FineTuneMode;
import org.dpvideo.finetune.model.VideoLm;

/**
 * Differentially private fine-tuning of a {@link VideoLm} through the DP engine: task groups of
 * fixed-length sequences (AGD) in the plan's public schedule, Poisson sampling of privacy units per
 * group, per-unit clipping with the plan's rule, lattice Gaussian noise, one optimizer state for all
 * groups, checkpoints every N steps and at the end with the ledger's progress and completion records.
 *
 * <p>{@link #train} reads top to bottom: choose what is trained, restore a checkpoint, build the task
 * groups and the trainer, then loop (step, progress, checkpoint + ledger progress) and finish (final
 * checkpoint, ledger completion). The ledger reservation happens before this is called, before any
 * private data is read (see {@code docs/ledger.md}).
 *
 * <p>Not thread-safe.
 */
public final class PrivateFineTune {

  /**
   * Settings that never change epsilon.
   *
   * @param optimizer the update rule applied to the noisy gradients
   * @param mode which parameters are trained
   * @param conditionDropout probability of the null condition per example and step (classifier-free guidance)
   * @param dropoutSeed seed of the dropout decisions
   * @param checkpointEvery write a checkpoint every this many steps (and at the end), &gt;= 1
   * @param microBatchSize examples per forward/backward pass
   * @param showPrivateLoss whether the progress line shows the mean training loss of each step's sampled
   *     examples: a statistic of private data WITHOUT differential privacy, for an operator who may see the
   *     private data anyway; never written to any file
   * @param keyedSampling whether units are Poisson-sampled by the keyed PRF of (run key, step, unit)
   *     ({@code DpTrainer.Builder.keyedSampling()}), the sampler of the data-parallel trainer: the same
   *     distribution as the default sampler, and with the same seed the same batches as a Spark run
   *     ({@link SparkFineTune}); a checkpoint does not record the sampler, so resume with the same choice
   */
  public record Options(OptimizerConfig optimizer, FineTuneMode mode, double conditionDropout, long dropoutSeed,
      int checkpointEvery, int microBatchSize, boolean showPrivateLoss, boolean keyedSampling) {
    public Options {
      Objects.requireNonNull(optimizer, "optimizer");
      Objects.requireNonNull(mode, "mode");
      if (checkpointEvery < 1 || microBatchSize < 1) {
        throw new IllegalArgumentException("checkpointEvery and microBatchSize must be >= 1, got " + checkpointEvery
            + " and " + microBatchSize);
      }
    }

    /** Options with the default (stateful) Poisson sampler. */
    public Options(OptimizerConfig optimizer, FineTuneMode mode, double conditionDropout, long dropoutSeed,
        int checkpointEvery, int microBatchSize, boolean showPrivateLoss) {
      this(optimizer, mode, conditionDropout, dropoutSeed, checkpointEvery, microBatchSize, showPrivateLoss, false);
    }

    /** These options with keyed-PRF sampling, the data-parallel trainer's sampler. */
    public Options withKeyedSampling() {
      return new Options(optimizer, mode, conditionDropout, dropoutSeed, checkpointEvery, microBatchSize,
          showPrivateLoss, true);
    }
  }

  /** Where a run records its progress and completion in the budget ledger. */
  public interface LedgerRecorder {
    /** The ledger's run id (stored in every checkpoint). */
    String runId();

    /** Records what the run has spent so far, after a checkpoint was written. */
    void progress(DpEvent spentSoFar);

    /** Completes the run with its final event, before the model is released. */
    void complete(DpEvent finalEvent);

    /** Records into a ledger run reserved (or resumed) as {@code reservation}. */
    static LedgerRecorder of(PrivacyLedger ledger, Reservation reservation) {
      Objects.requireNonNull(ledger, "ledger");
      Objects.requireNonNull(reservation, "reservation");
      return new LedgerRecorder() {
        @Override
        public String runId() {
          return reservation.runId().value();
        }

        @Override
        public void progress(DpEvent spentSoFar) {
          ledger.recordProgress(reservation, spentSoFar);
        }

        @Override
        public void complete(DpEvent finalEvent) {
          ledger.complete(reservation, finalEvent);
        }
      };
    }
  }

  /**
   * What a fine-tune released and how it ran.
   *
   * @param spent every release of the run, composed (including steps before a resume)
   * @param guarantee its epsilon at the plan's delta
   * @param steps steps taken in total
   * @param stepsThisProcess steps taken by this process
   * @param seconds wall time of this process's steps
   * @param clipping the final clipping state (Z of Global-Adapt)
   * @param randomness secure or seeded
   * @param inputTokens input tokens of the examples this process trained on (INTERNAL: depends on
   *     the realized batch sizes, which are private; for benchmarks only)
   */
  public record Result(DpEvent spent, PrivacyGuarantee guarantee, long steps, long stepsThisProcess, double seconds,
      ClippingState clipping, RandomnessLabel randomness, long inputTokens) {}

  private PrivateFineTune() {}

  /**
   * Fine-tunes {@code model} privately.
   *
   * @param plan the privacy plan (its planned event is the one reserved in the ledger)
   * @param groups the task groups' examples, in the plan's order
   * @param runDir where checkpoints are written
   * @param ledger the ledger run to record progress and completion in
   * @param resume a checkpoint of this run to continue, or null
   * @param randomness secure (default) or seeded (tests, reproduction; not private)
   * @param observer an extra INTERNAL observer (fairness diagnostics), or null
   * @param progress where the progress line goes (stderr), or null
   */
  public static Result train(VideoLm model, PrivatePlan plan, List<TaskExamples> groups, Options options, Path runDir,
      LedgerRecorder ledger, Checkpoint resume, Randomness randomness, UnprotectedStepObserver observer,
      PrintStream progress, PrivacyAccountant accountant) throws IOException {
    if (groups.size() != plan.groupNames().size()) {
      throw new IllegalArgumentException("the plan has " + plan.groupNames().size() + " task groups, the data "
          + groups.size());
    }
    PrivacySettings s = plan.settings();
    // 1. What is trained; a resumed run gets its checkpointed parameters back.
    options.mode().apply(model);
    if (resume != null) {
      if (!resume.runId().equals(ledger.runId())) {
        throw new IllegalArgumentException("the checkpoint belongs to ledger run " + resume.runId() + ", not "
            + ledger.runId());
      }
      resume.restoreInto(model);
    }
    // 2. One task group per layout: its graph, its units, rate q, planned steps and assembler.
    long[] currentStep = {resume == null ? 0 : resume.step()};
    List<TaskGroup> taskGroups = new ArrayList<>();
    for (int g = 0; g < groups.size(); g++) {
      TaskExamples ex = groups.get(g);
      PrivacyUnits units = s.unit() == PrivacyUnit.SUBJECT ? PrivacyUnits.bySubject(ex.subjects())
          : PrivacyUnits.perExample(ex.size());
      if (s.clipping().needsGroups() || observer != null) {
        // DPSGD-F clips by group; the fairness observer's diagnostics are per group (INTERNAL).
        units = units.withExampleGroups(ex.groups());
      }
      DpConfig config = new DpConfig(plan.noiseMultiplier(), s.clipping(), s.samplingRate(), plan.stepsPerGroup()[g],
          s.delta(), s.unit(), JointAccounting.GRADIENT_MULTIPLIER, s.maxExamplesPerUnit());
      taskGroups.add(new TaskGroup(plan.groupNames().get(g),
          model.trainingGraph(ex.layout().inputLength(), ex.layout().prefixLength()), config, units,
          ex.assembler(model.config(), options.conditionDropout(), options.dropoutSeed(), () -> currentStep[0])));
    }
    StepStatistics stats = new StepStatistics(observer);
    DpTrainer.Builder builder = DpTrainer.builder(taskGroups, plan.schedule())
        .optimizer(options.optimizer())
        .performance(PerformanceOptions.defaults().withMicroBatchSize(Math.max(options.microBatchSize(),
            s.maxExamplesPerUnit())))
        .randomness(randomness)
        .unprotectedObserver(stats);
    if (options.keyedSampling()) {
      builder.keyedSampling();
    }
    if (resume != null) {
      builder.resumeFrom(resume.trainerState());
    }
    DpTrainer trainer = builder.build();
    if (!trainer.planned().equals(plan.planned())) {
      throw new IllegalStateException("the trainer's planned event " + trainer.planned() + " differs from the reserved"
          + " plan " + plan.planned() + "; this is a bug, nothing was trained");
    }
    if (resume != null) {
      trainer.optimizer().restore(resume.optimizerIterations(), resume.optimizerState());
    }
    // 3. The loop: step, progress, checkpoint with the ledger's progress record.
    long total = plan.totalSteps();
    long start = trainer.stepsTaken();
    ProgressLine line = new ProgressLine(progress, "finetune", total, start);
    EpsilonTicker eps = new EpsilonTicker(accountant, s.delta());
    long t0 = System.nanoTime();
    while (trainer.stepsTaken() < total) {
      currentStep[0] = trainer.stepsTaken();
      int group = trainer.nextGroup();
      stats.beginStep(groups.get(group).layout().inputLength());
      trainer.step();
      long done = trainer.stepsTaken();
      line.update(done, options.showPrivateLoss() ? stats.stepMeanLoss() : Double.NaN,
          eps.epsilon(trainer.spent(), done == total));
      if (done % options.checkpointEvery() == 0 && done < total) {
        Checkpoint.of(trainer, model, ledger.runId()).save(runDir);
        ledger.progress(trainer.spent());
      }
    }
    line.finish();
    double seconds = (System.nanoTime() - t0) / 1e9;
    // 4. The end: final checkpoint, then the ledger completes the run before anything is released.
    Checkpoint.of(trainer, model, ledger.runId()).save(runDir);
    DpEvent spent = trainer.spent();
    ledger.complete(spent);
    return new Result(spent, accountant.epsilon(spent, s.delta()), trainer.stepsTaken(), trainer.stepsTaken() - start,
        seconds, trainer.clippingState(), trainer.randomness(), stats.inputTokens());
  }

  /** Epsilon of the spent event for the progress line, recomputed at most every few seconds. */
  static final class EpsilonTicker {
    private final PrivacyAccountant accountant;
    private final double delta;
    private long last;
    private double value = Double.NaN;

    EpsilonTicker(PrivacyAccountant accountant, double delta) {
      this.accountant = accountant;
      this.delta = delta;
    }

    double epsilon(DpEvent spent, boolean force) {
      long now = System.nanoTime();
      if (force || Double.isNaN(value) || now - last > 5_000_000_000L) {
        value = accountant.epsilon(spent, delta).epsilon();
        last = System.nanoTime();
      }
      return value;
    }
  }

  /**
   * INTERNAL statistics of each step from the engine's unprotected hook: the mean loss of the step's
   * examples (shown on the operator's progress line only, never written to a report) and the number of
   * input tokens (benchmarks). Forwards every micro-batch to an extra observer.
   */
  private static final class StepStatistics implements UnprotectedStepObserver {
    private final UnprotectedStepObserver next;
    private double lossSum;
    private long examples;
    private long tokens;
    private int length;

    StepStatistics(UnprotectedStepObserver next) {
      this.next = next;
    }

    void beginStep(int inputLength) {
      lossSum = 0;
      examples = 0;
      length = inputLength;
    }

    double stepMeanLoss() {
      return examples == 0 ? Double.NaN : lossSum / examples;
    }

    long inputTokens() {
      return tokens;
    }

    @Override
    public void onMicroBatch(UnprotectedMicroBatchView view) {
      for (double l : view.exampleLosses()) {
        lossSum += l;
        examples++;
      }
      tokens += (long) view.exampleLosses().length * length;
      if (next != null) {
        next.onMicroBatch(view);
      }
    }
  }
}
