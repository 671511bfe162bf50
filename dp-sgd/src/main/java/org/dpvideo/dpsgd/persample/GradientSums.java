package org.dpvideo.dpsgd.persample;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dpvideo.dpsgd.layers.Parameter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One float32 accumulator per trainable parameter, shaped like it; allocated once and reused across
 * steps. Not thread-safe.
 */
public final class GradientSums {
  private final LinkedHashMap<String, INDArray> sums = new LinkedHashMap<>();
  private final long dimension;

  /** Zeroed accumulators for the given parameters. */
  public GradientSums(List<Parameter> parameters) {
    long d = 0;
    for (Parameter p : parameters) {
      sums.put(p.name(), Nd4j.createUninitializedDetached(DataType.FLOAT, p.shape()).assign(0));
      d += p.length();
    }
    this.dimension = d;
  }

  /** The accumulator of a parameter. */
  public INDArray get(String parameter) {
    INDArray a = sums.get(parameter);
    if (a == null) {
      throw new IllegalArgumentException("no accumulator for parameter '" + parameter + "'; accumulators: " + sums.keySet());
    }
    return a;
  }

  /** Whether there is an accumulator for the parameter. */
  public boolean has(String parameter) {
    return sums.containsKey(parameter);
  }

  /** Accumulators by parameter name, in parameter order. */
  public Map<String, INDArray> asMap() {
    return Collections.unmodifiableMap(sums);
  }

  /** Sets every accumulator to zero. */
  public void zero() {
    for (INDArray a : sums.values()) {
      a.assign(0);
    }
  }

  /** The total number of coordinates P. */
  public long dimension() {
    return dimension;
  }

  /** Direct float views of every accumulator, in parameter order (for the noise mechanism). */
  public List<FloatBuffer> buffers() {
    List<FloatBuffer> out = new ArrayList<>();
    for (INDArray a : sums.values()) {
      FloatBuffer b = a.data().asNioFloat();
      b.position((int) a.offset());
      b.limit((int) (a.offset() + a.length()));
      out.add(b);
    }
    return out;
  }

  /** The squared L2 norm of all accumulators together, in double. */
  public double squaredNorm() {
    double s = 0;
    for (INDArray a : sums.values()) {
      double n = a.norm2Number().doubleValue();
      s += n * n;
    }
    return s;
  }

  /** Copies of every accumulator as flat 'c'-order float arrays, in parameter order (to send elsewhere). */
  public float[][] toArrays() {
    List<FloatBuffer> b = buffers();
    float[][] out = new float[b.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = new float[b.get(i).remaining()];
      b.get(i).get(out[i]);
    }
    return out;
  }
}
