package org.dpvideo.dpsgd.step;

import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.accounting.GaussianEvent;
import org.dpvideo.dpsgd.accounting.PoissonSampledEvent;
import org.dpvideo.dpsgd.clipping.ClippingBounds;
import org.dpvideo.dpsgd.clipping.ClippingRule;
import org.dpvideo.dpsgd.clipping.ClippingState;
import org.dpvideo.dpsgd.clipping.NoisePlan;
import org.dpvideo.dpsgd.clipping.StatisticNoise;
import org.dpvideo.dpsgd.layers.Parameter;
import org.dpvideo.dpsgd.noise.LatticeGaussianMechanism;
import org.dpvideo.dpsgd.persample.GradientSums;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The driver half of a data-parallel private step: it releases, once, what the workers'
 * {@link ClippedSumKernel}s computed and the driver summed. Per step, in this order (the order in
 * which {@link PrivateStep} draws its noise, so a seeded run draws the same noise as the
 * single-process trainer):
 * <ol>
 *   <li>{@link #bounds}: the step's bounds from the summed pre-clipping counts (DPSGD-F's histogram,
 *       released with the statistic's noise), or from the state alone;</li>
 *   <li>{@link #release}: the next clipping state from the summed post-clipping counts (Global-Adapt's
 *       count, released with noise), then Gaussian noise of standard deviation {@code sigma_g * S} on
 *       the summed clipped gradient (lattice mechanism), divided by the public q N; the event
 *       {@code PoissonSampled(q, Gaussian(sigma_eff))}; the {@link NoisyGradient}.</li>
 * </ol>
 * The formulas, the noise mechanism and the event are those of {@link PrivateStep} (Abadi et al.
 * 2016; joint accounting in {@link NoisePlan}). Its sensitivity argument needs the workers to have
 * clipped every sampled unit with the bounds of step 1, each unit on exactly one worker, each sampled
 * unit's examples all on that worker: the callers guarantee that by partitioning privacy units, never
 * examples.
 *
 * <p>Not thread-safe. The gradient arrays are reused by the next release.
 */
public final class AggregateRelease implements ReleaseKernel {
  private final ClippingRule rule;
  private final NoisePlan plan;
  private final LatticeGaussianMechanism noise;
  private final double expectedBatchSize;
  private final GradientSums sums;
  private final DpEvent event;
  private long generation;
  private ClippingState pendingState;
  private ClippingBounds pendingBounds;

  /**
   * @param trainable the trained parameters, in the order of the workers' sums
   * @param samplingRate q, in (0, 1]
   * @param unitCount N, the number of privacy units of the whole training set (public)
   */
  public AggregateRelease(List<Parameter> trainable, ClippingRule rule, NoisePlan plan, LatticeGaussianMechanism noise,
      double samplingRate, int unitCount) {
    this.rule = Objects.requireNonNull(rule, "rule");
    this.plan = Objects.requireNonNull(plan, "plan");
    this.noise = Objects.requireNonNull(noise, "noise");
    if (!(samplingRate > 0 && samplingRate <= 1)) {
      throw new IllegalArgumentException("sampling rate q must be in (0, 1], got " + samplingRate);
    }
    if (unitCount < 1) {
      throw new IllegalArgumentException("the number of privacy units must be >= 1, got " + unitCount);
    }
    this.expectedBatchSize = samplingRate * unitCount;
    this.sums = new GradientSums(trainable);
    this.event = new PoissonSampledEvent(samplingRate, new GaussianEvent(plan.effectiveMultiplier()));
  }

  @Override
  public long generation() {
    return generation;
  }

  /** The event each step records. */
  public DpEvent event() {
    return event;
  }

  /** The counts before clipping of no unit: the identity of their sum. */
  public long[] zeroCountsBeforeClipping() {
    return rule.countsBeforeClipping(new double[0], new int[0]);
  }

  /** The counts after clipping of no unit: the identity of their sum. */
  public long[] zeroCountsAfterClipping(ClippingState state) {
    return rule.countsAfterClipping(state, new double[0]);
  }

  /**
   * Step 1: the step's bounds. For a rule that needs all norms first (DPSGD-F) the counts are the sum
   * of every worker's {@link ClippedSumKernel#countsBeforeClipping}, released here with noise; other
   * rules take {@link #zeroCountsBeforeClipping()}.
   *
   * @throws IllegalStateException if the previous step's bounds were never released
   */
  public ClippingBounds bounds(ClippingState state, long[] countsBeforeClipping) {
    Objects.requireNonNull(state, "state");
    if (pendingBounds != null) {
      throw new IllegalStateException("the bounds of this step were already released; call release(...) before the"
          + " next step's bounds");
    }
    StatisticNoise statistic = noise::noisyScalar;
    pendingBounds = rule.boundsFromCounts(state, countsBeforeClipping.clone(), statistic);
    pendingState = state;
    return pendingBounds;
  }

  /**
   * Step 2: releases the summed clipped gradient and the rule's post-clipping statistic.
   *
   * @param clippedSums the workers' summed {@code sum_u c_u g_u}, one flat 'c'-order array per trained
   *     parameter in the constructor's order
   * @param countsAfterClipping the workers' summed {@link ClippedSumKernel.Shard#countsAfterClipping}
   * @throws IllegalStateException if {@link #bounds} was not called for this step
   * @throws NonFiniteGradientException if the summed gradient is not finite (nothing released)
   */
  public StepOutcome release(float[][] clippedSums, long[] countsAfterClipping) {
    if (pendingBounds == null) {
      throw new IllegalStateException("release(...) needs the step's bounds first; call bounds(...) and clip with them");
    }
    ClippingBounds bounds = pendingBounds;
    ClippingState state = pendingState;
    List<FloatBuffer> buffers = sums.buffers();
    if (clippedSums.length != buffers.size()) {
      throw new IllegalArgumentException("expected " + buffers.size() + " parameter sums, got " + clippedSums.length);
    }
    for (int i = 0; i < clippedSums.length; i++) {
      FloatBuffer b = buffers.get(i);
      if (clippedSums[i].length != b.remaining()) {
        throw new IllegalArgumentException("parameter sum " + i + " has " + clippedSums[i].length + " values, expected "
            + b.remaining());
      }
      b.duplicate().put(clippedSums[i]);
    }
    double sq = sums.squaredNorm();
    if (!Double.isFinite(sq)) {
      pendingBounds = null;
      pendingState = null;
      throw new NonFiniteGradientException("the aggregated clipped gradient sum is not finite (" + sq + "); nothing was"
          + " released and the parameters are unchanged");
    }
    generation++;
    StatisticNoise statistic = noise::noisyScalar;
    ClippingState next = rule.nextStateFromCounts(state, countsAfterClipping.clone(), statistic, expectedBatchSize);
    LatticeGaussianMechanism.Calibration cal =
        LatticeGaussianMechanism.calibrate(bounds.sensitivity(), plan.gradientMultiplier(), sums.dimension());
    noise.addNoise(sums.buffers(), cal, expectedBatchSize);
    Map<String, INDArray> values = new LinkedHashMap<>(sums.asMap());
    NoisyGradient g = new NoisyGradient(values, event, noise.label(), this, generation);
    pendingBounds = null;
    pendingState = null;
    return new StepOutcome(g, event, bounds, next, cal.noiseStd());
  }

  /**
   * Forgets the bounds of a step that failed before its release (a worker error): nothing of the step
   * is released or accounted, and the next step starts with {@link #bounds} again.
   */
  public void abandonStep() {
    pendingBounds = null;
    pendingState = null;
  }
}
