package org.dpvideo.tokenizer.vq;

import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.segment.UnsortedSegmentSum;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * k-means with k-means++ seeding (Arthur and Vassilvitskii, "k-means++: The Advantages of Careful
 * Seeding", SODA 2007) and Lloyd iterations. Squared distances use
 * {@code |x - c|^2 = |x|^2 - 2 x.c + |c|^2} with one matrix product per chunk of rows; centroid sums use
 * an unsorted segment sum. Empty clusters are re-seeded with the points farthest from their centroid.
 *
 * <p>Stateless; thread-safe.
 */
public final class KMeansPlusPlus {
  private static final int CHUNK = 8192;

  private KMeansPlusPlus() {}

  /**
   * Fits {@code k} centroids to the rows of {@code x} ({@code [N, D]}, float32, N >= k).
   *
   * @return {@code [k, D]} centroids
   */
  public static INDArray fit(INDArray x, int k, int iterations, Random rng) {
    long n = x.size(0);
    if (n < k) {
      throw new IllegalArgumentException("k-means needs at least k = " + k + " vectors, got " + n
          + "; use more training clips or a smaller codebook.");
    }
    INDArray c = seed(x, k, rng);
    for (int it = 0; it < iterations; it++) {
      Assignment a = assign(x, c);
      INDArray ids = Nd4j.createFromArray(a.ids);
      INDArray sums = Nd4j.exec(new UnsortedSegmentSum(x, ids, k))[0];
      int[] counts = new int[k];
      for (int id : a.ids) {
        counts[id]++;
      }
      INDArray cnt = Nd4j.createFromArray(counts).castTo(DataType.FLOAT).reshape(k, 1);
      INDArray next = sums.divi(Transforms.max(cnt, 1.0, false).broadcast(k, x.size(1)));
      reseedEmpty(x, next, counts, a.dist);
      c = next;
    }
    return c;
  }

  /** Nearest centroid of each row of {@code x} and its squared distance. */
  public record Assignment(int[] ids, float[] dist) {}

  /** Assigns every row of {@code x} ({@code [N, D]}) to its nearest row of {@code c} ({@code [K, D]}). */
  public static Assignment assign(INDArray x, INDArray c) {
    long n = x.size(0);
    int[] ids = new int[(int) n];
    float[] dist = new float[(int) n];
    INDArray cT = c.transpose().dup('c');
    INDArray cc = c.mul(c).sum(1).reshape(1, c.size(0));
    for (long s = 0; s < n; s += CHUNK) {
      long e = Math.min(n, s + CHUNK);
      INDArray xs = x.get(NDArrayIndex.interval(s, e), NDArrayIndex.all());
      INDArray d = xs.mmul(cT).muli(-2).addiRowVector(cc); // [m, K], missing |x|^2 (same per row)
      INDArray arg = Nd4j.argMin(d, 1);
      INDArray best = d.min(1).addi(xs.mul(xs).sum(1));
      int[] a = arg.toIntVector();
      float[] b = best.toFloatVector();
      System.arraycopy(a, 0, ids, (int) s, a.length);
      for (int i = 0; i < b.length; i++) {
        dist[(int) s + i] = Math.max(0f, b[i]);
      }
    }
    return new Assignment(ids, dist);
  }

  /** k-means++ seeding on at most {@code 32 * k} sampled rows. */
  static INDArray seed(INDArray x, int k, Random rng) {
    long n = x.size(0);
    int m = (int) Math.min(n, Math.max(32L * k, 4096));
    INDArray sample = m == n ? x : x.getRows(sampleIndices(n, m, rng));
    long d = x.size(1);
    INDArray c = Nd4j.create(DataType.FLOAT, k, d);
    int first = rng.nextInt(m);
    c.putRow(0, sample.getRow(first));
    INDArray xx = sample.mul(sample).sum(1);
    INDArray min = distTo(sample, xx, sample.getRow(first));
    for (int j = 1; j < k; j++) {
      float[] w = min.toFloatVector();
      double total = 0;
      for (float v : w) {
        total += Math.max(0, v);
      }
      int pick;
      if (total <= 0) {
        pick = rng.nextInt(m);
      } else {
        double r = rng.nextDouble() * total;
        pick = m - 1;
        for (int i = 0; i < m; i++) {
          r -= Math.max(0, w[i]);
          if (r <= 0) {
            pick = i;
            break;
          }
        }
      }
      INDArray row = sample.getRow(pick);
      c.putRow(j, row);
      min = Transforms.min(min, distTo(sample, xx, row), false);
    }
    return c;
  }

  private static INDArray distTo(INDArray x, INDArray xx, INDArray row) {
    INDArray r = row.reshape(row.length(), 1);
    return xx.sub(x.mmul(r).reshape(x.size(0)).muli(2)).addi(r.mul(r).sumNumber().floatValue());
  }

  private static int[] sampleIndices(long n, int m, Random rng) {
    // Partial Fisher-Yates over [0, n).
    int[] idx = new int[(int) n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    for (int i = 0; i < m; i++) {
      int j = i + rng.nextInt((int) n - i);
      int t = idx[i];
      idx[i] = idx[j];
      idx[j] = t;
    }
    int[] out = java.util.Arrays.copyOf(idx, m);
    java.util.Arrays.sort(out);
    return out;
  }

  private static void reseedEmpty(INDArray x, INDArray c, int[] counts, float[] dist) {
    java.util.List<Integer> empty = new java.util.ArrayList<>();
    for (int j = 0; j < counts.length; j++) {
      if (counts[j] == 0) {
        empty.add(j);
      }
    }
    if (empty.isEmpty()) {
      return;
    }
    Integer[] order = new Integer[dist.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Float.compare(dist[b], dist[a]));
    for (int e = 0; e < empty.size(); e++) {
      c.putRow(empty.get(e), x.getRow(order[e % order.length]));
    }
  }
}
