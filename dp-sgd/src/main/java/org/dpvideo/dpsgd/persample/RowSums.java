package org.dpvideo.dpsgd.persample;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Per-unit column sums of small activation tensors ({@code sum_t dy} for biases,
 * {@code sum_t dy * xhat} for LayerNorm gains), computed directly on the arrays' memory in double
 * precision. These tensors are small; as ND4J ops each would cost several dispatches (and on a busy
 * machine every multi-threaded op waits for its slowest thread), while a plain loop reads each value
 * once.
 */
final class RowSums {
  private RowSums() {}

  /** A readable float view of a 2-D array, copying only if it is not contiguous 'c' order. */
  static FloatBuffer floats(INDArray a) {
    INDArray c = a;
    if (a.dataType() != DataType.FLOAT) {
      c = a.castTo(DataType.FLOAT);
    }
    if (c.ordering() != 'c' || c.elementWiseStride() != 1 || c.data().length() < c.offset() + c.length()) {
      c = c.dup('c');
    }
    FloatBuffer b = c.data().asNioFloat();
    b.position((int) c.offset());
    return b.slice();
  }

  /**
   * {@code out[u][j] = sum over rows r of unit u of a[r][j] (* b[r][j] if b is not null)}, for
   * {@code a, b: [rows, f]} with rows grouped by example, {@code rows = examples * t}.
   *
   * @return {@code [units * f]}, unit-major
   */
  static double[] perUnit(INDArray a, INDArray b, ExampleLayout layout, long t) {
    int f = (int) a.size(1);
    FloatBuffer fa = floats(a);
    FloatBuffer fb = b == null ? null : floats(b);
    double[] out = new double[layout.units() * f];
    int rowsPerExample = (int) t;
    for (int e = 0; e < layout.examples(); e++) {
      int base = layout.unitOf(e) * f;
      int row0 = e * rowsPerExample;
      for (int r = 0; r < rowsPerExample; r++) {
        int off = (row0 + r) * f;
        if (fb == null) {
          for (int j = 0; j < f; j++) {
            out[base + j] += fa.get(off + j);
          }
        } else {
          for (int j = 0; j < f; j++) {
            out[base + j] += (double) fa.get(off + j) * fb.get(off + j);
          }
        }
      }
    }
    return out;
  }

  /** Adds each unit's squared norm of {@code perUnit} ({@code [units * f]}) into {@code acc}. */
  static void addSquaredNorms(double[] perUnit, int f, double[] acc) {
    for (int u = 0; u < acc.length; u++) {
      double s = 0;
      int base = u * f;
      for (int j = 0; j < f; j++) {
        s += perUnit[base + j] * perUnit[base + j];
      }
      acc[u] += s;
    }
  }

  /** {@code target += sum_u w_u perUnit[u]} for a 'c'-contiguous float target of f elements. */
  static void addWeighted(double[] perUnit, int f, double[] w, INDArray target) {
    double[] sum = new double[f];
    for (int u = 0; u < w.length; u++) {
      if (w[u] == 0) {
        continue;
      }
      int base = u * f;
      for (int j = 0; j < f; j++) {
        sum[j] += w[u] * perUnit[base + j];
      }
    }
    FloatBuffer t = target.data().asNioFloat();
    int off = (int) target.offset();
    for (int j = 0; j < f; j++) {
      t.put(off + j, (float) (t.get(off + j) + sum[j]));
    }
  }
}
