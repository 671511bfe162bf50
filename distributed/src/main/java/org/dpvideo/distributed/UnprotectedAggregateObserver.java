package org.dpvideo.distributed;

/**
 * INTERNAL, NOT PRIVATE: sees, on the driver, what the executors returned for a step before the noise
 * is added: the sampled unit ids, the aggregated clipped sums and the exact counts. For equivalence
 * tests and diagnostics only; whatever a caller derives from it must be released through an accounted
 * mechanism. Setting an observer makes executors send the sampled ids too.
 */
@FunctionalInterface
public interface UnprotectedAggregateObserver {
  /**
   * @param step the step index (0-based)
   * @param sampledUnits the sampled unit ids, increasing
   * @param clippedSums {@code sum_u c_u g_u} per trained parameter (do not modify)
   * @param countsBeforeClipping the rule's summed pre-clipping counts
   * @param countsAfterClipping the rule's summed post-clipping counts
   */
  void onStep(long step, int[] sampledUnits, float[][] clippedSums, long[] countsBeforeClipping,
      long[] countsAfterClipping);
}
