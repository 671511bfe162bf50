package org.dpvideo.dpsgd.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.IntUnaryOperator;
import org.dpvideo.dpsgd.accounting.ComposedEvent;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.accounting.SelfComposedEvent;
import org.dpvideo.dpsgd.clipping.ClippingRule;
import org.dpvideo.dpsgd.clipping.ClippingState;
import org.dpvideo.dpsgd.clipping.DpsgdF;
import org.dpvideo.dpsgd.layers.DpModel;
import org.dpvideo.dpsgd.layers.Parameter;
import org.dpvideo.dpsgd.noise.LatticeGaussianMechanism;
import org.dpvideo.dpsgd.noise.RandomStream;
import org.dpvideo.dpsgd.noise.Randomness;
import org.dpvideo.dpsgd.noise.RandomnessLabel;
import org.dpvideo.dpsgd.optim.Optimizer;
import org.dpvideo.dpsgd.optim.OptimizerConfig;
import org.dpvideo.dpsgd.persample.PerSampleEngine;
import org.dpvideo.dpsgd.sampling.KeyedPoissonSampler;
import org.dpvideo.dpsgd.sampling.MicroBatchPlan;
import org.dpvideo.dpsgd.sampling.PoissonSampler;
import org.dpvideo.dpsgd.sampling.PrivacyUnits;
import org.dpvideo.dpsgd.step.BatchAssembler;
import org.dpvideo.dpsgd.step.PrivateStep;
import org.dpvideo.dpsgd.step.StepOutcome;
import org.dpvideo.dpsgd.step.UnprotectedStepObserver;

/**
 * Differentially private training of a {@link DpModel}. One {@link #step()}: Poisson-sample privacy
 * units, cut them into micro-batches, run the private step (clip, sum, noise, account), apply the
 * noisy gradient with the optimizer, and record the event. The trainer refuses to take more than the
 * planned number of steps, so the event it reports is never larger than the one the budget was
 * checked against.
 *
 * <pre>{@code
 * DpTrainer trainer = DpTrainer.builder(model, DpConfig.of(1.0, new Dpsgd(1.0), 0.01, 1000, 1e-6),
 *         PrivacyUnits.perExample(n), ids -> assemble(ids))
 *     .optimizer(OptimizerConfig.adam(1e-3))
 *     .build();
 * for (long s = 0; s < 1000; s++) { trainer.step(); }
 * DpEvent spent = trainer.spent();   // give it to an accountant
 * }</pre>
 *
 * <h2>Several task groups (AGD)</h2>
 * {@link #builder(List, GroupSchedule)} trains several {@link TaskGroup}s, one graph per sequence
 * length over one parameter store, with <b>one</b> optimizer state and one clipping state shared by
 * all: step s trains group {@code schedule.groupAt(s)}, a public choice fixed before training. Within
 * the step, group g's units are Poisson-sampled with its rate q_g and the noisy sum is divided by
 * q_g N_g. The step's event is {@code PoissonSampled(q_g, Gaussian(sigma_eff))}; the run's planned
 * event ({@link #planned()}) composes {@code SelfComposed(PoissonSampled(q_g, Gaussian(sigma_eff)), T_g)}
 * over every group. That is the guarantee for the worst-case unit, one that has examples in every
 * group; a unit absent from a group loses nothing in that group's steps (the step's output has the
 * same distribution with and without it), so the composition bounds every unit.
 *
 * <p>Not thread-safe.
 */
public final class DpTrainer {
  private final List<Lane> lanes;
  private final GroupSchedule schedule;
  private final PerformanceOptions performance;
  private final Optimizer optimizer;
  private final PoissonSampler sampler;
  private final KeyedPoissonSampler keyedSampler;
  private final LatticeGaussianMechanism noise;
  private final RandomnessLabel randomness;
  private final UnprotectedStepObserver observer;
  private final EventLog events;
  private ClippingState clippingState;
  private long steps;

  /** A task group with its private step. */
  private record Lane(TaskGroup group, PrivateStep privateStep) {}

