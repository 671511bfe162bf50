package org.dpvideo.dpsgd.train;

import java.util.Objects;
import java.util.function.IntUnaryOperator;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.clipping.ClippingRule;
import org.dpvideo.dpsgd.clipping.ClippingState;
import org.dpvideo.dpsgd.clipping.DpsgdF;
import org.dpvideo.dpsgd.layers.DpModel;
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
 * <p>Not thread-safe.
 */
public final class DpTrainer {
  private final DpModel model;
  private final DpConfig config;
  private final PrivacyUnits units;
  private final BatchAssembler assembler;
  private final PerformanceOptions performance;
  private final Optimizer optimizer;
  private final PrivateStep privateStep;
  private final PoissonSampler sampler;
  private final KeyedPoissonSampler keyedSampler;
  private final LatticeGaussianMechanism noise;
  private final RandomnessLabel randomness;
  private final UnprotectedStepObserver observer;
  private final EventLog events;
  private ClippingState clippingState;
  private long steps;

  private DpTrainer(Builder b) {
    this.model = b.model;
    this.config = b.config;
    this.units = b.units;
    this.assembler = b.assembler;
    this.performance = b.performance;
    this.observer = b.observer;
    ClippingRule rule = config.clipping();
    if (config.privacyUnit() != units.kind()) {
      throw new IllegalArgumentException("the config protects " + config.privacyUnit().reportName() + "s but the units are "
          + units.kind().reportName() + "s; build the PrivacyUnits to match (perExample or bySubject)");
    }
    if (config.maxExamplesPerUnit() > performance.microBatchSize()) {
      throw new IllegalArgumentException("a micro-batch of " + performance.microBatchSize() + " examples cannot hold a"
          + " unit of up to " + config.maxExamplesPerUnit() + " examples; raise the micro-batch size");
    }
    if (rule.needsGroups()) {
      if (!units.hasGroups()) {
        throw new IllegalArgumentException("DPSGD-F needs each unit's group; build the units withGroups(...)");
      }
      if (rule instanceof DpsgdF f && units.groupCount() > f.groupCount()) {
        throw new IllegalArgumentException("the units have groups up to " + (units.groupCount() - 1) + " but DPSGD-F was"
            + " configured for " + f.groupCount() + " groups");
      }
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
      if (resume.privacyUnit() != config.privacyUnit()) {
        throw new IllegalArgumentException("the checkpoint's events are about " + resume.privacyUnit().reportName()
            + "s, the config's about " + config.privacyUnit().reportName() + "s; they cannot be composed");
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
    PerSampleEngine engine = new PerSampleEngine(model, performance.normStrategy(), performance.materializeBudgetBytes());
    this.optimizer = new Optimizer(b.optimizer, engine.trainable());
    this.privateStep = new PrivateStep(engine, rule, config.noisePlan(), noise, config.samplingRate(), units.count());
  }

  /** A builder; the assembler builds a micro-batch's placeholders from example ids. */
  public static Builder builder(DpModel model, DpConfig config, PrivacyUnits units, BatchAssembler assembler) {
    return new Builder(model, config, units, assembler);
  }

  /**
   * Takes one private step and applies it.
   *
   * @throws IllegalStateException if the planned steps are used up
   * @throws org.dpvideo.dpsgd.step.NonFiniteGradientException if a loss or gradient is not finite
   *     (nothing released, parameters unchanged)
   */
  public StepReport step() {
    if (steps >= config.steps()) {
      throw new IllegalStateException("all " + config.steps() + " planned steps were taken; the privacy budget was"
          + " checked for that many. Plan a new run (with its own budget check) to train further");
    }
    MicroBatchPlan plan;
    if (keyedSampler != null) {
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
    StepOutcome outcome = privateStep.run(clippingState, plan, assembler, groups, observer, steps);
    events.add(outcome.event());
    optimizer.apply(outcome.gradient());
    clippingState = outcome.nextState();
    steps++;
    return new StepReport(steps, outcome.event(), outcome.bounds(), clippingState, outcome.noiseStd(), randomness);
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

  /** The configuration. */
  public DpConfig config() {
    return config;
  }

  /** The model. */
  public DpModel model() {
    return model;
  }

  /** The state a checkpoint stores with the parameters and {@link Optimizer#state()}. */
  public TrainerState state() {
    boolean seeded = randomness == RandomnessLabel.SEEDED;
    java.util.List<Long> noiseBytes = new java.util.ArrayList<>();
    for (long b : noise.bytesConsumed()) {
      noiseBytes.add(seeded ? b : 0L);
    }
    return new TrainerState(steps, clippingState, events.total(), randomness, config.privacyUnit(),
        seeded ? sampler.stream().bytesConsumed() : 0, noiseBytes);
  }

  /** Builds a {@link DpTrainer}. */
  public static final class Builder {
    private final DpModel model;
    private final DpConfig config;
    private final PrivacyUnits units;
    private final BatchAssembler assembler;
    private OptimizerConfig optimizer = OptimizerConfig.sgd(0.1);
    private PerformanceOptions performance = PerformanceOptions.defaults();
    private Randomness randomness = Randomness.secure();
    private UnprotectedStepObserver observer;
    private TrainerState resume;
    private boolean keyedSampling;

    private Builder(DpModel model, DpConfig config, PrivacyUnits units, BatchAssembler assembler) {
      this.model = Objects.requireNonNull(model, "model");
      this.config = Objects.requireNonNull(config, "config");
      this.units = Objects.requireNonNull(units, "units");
      this.assembler = Objects.requireNonNull(assembler, "assembler");
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
