package org.dpvideo.dpsgd.persample;

import java.nio.FloatBuffer;
import org.dpvideo.dpsgd.memory.StepArena;
import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.api.ops.impl.reduce.floating.SquaredNorm;
import org.nd4j.linalg.api.ops.impl.reduce.same.Sum;
import org.nd4j.linalg.api.ops.impl.transforms.segment.UnsortedSegmentSum;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;

/** The tensor kernels of the per-sample engine; every output comes from the step arena. */
final class Kernels {
  private static final MMulTranspose TRANSPOSE_A = MMulTranspose.builder().transposeA(true).build();
  private static final MMulTranspose TRANSPOSE_B = MMulTranspose.builder().transposeB(true).build();

  private Kernels() {}

  /** {@code out[e] = a[e]^T b[e]} for {@code a: [B, T, m]}, {@code b: [B, T, n]}; returns {@code [B, m, n]}. */
  static INDArray batchedTransposeA(StepArena arena, INDArray a3, INDArray b3) {
    INDArray out = arena.floats(a3.size(0), a3.size(2), b3.size(2));
    Nd4j.exec(new Mmul(a3, b3, out, TRANSPOSE_A));
    return out;
  }

  /** {@code out[e] = a[e] a[e]^T} for {@code a: [B, T, m]}; returns {@code [B, T, T]}. */
  static INDArray batchedGram(StepArena arena, INDArray a3) {
    INDArray out = arena.floats(a3.size(0), a3.size(1), a3.size(1));
    Nd4j.exec(new Mmul(a3, a3, out, TRANSPOSE_B));
    return out;
  }

  /** Squared norm of each row of {@code x: [U, K]}, added into {@code acc}. */
  static void addRowSquaredNorms(StepArena arena, INDArray x2, double[] acc) {
    INDArray out = arena.floats(x2.size(0));
    Nd4j.exec(new SquaredNorm(x2, out, 1));
    FloatBuffer b = view(out);
    for (int u = 0; u < acc.length; u++) {
      acc[u] += b.get(u);
    }
  }

  /** Sum over all but the first dimension of {@code x: [B, ...]}, added into {@code acc}. */
  static void addSumsPerFirst(StepArena arena, INDArray x, double[] acc) {
    INDArray out = arena.floats(x.size(0));
    int[] dims = new int[x.rank() - 1];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = i + 1;
    }
    Nd4j.exec(new Sum(x, out, dims));
    FloatBuffer b = view(out);
    for (int u = 0; u < acc.length; u++) {
      acc[u] += b.get(u);
    }
  }

  /** {@code target += rows^T w} for {@code rows: [U, K]}, a target of K elements (any shape, 'c' contiguous). */
  static void addWeightedRows(StepArena arena, INDArray rows, double[] w, INDArray target) {
    INDArray wc = column(arena, w);
    INDArray t = target.reshape('c', target.length(), 1);
    Nd4j.gemm(rows, wc, t, true, false, 1.0, 1.0);
  }

  /** A float column {@code [n, 1]} holding {@code w}. */
  static INDArray column(StepArena arena, double[] w) {
    INDArray c = arena.floats(w.length, 1);
    FloatBuffer b = view(c);
    for (int i = 0; i < w.length; i++) {
      b.put(i, (float) w[i]);
    }
    return c;
  }

  /** {@code x: [B, T, f]} times {@code w[e]} per example: a new {@code [B, T, f]}. */
  static INDArray scaleExamples(StepArena arena, INDArray x3, double[] perExample) {
    INDArray w = arena.floats(perExample.length);
    FloatBuffer b = view(w);
    for (int i = 0; i < perExample.length; i++) {
      b.put(i, (float) perExample[i]);
    }
    INDArray out = arena.floats(x3.shape());
    Nd4j.exec(new BroadcastMulOp(x3, w, out, 0));
    return out;
  }

  /** Sums the rows of {@code data: [rows, f]} into {@code segments} buckets by segment id: {@code [segments, f]}. */
  static INDArray segmentSum(StepArena arena, INDArray data, INDArray segmentIds, long segments) {
    INDArray out = arena.floats(segments, data.size(1));
    UnsortedSegmentSum op = new UnsortedSegmentSum(data, segmentIds, Math.toIntExact(segments));
    op.addOutputArgument(out);
    Nd4j.exec(op);
    return out;
  }

  /** Per-unit sums of per-example rows: {@code S^T x} for the one-hot unit matrix S. */
  static INDArray toUnits(StepArena arena, INDArray perExample, ExampleLayout layout) {
    if (layout.oneExamplePerUnit()) {
      return perExample;
    }
    INDArray s = arena.floats(layout.examples(), layout.units());
    FloatBuffer b = view(s);
    int units = layout.units();
    for (int e = 0; e < layout.examples(); e++) {
      for (int u = 0; u < units; u++) {
        b.put(e * units + u, layout.unitOf(e) == u ? 1f : 0f);
      }
    }
    INDArray x2 = perExample.reshape('c', perExample.size(0), perExample.length() / perExample.size(0));
    INDArray out = arena.floats(units, x2.size(1));
    Nd4j.gemm(s, x2, out, true, false, 1.0, 0.0);
    return out;
  }

  /** A direct float view of a 'c'-contiguous array, from its first element. */
  static FloatBuffer view(INDArray a) {
    FloatBuffer b = a.data().asNioFloat();
    b.position((int) a.offset());
    return b.slice();
  }
}