  private DpTrainer(Builder b) {
    this.schedule = b.schedule;
    this.performance = b.performance;
    this.observer = b.observer;
    List<TaskGroup> groups = b.groups;
    if (schedule.groupCount() != groups.size()) {
      throw new IllegalArgumentException("the schedule has " + schedule.groupCount() + " groups but " + groups.size()
          + " task groups were given");
    }
    DpConfig first = groups.get(0).config();
    ClippingRule rule = first.clipping();
    for (int g = 0; g < groups.size(); g++) {
      check(groups.get(g), g, first, schedule.stepsOf(g));
    }
    Randomness r = b.randomness;
    TrainerState resume = b.resume;
    RandomStream samplingStream;
    if (resume == null) {
      samplingStream = r.stream("sampling");
      noise = LatticeGaussianMechanism.fromRandomness(r, "gradient-noise");
      clippingState = rule.initialState();
      events = new EventLog();
      randomness = r.label();
    } else {
      if (resume.privacyUnit() != first.privacyUnit()) {
        throw new IllegalArgumentException("the checkpoint's events are about " + resume.privacyUnit().reportName()
            + "s, the config's about " + first.privacyUnit().reportName() + "s; they cannot be composed");
      }
      if (resume.steps() > schedule.totalSteps()) {
        throw new IllegalArgumentException("the checkpoint took " + resume.steps() + " steps but the plan has only "
            + schedule.totalSteps() + "; resume with the plan the run was started with");
      }
      samplingStream = r.resumedStream("sampling", resume.samplingStreamBytes());
      noise = LatticeGaussianMechanism.resumed(r, "gradient-noise",
          resume.noiseStreamBytes().stream().mapToLong(Long::longValue).toArray());
      clippingState = resume.clipping();
      events = EventLog.resumedFrom(resume.spent());
      steps = resume.steps();
      randomness = resume.randomness() == RandomnessLabel.SEEDED ? RandomnessLabel.SEEDED : r.label();
    }
    this.sampler = new PoissonSampler(samplingStream);
    // Keyed sampling: decisions are a PRF of (key, step, unit); a secure source gets a fresh key (also on
    // resume), a seeded one the key of its seed, so a resumed seeded run samples as an uninterrupted one.
    this.keyedSampler = b.keyedSampling ? KeyedPoissonSampler.fromRandomness(r) : null;
    List<Lane> built = new ArrayList<>();
    List<Parameter> trained = null;
    for (TaskGroup group : groups) {
      PerSampleEngine engine = new PerSampleEngine(group.model(), performance.normStrategy(),
          performance.materializeBudgetBytes());
      if (trained == null) {
        trained = engine.trainable();
      } else if (!names(trained).equals(names(engine.trainable()))) {
        throw new IllegalArgumentException("task group '" + group.name() + "' trains " + names(engine.trainable())
            + " but '" + groups.get(0).name() + "' trains " + names(trained) + "; every group's graph must use the"
            + " same trained parameters (one optimizer state is shared)");
      }
      DpConfig c = group.config();
      built.add(new Lane(group, new PrivateStep(engine, c.clipping(), c.noisePlan(), noise, c.samplingRate(),
          group.units().count())));
    }
    this.lanes = List.copyOf(built);
    this.optimizer = new Optimizer(b.optimizer, trained);
  }

  private void check(TaskGroup group, int index, DpConfig first, long scheduledSteps) {
    DpConfig config = group.config();
    PrivacyUnits units = group.units();
    String where = "task group " + index + " ('" + group.name() + "')";
    if (config.noiseMultiplier() != first.noiseMultiplier() || !config.clipping().equals(first.clipping())
        || config.delta() != first.delta() || config.privacyUnit() != first.privacyUnit()
        || config.jointAccounting() != first.jointAccounting()) {
      throw new IllegalArgumentException(where + " must share sigma, the clipping rule, delta, the privacy unit and"
          + " the joint-accounting mode with the first group (" + first + "), got " + config);
    }
    if (config.steps() != scheduledSteps) {
      throw new IllegalArgumentException(where + " plans " + config.steps() + " steps but the schedule gives it "
          + scheduledSteps + "; build the schedule from the groups' planned steps");
    }
    if (config.privacyUnit() != units.kind()) {
      throw new IllegalArgumentException("the config protects " + config.privacyUnit().reportName() + "s but the units"
          + (index == 0 ? "" : " of " + where) + " are " + units.kind().reportName() + "s; build the PrivacyUnits to match"
          + " (perExample or bySubject)");
    }
    if (config.maxExamplesPerUnit() > performance.microBatchSize()) {
      throw new IllegalArgumentException("a micro-batch of " + performance.microBatchSize() + " examples cannot hold a"
          + " unit of up to " + config.maxExamplesPerUnit() + " examples; raise the micro-batch size");
    }
    ClippingRule rule = config.clipping();
    if (rule.needsGroups()) {
      if (!units.hasGroups()) {
        throw new IllegalArgumentException("DPSGD-F needs each unit's group; build the units withGroups(...)");
      }
      if (rule instanceof DpsgdF f && units.groupCount() > f.groupCount()) {
        throw new IllegalArgumentException("the units have groups up to " + (units.groupCount() - 1) + " but DPSGD-F was"
            + " configured for " + f.groupCount() + " groups");
      }
    }
  }

