package org.dpvideo.dpsgd.sampling;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.dpvideo.dpsgd.noise.RandomStream;

/**
 * The micro-batches of one logical batch: sampled units packed in order into groups of at most
 * {@code maxExamples} examples, never splitting a unit. A unit with more examples than
 * {@code maxExamplesPerUnit} contributes a uniformly random subset of that many (chosen with the
 * sampler's stream; the unit's gradient is the sum over the chosen examples, still clipped as one).
 *
 * @param microBatches in order
 */
public record MicroBatchPlan(List<Slice> microBatches) {

  /**
   * One micro-batch.
   *
   * @param exampleIds the examples, grouped by unit
   * @param unitOfExample each example's unit index within this micro-batch (0..units-1)
   * @param unitIds the global unit ids, per local unit
   */
  public record Slice(int[] exampleIds, int[] unitOfExample, int[] unitIds) {}

  public MicroBatchPlan {
    microBatches = List.copyOf(microBatches);
  }

  /** The total number of units. */
  public int unitCount() {
    int n = 0;
    for (Slice s : microBatches) {
      n += s.unitIds().length;
    }
    return n;
  }

  /**
   * Plans the micro-batches of the sampled units.
   *
   * @param maxExamples examples per micro-batch, &gt;= maxExamplesPerUnit
   * @param maxExamplesPerUnit cap on a unit's examples per step, &gt;= 1
   * @param stream picks the subset of a large unit
   */
  public static MicroBatchPlan of(int[] sampledUnits, PrivacyUnits units, int maxExamples, int maxExamplesPerUnit,
      RandomStream stream) {
    return ofUnitStreams(sampledUnits, units, maxExamples, maxExamplesPerUnit, unit -> stream);
  }

  /**
   * Plans the micro-batches of the sampled units, picking the subset of each large unit from the
   * stream {@code streamOfUnit} gives for it (a keyed, stateless stream per unit and step with
   * {@link KeyedPoissonSampler#exampleStream}, so the choice does not depend on which other units are
   * planned together).
   */
  public static MicroBatchPlan ofUnitStreams(int[] sampledUnits, PrivacyUnits units, int maxExamples,
      int maxExamplesPerUnit, IntFunction<RandomStream> streamOfUnit) {
    if (maxExamplesPerUnit < 1) {
      throw new IllegalArgumentException("maxExamplesPerUnit must be >= 1, got " + maxExamplesPerUnit);
    }
    if (maxExamples < maxExamplesPerUnit) {
      throw new IllegalArgumentException("a micro-batch (" + maxExamples + " examples) must hold a whole unit ("
          + maxExamplesPerUnit + " examples at most); raise the micro-batch size or lower maxExamplesPerUnit");
    }
    List<Slice> out = new ArrayList<>();
    List<Integer> ex = new ArrayList<>();
    List<Integer> local = new ArrayList<>();
    List<Integer> ids = new ArrayList<>();
    for (int unit : sampledUnits) {
      int[] chosen = units.examplesCount(unit) <= maxExamplesPerUnit ? choose(units, unit, maxExamplesPerUnit, null)
          : choose(units, unit, maxExamplesPerUnit, streamOfUnit.apply(unit));
      if (ex.size() + chosen.length > maxExamples) {
        out.add(slice(ex, local, ids));
        ex.clear();
        local.clear();
        ids.clear();
      }
      int localId = ids.size();
      ids.add(unit);
      for (int e : chosen) {
        ex.add(e);
        local.add(localId);
      }
    }
    if (!ids.isEmpty()) {
      out.add(slice(ex, local, ids));
    }
    return new MicroBatchPlan(out);
  }

  private static int[] choose(PrivacyUnits units, int unit, int cap, RandomStream stream) {
    int n = units.examplesCount(unit);
    if (n <= cap) {
      int[] all = new int[n];
      for (int i = 0; i < n; i++) {
        all[i] = units.example(unit, i);
      }
      return all;
    }
    // Partial Fisher-Yates shuffle of the indices, keep the first cap, then restore order.
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    for (int i = 0; i < cap; i++) {
      int j = i + stream.nextInt(n - i);
      int t = idx[i];
      idx[i] = idx[j];
      idx[j] = t;
    }
    int[] picked = java.util.Arrays.copyOf(idx, cap);
    java.util.Arrays.sort(picked);
    int[] out = new int[cap];
    for (int i = 0; i < cap; i++) {
      out[i] = units.example(unit, picked[i]);
    }
    return out;
  }

  private static Slice slice(List<Integer> ex, List<Integer> local, List<Integer> ids) {
    return new Slice(ex.stream().mapToInt(Integer::intValue).toArray(),
        local.stream().mapToInt(Integer::intValue).toArray(),
        ids.stream().mapToInt(Integer::intValue).toArray());
  }
}
