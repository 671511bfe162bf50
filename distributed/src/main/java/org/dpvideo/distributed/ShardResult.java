package org.dpvideo.distributed;

import java.io.Serializable;
import java.util.Arrays;

/**
 * What one partition (or a subtree of the aggregation) returns to the driver for one step: the clipped
 * gradient sum of its sampled units, the clipping rule's exact counts, and the number of units. RAW
 * PRIVATE DATA until the driver's {@code AggregateRelease} has added noise; it never leaves the cluster.
 * {@link #plus} is associative and commutative (up to float rounding of the sums), so Spark may
 * aggregate in any tree.
 *
 * @param sums {@code sum_u c_u g_u} per trained parameter, or null when no unit was sampled (zero)
 * @param countsBeforeClipping the rule's pre-clipping counts (DPSGD-F), summed
 * @param countsAfterClipping the rule's post-clipping counts (Global-Adapt), summed
 * @param units sampled units
 * @param sampledUnits the sampled unit ids, only when the run records them for diagnostics (else null)
 */
record ShardResult(float[][] sums, long[] countsBeforeClipping, long[] countsAfterClipping, int units,
    int[] sampledUnits) implements Serializable {

  /** Elementwise sum; the inputs are not modified. */
  ShardResult plus(ShardResult o) {
    float[][] s;
    if (sums == null) {
      s = o.sums;
    } else if (o.sums == null) {
      s = sums;
    } else {
      s = new float[sums.length][];
      for (int p = 0; p < sums.length; p++) {
        float[] a = sums[p];
        float[] b = o.sums[p];
        float[] c = new float[a.length];
        for (int j = 0; j < a.length; j++) {
          c[j] = a[j] + b[j];
        }
        s[p] = c;
      }
    }
    int[] ids = null;
    if (sampledUnits != null || o.sampledUnits != null) {
      int[] a = sampledUnits == null ? new int[0] : sampledUnits;
      int[] b = o.sampledUnits == null ? new int[0] : o.sampledUnits;
      ids = Arrays.copyOf(a, a.length + b.length);
      System.arraycopy(b, 0, ids, a.length, b.length);
      Arrays.sort(ids);
    }
    return new ShardResult(s, add(countsBeforeClipping, o.countsBeforeClipping),
        add(countsAfterClipping, o.countsAfterClipping), units + o.units, ids);
  }

  private static long[] add(long[] a, long[] b) {
    if (a.length != b.length) {
      throw new IllegalStateException("partitions returned counts of different lengths (" + a.length + " and "
          + b.length + "); every executor must run the same clipping rule");
    }
    long[] c = a.clone();
    for (int i = 0; i < c.length; i++) {
      c[i] += b[i];
    }
    return c;
  }

  /** The serialized size of the sums (4 bytes per coordinate), for the benchmark. */
  long sumBytes() {
    long n = 0;
    if (sums != null) {
      for (float[] a : sums) {
        n += 4L * a.length;
      }
    }
    return n;
  }
}