  private static List<String> names(List<Parameter> ps) {
    List<String> out = new ArrayList<>();
    for (Parameter p : ps) {
      out.add(p.name());
    }
    java.util.Collections.sort(out);
    return out;
  }

  /** A builder for one task group; the assembler builds a micro-batch's placeholders from example ids. */
  public static Builder builder(DpModel model, DpConfig config, PrivacyUnits units, BatchAssembler assembler) {
    return new Builder(List.of(new TaskGroup("all", model, config, units, assembler)),
        GroupSchedule.single(config.steps()));
  }

  /**
   * A builder for several task groups trained in the public order {@code schedule} (AGD), sharing one
   * optimizer and clipping state. Every group's graph must be built over the same parameter store and
   * train the same parameters; group g's {@code config().steps()} must equal
   * {@code schedule.stepsOf(g)}.
   */
  public static Builder builder(List<TaskGroup> groups, GroupSchedule schedule) {
    if (groups.isEmpty()) {
      throw new IllegalArgumentException("a run needs at least one task group");
    }
    return new Builder(List.copyOf(groups), Objects.requireNonNull(schedule, "schedule"));
  }

  /**
   * Takes one private step and applies it.
   *
   * @throws IllegalStateException if the planned steps are used up
   * @throws org.dpvideo.dpsgd.step.NonFiniteGradientException if a loss or gradient is not finite
   *     (nothing released, parameters unchanged)
   */
  public StepReport step() {
    if (steps >= schedule.totalSteps()) {
      throw new IllegalStateException("all " + schedule.totalSteps() + " planned steps were taken; the privacy budget"
          + " was checked for that many. Plan a new run (with its own budget check) to train further");
    }
    Lane lane = lanes.get(schedule.groupAt(steps));
    DpConfig config = lane.group().config();
    PrivacyUnits units = lane.group().units();
    MicroBatchPlan plan;
    if (keyedSampler != null) {
      // Decisions depend on the global step index, so every group's steps sample independently.
      long step = steps;
      int[] sampled = keyedSampler.sample(step, units.count(), config.samplingRate());
      plan = MicroBatchPlan.ofUnitStreams(sampled, units, performance.microBatchSize(), config.maxExamplesPerUnit(),
          unit -> keyedSampler.exampleStream(step, unit));
    } else {
      int[] sampled = sampler.sample(units.count(), config.samplingRate());
      plan = MicroBatchPlan.of(sampled, units, performance.microBatchSize(), config.maxExamplesPerUnit(),
          sampler.stream());
    }
    IntUnaryOperator groups = units.hasGroups() ? units::group : null;
    StepOutcome outcome = lane.privateStep().run(clippingState, plan, lane.group().assembler(), groups, observer,
        steps);
    events.add(outcome.event());
    optimizer.apply(outcome.gradient());
    clippingState = outcome.nextState();
    steps++;
    return new StepReport(steps, outcome.event(), outcome.bounds(), clippingState, outcome.noiseStd(), randomness);
  }

  /** The task group the next step will train (0 for a single-group run), or -1 when the plan is used up. */
  public int nextGroup() {
    return steps >= schedule.totalSteps() ? -1 : schedule.groupAt(steps);
  }

