package org.dpvideo.fairness.misalignment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A vector over all trainable parameters kept as one piece per layer (never concatenated), in double
 * precision. Dot products and norms accumulate layer by layer.
 *
 * <p>Immutable by contract: the pieces are private copies and are never modified.
 */
public final class LayeredVector {
  private final List<INDArray> pieces;

  private LayeredVector(List<INDArray> pieces) {
    this.pieces = pieces;
  }

  /** A vector from per-layer arrays of any shape (each flattened, copied, cast to double). */
  public static LayeredVector of(List<INDArray> layers) {
    Objects.requireNonNull(layers, "layers");
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("a layered vector needs at least one layer, got none");
    }
    List<INDArray> copy = new ArrayList<>(layers.size());
    for (INDArray a : layers) {
      Objects.requireNonNull(a, "layer");
      copy.add(a.castTo(DataType.DOUBLE).dup().reshape(a.length()));
    }
    return new LayeredVector(List.copyOf(copy));
  }

  /** A vector from per-layer double arrays. */
  public static LayeredVector of(double[]... layers) {
    List<INDArray> l = new ArrayList<>();
    for (double[] d : layers) {
      l.add(Nd4j.createFromArray(d.clone()));
    }
    return new LayeredVector(List.copyOf(l));
  }

  static LayeredVector wrap(List<INDArray> pieces) {
    return new LayeredVector(List.copyOf(pieces));
  }

  /** Number of layers. */
  public int layers() {
    return pieces.size();
  }

  /** Number of entries of layer {@code l}. */
  public long layerSize(int l) {
    return pieces.get(l).length();
  }

  /** Layer {@code l} as a 1-D double array (a copy). */
  public INDArray layer(int l) {
    return pieces.get(l).dup();
  }

  INDArray piece(int l) {
    return pieces.get(l);
  }

  /** The inner product, accumulated layer by layer. */
  public double dot(LayeredVector other) {
    requireSameShape(other);
    double s = 0;
    for (int l = 0; l < pieces.size(); l++) {
      s += pieces.get(l).mul(other.pieces.get(l)).sumNumber().doubleValue();
    }
    return s;
  }

  /** The Euclidean norm. */
  public double norm() {
    return Math.sqrt(dot(this));
  }

  /** {@code a * this + b * other}. */
  public LayeredVector linear(double a, LayeredVector other, double b) {
    requireSameShape(other);
    List<INDArray> out = new ArrayList<>();
    for (int l = 0; l < pieces.size(); l++) {
      out.add(pieces.get(l).mul(a).addi(other.pieces.get(l).mul(b)));
    }
    return new LayeredVector(List.copyOf(out));
  }

  /** {@code a * this}. */
  public LayeredVector scale(double a) {
    List<INDArray> out = new ArrayList<>();
    for (INDArray p : pieces) {
      out.add(p.mul(a));
    }
    return new LayeredVector(List.copyOf(out));
  }

  /** All entries concatenated (for tests and small models only). */
  public double[] toDoubleArray() {
    long total = 0;
    for (INDArray p : pieces) {
      total += p.length();
    }
    if (total > Integer.MAX_VALUE) {
      throw new IllegalStateException("vector of " + total + " entries is too large for one Java array");
    }
    double[] out = new double[(int) total];
    int off = 0;
    for (INDArray p : pieces) {
      double[] d = p.toDoubleVector();
      System.arraycopy(d, 0, out, off, d.length);
      off += d.length;
    }
    return out;
  }

  /** Whether {@code other} has the same layer sizes. */
  public boolean sameShape(LayeredVector other) {
    if (other.pieces.size() != pieces.size()) {
      return false;
    }
    for (int l = 0; l < pieces.size(); l++) {
      if (other.pieces.get(l).length() != pieces.get(l).length()) {
        return false;
      }
    }
    return true;
  }

  void requireSameShape(LayeredVector other) {
    if (!sameShape(other)) {
      throw new IllegalArgumentException("layered vectors differ in layout: " + sizes() + " vs " + other.sizes()
          + "; both must cover the same parameters in the same layer order");
    }
  }

  /** The layer sizes. */
  public List<Long> sizes() {
    return pieces.stream().map(INDArray::length).toList();
  }

  @Override
  public String toString() {
    return pieces.size() <= 3 && pieces.stream().allMatch(p -> p.length() <= 8)
        ? "LayeredVector" + Arrays.toString(toDoubleArray()) : "LayeredVector" + sizes();
  }
}
