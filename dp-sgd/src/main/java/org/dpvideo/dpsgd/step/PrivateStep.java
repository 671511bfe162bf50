package org.dpvideo.dpsgd.step;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntUnaryOperator;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.accounting.GaussianEvent;
import org.dpvideo.dpsgd.accounting.PoissonSampledEvent;
import org.dpvideo.dpsgd.clipping.ClippingBounds;
import org.dpvideo.dpsgd.clipping.ClippingRule;
import org.dpvideo.dpsgd.clipping.ClippingState;
import org.dpvideo.dpsgd.clipping.NoisePlan;
import org.dpvideo.dpsgd.clipping.StatisticNoise;
import org.dpvideo.dpsgd.noise.LatticeGaussianMechanism;
import org.dpvideo.dpsgd.persample.ExampleLayout;
import org.dpvideo.dpsgd.persample.GradientSums;
import org.dpvideo.dpsgd.persample.MicroBatch;
import org.dpvideo.dpsgd.persample.PerSampleEngine;
import org.dpvideo.dpsgd.sampling.MicroBatchPlan;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The privacy kernel's step (DP-SGD, Abadi et al. 2016, with the clipping rules of the fairness
 * spec): for a Poisson-sampled batch of privacy units,
 * <ol>
 *   <li>per-unit gradient norms from one backward pass per micro-batch ({@link PerSampleEngine});</li>
 *   <li>clip factors from the rule ({@code c_u * ||g_u|| <= S}, S the rule's sensitivity);</li>
 *   <li>the clipped sum {@code sum_u c_u g_u}, accumulated over micro-batches (the same as one batch);</li>
 *   <li>Gaussian noise of standard deviation {@code sigma_g * S} on every coordinate (lattice mechanism,
 *       {@link LatticeGaussianMechanism}), then division by the public expected batch size q N, never
 *       the realized size;</li>
 *   <li>the event {@code PoissonSampled(q, Gaussian(sigma_eff))} (joint multiplier when the rule also
 *       releases a count, {@link NoisePlan}).</li>
 * </ol>
 * An empty batch is a valid step: the sum is zero and the noise is still added and accounted. A
 * non-finite loss or gradient stops the step before anything is released
 * ({@link NonFiniteGradientException}).
 *
 * <p>Not thread-safe. The gradient arrays are reused by the next step.
 */
public final class PrivateStep implements ReleaseKernel {
  private final PerSampleEngine engine;
  private final ClippingRule rule;
  private final NoisePlan plan;
  private final LatticeGaussianMechanism noise;
  private final double samplingRate;
  private final double expectedBatchSize;
  private final GradientSums sums;
  private final DpEvent event;
  private long generation;

  /**
   * @param samplingRate q, in (0, 1]
   * @param unitCount N, the number of privacy units of the training set (public)
   */
  public PrivateStep(PerSampleEngine engine, ClippingRule rule, NoisePlan plan, LatticeGaussianMechanism noise,
      double samplingRate, int unitCount) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.rule = Objects.requireNonNull(rule, "rule");
    this.plan = Objects.requireNonNull(plan, "plan");
    this.noise = Objects.requireNonNull(noise, "noise");
    if (!(samplingRate > 0 && samplingRate <= 1)) {
      throw new IllegalArgumentException("sampling rate q must be in (0, 1], got " + samplingRate);
    }
    if (unitCount < 1) {
      throw new IllegalArgumentException("the number of privacy units must be >= 1, got " + unitCount);
    }
    this.samplingRate = samplingRate;
    this.expectedBatchSize = samplingRate * unitCount;
    this.sums = engine.newSums();
    this.event = new PoissonSampledEvent(samplingRate, new GaussianEvent(plan.effectiveMultiplier()));
  }

  /** The event each step records. */
  public DpEvent event() {
    return event;
  }

  /** q N, the divisor of the noisy sum. */
  public double expectedBatchSize() {
    return expectedBatchSize;
  }

  @Override
  public long generation() {
    return generation;
  }

  /**
   * Runs one private step.
   *
   * @param state the clipping state before the step
   * @param batch the sampled units split into micro-batches (may be empty)
   * @param assembler builds each micro-batch's placeholders
   * @param groupOfUnit each global unit's group (needed when the rule needs groups), or null
   * @param observer the internal, non-private observer, or null
   * @param stepIndex passed to the observer
   * @throws NonFiniteGradientException if a loss or gradient is NaN or infinite (nothing released)
   */
  public StepOutcome run(ClippingState state, MicroBatchPlan batch, BatchAssembler assembler,
      IntUnaryOperator groupOfUnit, UnprotectedStepObserver observer, long stepIndex) {
    if (rule.needsGroups() && groupOfUnit == null) {
      throw new IllegalArgumentException(rule.getClass().getSimpleName() + " needs each unit's group; give the"
          + " privacy units groups");
    }
    generation++;
    sums.zero();
    StatisticNoise statistic = noise::noisyScalar;
    List<MicroBatchPlan.Slice> slices = batch.microBatches();
    List<double[]> normsPerSlice = new ArrayList<>();
    ClippingBounds bounds;
    if (rule.needsAllNormsFirst() && slices.size() > 1) {
      // Two passes: the bounds depend on every unit's norm; recompute each micro-batch afterwards.
      for (int i = 0; i < slices.size(); i++) {
        try (MicroBatch mb = record(slices.get(i), assembler)) {
          normsPerSlice.add(checkedNorms(mb, slices.get(i), i));
        }
      }
      bounds = rule.bounds(state, concat(normsPerSlice), groups(slices, groupOfUnit), statistic);
      for (int i = 0; i < slices.size(); i++) {
        try (MicroBatch mb = record(slices.get(i), assembler)) {
          clipAndAdd(mb, slices.get(i), normsPerSlice.get(i), bounds, groupOfUnit, observer, stepIndex);
        }
      }
    } else if (rule.needsAllNormsFirst() && slices.size() == 1) {
      try (MicroBatch mb = record(slices.get(0), assembler)) {
        double[] norms = checkedNorms(mb, slices.get(0), 0);
        normsPerSlice.add(norms);
        bounds = rule.bounds(state, norms, groups(slices, groupOfUnit), statistic);
        clipAndAdd(mb, slices.get(0), norms, bounds, groupOfUnit, observer, stepIndex);
      }
    } else {
      bounds = rule.bounds(state, rule.needsAllNormsFirst() ? new double[0] : null,
          rule.needsAllNormsFirst() ? new int[0] : null, statistic);
      for (int i = 0; i < slices.size(); i++) {
        try (MicroBatch mb = record(slices.get(i), assembler)) {
          double[] norms = checkedNorms(mb, slices.get(i), i);
          normsPerSlice.add(norms);
          clipAndAdd(mb, slices.get(i), norms, bounds, groupOfUnit, observer, stepIndex);
        }
      }
    }
    double sq = sums.squaredNorm();
    if (!Double.isFinite(sq)) {
      throw new NonFiniteGradientException("the clipped gradient sum is not finite (" + sq + ") although every unit's"
          + " norm was; nothing was released and the parameters are unchanged");
    }
    ClippingState next = rule.nextState(state, concat(normsPerSlice), statistic, expectedBatchSize);
    LatticeGaussianMechanism.Calibration cal =
        LatticeGaussianMechanism.calibrate(bounds.sensitivity(), plan.gradientMultiplier(), sums.dimension());
    noise.addNoise(sums.buffers(), cal, expectedBatchSize);
    Map<String, INDArray> values = new LinkedHashMap<>(sums.asMap());
    NoisyGradient g = new NoisyGradient(values, event, noise.label(), this, generation);
    return new StepOutcome(g, event, bounds, next, cal.noiseStd());
  }

  private MicroBatch record(MicroBatchPlan.Slice slice, BatchAssembler assembler) {
    Map<String, INDArray> ph = assembler.placeholders(slice.exampleIds());
    return engine.record(ph, ExampleLayout.of(slice.unitOfExample()));
  }

  static double[] checkedNorms(MicroBatch mb, MicroBatchPlan.Slice slice, int index) {
    double[] losses = mb.exampleLosses();
    double[] norms = mb.unitNorms();
    List<String> bad = new ArrayList<>();
    for (int u = 0; u < norms.length; u++) {
      if (!Double.isFinite(norms[u])) {
        bad.add("unit " + slice.unitIds()[u] + " (norm " + norms[u] + ")");
      }
    }
    for (int e = 0; e < losses.length; e++) {
      if (!Double.isFinite(losses[e])) {
        bad.add("example " + slice.exampleIds()[e] + " (loss " + losses[e] + ")");
      }
    }
    if (!bad.isEmpty()) {
      throw new NonFiniteGradientException("micro-batch " + index + " has a non-finite loss or gradient: "
          + String.join(", ", bad) + ". Nothing was released and the parameters are unchanged. Look for a diverging"
          + " learning rate, NaN or infinite inputs, or a loss of log(0)");
    }
    return norms;
  }

  private void clipAndAdd(MicroBatch mb, MicroBatchPlan.Slice slice, double[] norms, ClippingBounds bounds,
      IntUnaryOperator groupOfUnit, UnprotectedStepObserver observer, long stepIndex) {
    int[] groups = groupOfUnit == null ? null : Arrays.stream(slice.unitIds()).map(groupOfUnit).toArray();
    double[] factors = new double[norms.length];
    for (int u = 0; u < norms.length; u++) {
      factors[u] = rule.factor(norms[u], groups == null ? 0 : groups[u], bounds);
    }
    mb.addWeightedSum(factors, sums);
    if (observer != null) {
      observer.onMicroBatch(new View(mb, slice, groups, norms, factors, stepIndex));
    }
  }

  private static int[] groups(List<MicroBatchPlan.Slice> slices, IntUnaryOperator groupOfUnit) {
    if (groupOfUnit == null) {
      return null;
    }
    return slices.stream().flatMapToInt(s -> Arrays.stream(s.unitIds())).map(groupOfUnit).toArray();
  }

  private static double[] concat(List<double[]> parts) {
    return parts.stream().flatMapToDouble(Arrays::stream).toArray();
  }

  private final class View implements UnprotectedStepObserver.UnprotectedMicroBatchView {
    private final MicroBatch mb;
    private final MicroBatchPlan.Slice slice;
    private final int[] groups;
    private final double[] norms;
    private final double[] factors;
    private final long step;

    View(MicroBatch mb, MicroBatchPlan.Slice slice, int[] groups, double[] norms, double[] factors, long step) {
      this.mb = mb;
      this.slice = slice;
      this.groups = groups;
      this.norms = norms;
      this.factors = factors;
      this.step = step;
    }

    @Override
    public long step() {
      return step;
    }

    @Override
    public int[] unitIds() {
      return slice.unitIds().clone();
    }

    @Override
    public int[] unitGroups() {
      return groups == null ? null : groups.clone();
    }

    @Override
    public double[] unitNorms() {
      return norms.clone();
    }

    @Override
    public double[] clipFactors() {
      return factors.clone();
    }

    @Override
    public double[] exampleLosses() {
      return mb.exampleLosses();
    }

    @Override
    public int[] unitOfExample() {
      return slice.unitOfExample().clone();
    }

    @Override
    public Map<String, INDArray> weightedGradientSum(double[] unitWeights) {
      GradientSums target = engine.newSums();
      mb.addWeightedSum(unitWeights, target);
      return new HashMap<>(target.asMap());
    }
  }
}
