package org.dpvideo.dpsgd.dataparallel;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One per-example placeholder value of an {@link Example}: a float or int tensor of the placeholder's
 * per-example shape, stored flat in 'c' order. Immutable (copies on the way in and out).
 */
public sealed interface Feature extends Serializable permits Feature.Floats, Feature.Ints {

  /** The per-example shape (empty for a scalar such as a class label). */
  long[] shape();

  /** The number of values. */
  int length();

  /** Float values. */
  record Floats(float[] values, long[] shape) implements Feature {
    public Floats {
      values = values.clone();
      shape = shape.clone();
      requireLength(values.length, shape);
    }

    @Override
    public float[] values() {
      return values.clone();
    }

    @Override
    public long[] shape() {
      return shape.clone();
    }

    @Override
    public int length() {
      return values.length;
    }

    float[] raw() {
      return values;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Floats f && Arrays.equals(values, f.values) && Arrays.equals(shape, f.shape);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(values) + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
      return "Floats" + Arrays.toString(shape);
    }
  }

  /** Int values (token ids, labels). */
  record Ints(int[] values, long[] shape) implements Feature {
    public Ints {
      values = values.clone();
      shape = shape.clone();
      requireLength(values.length, shape);
    }

    @Override
    public int[] values() {
      return values.clone();
    }

    @Override
    public long[] shape() {
      return shape.clone();
    }

    @Override
    public int length() {
      return values.length;
    }

    int[] raw() {
      return values;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Ints f && Arrays.equals(values, f.values) && Arrays.equals(shape, f.shape);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(values) + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
      return "Ints" + Arrays.toString(shape);
    }
  }

  private static void requireLength(int length, long[] shape) {
    long n = 1;
    for (long s : shape) {
      if (s < 1) {
        throw new IllegalArgumentException("feature shape entries must be >= 1, got " + Arrays.toString(shape));
      }
      n *= s;
    }
    if (n != length) {
      throw new IllegalArgumentException("a feature of shape " + Arrays.toString(shape) + " needs " + n + " values, got "
          + length);
    }
  }
}