  /**
   * The whole planned event: for every group g, {@code SelfComposed(PoissonSampled(q_g, Gaussian(sigma_eff)),
   * T_g)}, composed. Reserve it in the budget ledger before training; {@link #spent()} equals it after
   * the last step (up to the order of composition, which no accountant depends on).
   */
  public DpEvent planned() {
    List<DpEvent> parts = new ArrayList<>();
    for (int g = 0; g < lanes.size(); g++) {
      parts.add(new SelfComposedEvent(lanes.get(g).privateStep().event(), Math.toIntExact(schedule.stepsOf(g))));
    }
    return parts.size() == 1 ? parts.get(0) : new ComposedEvent(parts);
  }

  /** The task groups, in schedule order. */
  public List<TaskGroup> groups() {
    List<TaskGroup> out = new ArrayList<>();
    for (Lane l : lanes) {
      out.add(l.group());
    }
    return out;
  }

  /** The public schedule of the groups. */
  public GroupSchedule schedule() {
    return schedule;
  }

  /** Steps taken (including those before a resume). */
  public long stepsTaken() {
    return steps;
  }

  /** Everything this run released, as one event for an accountant. */
  public DpEvent spent() {
    return events.total();
  }

  /** The clipping state (for reports and checkpoints). */
  public ClippingState clippingState() {
    return clippingState;
  }

  /** Where the randomness came from; every report prints it. */
  public RandomnessLabel randomness() {
    return randomness;
  }

  /** The optimizer (its state goes into checkpoints). */
  public Optimizer optimizer() {
    return optimizer;
  }

  /** The configuration of the first task group (the only one of a single-group run). */
  public DpConfig config() {
    return lanes.get(0).group().config();
  }

  /** The graph of the first task group (the only one of a single-group run). */
  public DpModel model() {
    return lanes.get(0).group().model();
  }

  /** The state a checkpoint stores with the parameters and {@link Optimizer#state()}. */
  public TrainerState state() {
    boolean seeded = randomness == RandomnessLabel.SEEDED;
    java.util.List<Long> noiseBytes = new java.util.ArrayList<>();
    for (long b : noise.bytesConsumed()) {
      noiseBytes.add(seeded ? b : 0L);
    }
    return new TrainerState(steps, clippingState, events.total(), randomness, config().privacyUnit(),
        seeded ? sampler.stream().bytesConsumed() : 0, noiseBytes);
  }

  /** Builds a {@link DpTrainer}. */
  public static final class Builder {
    private final List<TaskGroup> groups;
    private final GroupSchedule schedule;
    private OptimizerConfig optimizer = OptimizerConfig.sgd(0.1);
    private PerformanceOptions performance = PerformanceOptions.defaults();
    private Randomness randomness = Randomness.secure();
    private UnprotectedStepObserver observer;
    private TrainerState resume;
    private boolean keyedSampling;

    private Builder(List<TaskGroup> groups, GroupSchedule schedule) {
      this.groups = groups;
      this.schedule = schedule;
    }

    /** The optimizer (default plain SGD, learning rate 0.1). */
    public Builder optimizer(OptimizerConfig c) {
      this.optimizer = Objects.requireNonNull(c);
      return this;
    }

    /** Performance options (never change the guarantee). */
    public Builder performance(PerformanceOptions p) {
      this.performance = Objects.requireNonNull(p);
      return this;
    }

    /** The randomness source (default secure). A seeded source makes the run reproducible and NOT private. */
    public Builder randomness(Randomness r) {
      this.randomness = Objects.requireNonNull(r);
      return this;
    }

    /** INTERNAL, NOT PRIVATE: an observer of raw per-unit data, for diagnostics only. */
    public Builder unprotectedObserver(UnprotectedStepObserver o) {
      this.observer = o;
      return this;
    }

    /**
     * Continues a checkpointed run: its steps, clipping state and spent events carry over (restore the
     * parameters and {@code optimizer().restore(...)} separately).
     */
    public Builder resumeFrom(TrainerState state) {
      this.resume = Objects.requireNonNull(state);
      return this;
    }

    /**
     * Samples with a keyed pseudo-random function of (key, step, unit) ({@link KeyedPoissonSampler})
     * instead of the sequential stream: the same Poisson sampling, but each decision is recomputable
     * anywhere. A data-parallel run with the same randomness samples exactly the same units, which is
     * what its equivalence tests compare against. The key comes from the randomness source.
     */
    public Builder keyedSampling() {
      this.keyedSampling = true;
      return this;
    }

    /** The trainer. */
    public DpTrainer build() {
      return new DpTrainer(this);
    }
  }
}
