package org.dpvideo.dpsgd.step;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntUnaryOperator;
import org.dpvideo.dpsgd.clipping.ClippingBounds;
import org.dpvideo.dpsgd.clipping.ClippingRule;
import org.dpvideo.dpsgd.clipping.ClippingState;
import org.dpvideo.dpsgd.persample.ExampleLayout;
import org.dpvideo.dpsgd.persample.GradientSums;
import org.dpvideo.dpsgd.persample.MicroBatch;
import org.dpvideo.dpsgd.persample.PerSampleEngine;
import org.dpvideo.dpsgd.sampling.MicroBatchPlan;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The worker half of a data-parallel private step: for the sampled units of one shard of the data,
 * the same per-unit norms, clip factors and clipped sum {@code sum_u c_u g_u} as {@link PrivateStep}
 * (same engine, same rule calls), plus the rule's exact counts; no noise and no event. What it returns
 * is RAW PRIVATE DATA: it must go only to {@link AggregateRelease}, which sums the shards and releases
 * them with noise once. Sums of disjoint shards add up to the sum of their union, so the aggregated
 * result equals the single-process clipped sum up to float rounding.
 *
 * <p>Not thread-safe; the returned sums are reused by the next call.
 */
public final class ClippedSumKernel {
  private final PerSampleEngine engine;
  private final ClippingRule rule;
  private final GradientSums sums;

  /** A kernel over an engine (the model's trainable parameters) and a clipping rule. */
  public ClippedSumKernel(PerSampleEngine engine, ClippingRule rule) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.rule = Objects.requireNonNull(rule, "rule");
    this.sums = engine.newSums();
  }

  /**
   * The shard's clipped sum of sampled units.
   *
   * @param sums {@code sum_u c_u g_u} over the shard's sampled units (zero when none), reused by the next call
   * @param countsAfterClipping {@link ClippingRule#countsAfterClipping} of the shard's units
   * @param units the number of sampled units of the shard (private)
   */
  public record Shard(GradientSums sums, long[] countsAfterClipping, int units) {}

  /**
   * The rule's exact counts before clipping (DPSGD-F's histogram) over this shard's sampled units:
   * a first pass of forward/backward passes computing norms only.
   *
   * @throws NonFiniteGradientException if a loss or norm is not finite
   */
  public long[] countsBeforeClipping(MicroBatchPlan batch, BatchAssembler assembler, IntUnaryOperator groupOfUnit) {
    List<MicroBatchPlan.Slice> slices = batch.microBatches();
    List<double[]> norms = new ArrayList<>();
    for (int i = 0; i < slices.size(); i++) {
      try (MicroBatch mb = record(slices.get(i), assembler)) {
        norms.add(PrivateStep.checkedNorms(mb, slices.get(i), i));
      }
    }
    return rule.countsBeforeClipping(concat(norms), groups(slices, groupOfUnit));
  }

  /**
   * The shard's clipped sum under the step's bounds (released by the driver before the shards run).
   *
   * @param state the clipping state of the step (the same on every shard)
   * @param bounds the step's bounds
   * @param groupOfUnit each global unit's group, or null when the rule needs none
   * @throws NonFiniteGradientException if a loss or norm is not finite
   */
  public Shard clippedSum(ClippingState state, ClippingBounds bounds, MicroBatchPlan batch, BatchAssembler assembler,
      IntUnaryOperator groupOfUnit) {
    if (rule.needsGroups() && groupOfUnit == null) {
      throw new IllegalArgumentException(rule.getClass().getSimpleName() + " needs each unit's group; give the"
          + " privacy units groups");
    }
    sums.zero();
    List<MicroBatchPlan.Slice> slices = batch.microBatches();
    List<double[]> all = new ArrayList<>();
    for (int i = 0; i < slices.size(); i++) {
      MicroBatchPlan.Slice slice = slices.get(i);
      try (MicroBatch mb = record(slice, assembler)) {
        double[] norms = PrivateStep.checkedNorms(mb, slice, i);
        all.add(norms);
        double[] factors = new double[norms.length];
        for (int u = 0; u < norms.length; u++) {
          factors[u] = rule.factor(norms[u], groupOfUnit == null ? 0 : groupOfUnit.applyAsInt(slice.unitIds()[u]), bounds);
        }
        mb.addWeightedSum(factors, sums);
      }
    }
    return new Shard(sums, rule.countsAfterClipping(state, concat(all)), batch.unitCount());
  }

  private MicroBatch record(MicroBatchPlan.Slice slice, BatchAssembler assembler) {
    Map<String, INDArray> ph = assembler.placeholders(slice.exampleIds());
    return engine.record(ph, ExampleLayout.of(slice.unitOfExample()));
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
}
