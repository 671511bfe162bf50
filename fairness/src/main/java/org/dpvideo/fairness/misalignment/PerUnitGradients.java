package org.dpvideo.fairness.misalignment;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Per-unit (per privacy unit: example or subject) gradients of one batch, one array per layer of shape
 * {@code [units, ...]} (trailing dimensions are the layer's parameter shape). Layers are never
 * concatenated.
 *
 * <p>Holds the caller's arrays (no copy); the caller must not modify them while diagnostics run.
 */
public final class PerUnitGradients {
  private final List<INDArray> layers;
  private final int units;

  /** @param layers at least one array, all with the same leading dimension */
  public PerUnitGradients(List<INDArray> layers) {
    Objects.requireNonNull(layers, "layers");
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("per-unit gradients need at least one layer, got none");
    }
    long u = -1;
    List<String> bad = new ArrayList<>();
    for (int l = 0; l < layers.size(); l++) {
      INDArray a = Objects.requireNonNull(layers.get(l), "layer");
      if (a.rank() < 1) {
        bad.add("layer " + l + " is a scalar");
        continue;
      }
      if (u < 0) {
        u = a.size(0);
      } else if (a.size(0) != u) {
        bad.add("layer " + l + " has " + a.size(0) + " units, layer 0 has " + u);
      }
    }
    if (!bad.isEmpty()) {
      throw new IllegalArgumentException("per-unit gradient layers must be [units, ...] with one common number of"
          + " units: " + bad);
    }
    this.layers = List.copyOf(layers);
    this.units = (int) u;
  }

  /** Per-unit gradients of a small model given as rows (one row per unit, one layer). */
  public static PerUnitGradients ofRows(double[][] rows) {
    return new PerUnitGradients(List.of(org.nd4j.linalg.factory.Nd4j.createFromArray(rows)));
  }

  /** Number of units. */
  public int units() {
    return units;
  }

  /** Number of layers. */
  public int layers() {
    return layers.size();
  }

  /** Layer {@code l} as given. */
  public INDArray layer(int l) {
    return layers.get(l);
  }

  /**
   * Per-unit L2 norms over all layers: per layer the per-row sum of squares, summed across layers, then
   * the square root (double accumulation).
   */
  public double[] norms() {
    double[] sq = new double[units];
    for (INDArray a : layers) {
      INDArray cast = a.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
      INDArray m = cast.reshape(units, -1);
      INDArray squares = m.mul(m);
      INDArray rowSums = squares.sum(1);
      double[] s = rowSums.toDoubleVector();
      NativeMemory.close(squares, rowSums);
      NativeMemory.closeIfCopy(cast, a);
      for (int i = 0; i < units; i++) {
        sq[i] += s[i];
      }
    }
    for (int i = 0; i < units; i++) {
      sq[i] = Math.sqrt(sq[i]);
    }
    return sq;
  }
}
