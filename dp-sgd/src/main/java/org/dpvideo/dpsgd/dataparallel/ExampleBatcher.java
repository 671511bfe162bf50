package org.dpvideo.dpsgd.dataparallel;

import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns examples into a micro-batch's placeholders. Serializable: workers run it on their own
 * examples. {@link #STACK} stacks each placeholder's per-example values into {@code [n, shape...]};
 * a model with other needs (shared placeholders, padding) supplies its own.
 */
@FunctionalInterface
public interface ExampleBatcher extends Serializable {
  /**
   * @param examples the micro-batch's examples in order, not empty
   * @return placeholder arrays by name
   */
  Map<String, INDArray> placeholders(List<Example> examples);

  /**
   * The placeholders of a micro-batch of step {@code step}, for batchers whose inputs depend on the step
   * through a public, data-independent rule (e.g. a seeded per-step condition dropout). Workers call
   * this one; the default ignores the step.
   *
   * @param step the 0-based step the micro-batch belongs to
   * @param examples the micro-batch's examples in order, not empty
   * @return placeholder arrays by name
   */
  default Map<String, INDArray> placeholders(long step, List<Example> examples) {
    return placeholders(examples);
  }

  /** Stacks every placeholder's values into {@code [n, perExampleShape...]} (float or int). */
  ExampleBatcher STACK = ExampleBatcher::stack;

  private static Map<String, INDArray> stack(List<Example> examples) {
    if (examples.isEmpty()) {
      throw new IllegalArgumentException("a micro-batch needs at least one example");
    }
    Map<String, INDArray> out = new HashMap<>();
    for (Map.Entry<String, Feature> e : examples.get(0).features().entrySet()) {
      String name = e.getKey();
      long[] shape = e.getValue().shape();
      int per = e.getValue().length();
      long[] full = new long[shape.length + 1];
      full[0] = examples.size();
      System.arraycopy(shape, 0, full, 1, shape.length);
      if (e.getValue() instanceof Feature.Floats) {
        float[] all = new float[per * examples.size()];
        for (int i = 0; i < examples.size(); i++) {
          System.arraycopy(((Feature.Floats) feature(examples.get(i), name, per)).raw(), 0, all, i * per, per);
        }
        out.put(name, Nd4j.createFromArray(all).reshape(full));
      } else {
        int[] all = new int[per * examples.size()];
        for (int i = 0; i < examples.size(); i++) {
          System.arraycopy(((Feature.Ints) feature(examples.get(i), name, per)).raw(), 0, all, i * per, per);
        }
        out.put(name, Nd4j.createFromArray(all).reshape(full));
      }
    }
    return out;
  }

  private static Feature feature(Example ex, String name, int length) {
    Feature f = ex.features().get(name);
    if (f == null || f.length() != length) {
      throw new IllegalArgumentException("every example of a batch needs placeholder '" + name + "' with " + length
          + " values; one has " + (f == null ? "none" : f.length()) + ". Build every example with the same placeholders");
    }
    return f;
  }
}
