package org.dpvideo.dpsgd.layers;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The reference per-example gradients: one ordinary backward pass per example (batch of one), with
 * SameDiff's own parameter gradients for every parameter except embedding tables, whose gradient is the
 * gathered rows' gradient added into the table by a plain Java loop (SameDiff's gather backward
 * overwrites repeated ids instead of adding them).
 */
public final class BatchOfOneOracle {
  private BatchOfOneOracle() {}

  /** Per-example gradients: result.get(e).get(parameterName) is the flattened gradient in 'c' order. */
  public static List<Map<String, double[]>> perExample(DpModel model, Map<String, INDArray> batch, int examples) {
    List<String> grads = new ArrayList<>();
    List<String> outs = new ArrayList<>();
    for (LayerSite site : model.sites()) {
      if (site instanceof LayerSite.Embedding e) {
        grads.add(e.output());
        outs.add(e.ids());
      } else {
        for (Parameter p : site.parameters()) {
          grads.add(p.name());
        }
      }
    }
    List<Map<String, double[]>> result = new ArrayList<>();
    for (int ex = 0; ex < examples; ex++) {
      Map<String, double[]> g = new HashMap<>();
      try (GradientTape tape = model.backward(TinyModels.slice(batch, ex, ex + 1), outs, grads)) {
        for (LayerSite site : model.sites()) {
          if (site instanceof LayerSite.Embedding e) {
            int[] ids = tape.output(e.ids()).castTo(DataType.INT).toIntVector();
            double[] dy = tape.gradient(e.output()).castTo(DataType.DOUBLE).dup().data().asDouble();
            int d = (int) e.dim();
            double[] table = new double[(int) (e.vocabulary() * d)];
            for (int r = 0; r < ids.length; r++) {
              for (int j = 0; j < d; j++) {
                table[ids[r] * d + j] += dy[r * d + j];
              }
            }
            g.put(e.table().name(), table);
          } else {
            for (Parameter p : site.parameters()) {
              g.put(p.name(), tape.gradient(p.name()).castTo(DataType.DOUBLE).dup('c').data().asDouble());
            }
          }
        }
      }
      result.add(g);
    }
    return result;
  }
}
