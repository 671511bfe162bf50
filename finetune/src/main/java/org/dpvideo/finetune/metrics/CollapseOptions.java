package org.dpvideo.finetune.metrics;

import java.util.List;
import java.util.Locale;

/**
 * Settings of the decoding-collapse statistics. Fix them before looking at private data; the same
 * settings apply to the generated samples and to the real-data baseline.
 *
 * @param seqRepOrder n of seq-rep-n (Welleck et al. 2020 report seq-rep-4), {@code >= 1}
 * @param distinctOrders the n of each distinct-n reported (Li et al. 2016 report 1 and 2), at least one,
 *     each {@code >= 1}, distinct
 * @param frozenThreshold tau of the frozen-frame ratio on [0, 1] pixels, {@code > 0}
 * @param baselineSubsets how many random subsets of the real clips average a set-level baseline
 *     statistic (distinct-n, code usage) when the real set is larger than the generated one, {@code >= 1}
 * @param subsetSeed seed of those subsets (the baseline is a fixed function of the data and the settings)
 */
public record CollapseOptions(int seqRepOrder, List<Integer> distinctOrders, double frozenThreshold,
    int baselineSubsets, long subsetSeed) {

  /** seq-rep-4, distinct-1 and distinct-4, tau = 1/255, 20 baseline subsets, seed 1. */
  public static final CollapseOptions DEFAULT =
      new CollapseOptions(4, List.of(1, 4), TemporalMetrics.DEFAULT_FROZEN_THRESHOLD, 20, 1L);

  /** Validates and copies. */
  public CollapseOptions {
    if (seqRepOrder < 1) {
      throw new IllegalArgumentException("seqRepOrder must be >= 1, got " + seqRepOrder + "; seq-rep-4 is usual.");
    }
    distinctOrders = List.copyOf(distinctOrders);
    if (distinctOrders.isEmpty() || distinctOrders.stream().anyMatch(n -> n < 1)
        || distinctOrders.stream().distinct().count() != distinctOrders.size()) {
      throw new IllegalArgumentException("distinctOrders must be distinct values >= 1, at least one, got "
          + distinctOrders + "; e.g. [1, 4].");
    }
    TemporalMetrics.checkThreshold(frozenThreshold);
    if (baselineSubsets < 1) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "baselineSubsets must be >= 1, got %d.",
          baselineSubsets));
    }
  }

  /** With another seq-rep order. */
  public CollapseOptions withSeqRepOrder(int n) {
    return new CollapseOptions(n, distinctOrders, frozenThreshold, baselineSubsets, subsetSeed);
  }

  /** With other distinct-n orders. */
  public CollapseOptions withDistinctOrders(List<Integer> orders) {
    return new CollapseOptions(seqRepOrder, orders, frozenThreshold, baselineSubsets, subsetSeed);
  }

  /** With another frozen-frame threshold. */
  public CollapseOptions withFrozenThreshold(double tau) {
    return new CollapseOptions(seqRepOrder, distinctOrders, tau, baselineSubsets, subsetSeed);
  }

  /** With another number of baseline subsets. */
  public CollapseOptions withBaselineSubsets(int subsets) {
    return new CollapseOptions(seqRepOrder, distinctOrders, frozenThreshold, subsets, subsetSeed);
  }
}
