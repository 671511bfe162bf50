package org.dpvideo.dpsgd.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dpvideo.dpsgd.layers.Parameter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;

/** The in-place update math shared by both optimizers. */
final class UpdateRule {
  private final OptimizerConfig config;
  private final List<Parameter> parameters;
  private final Map<String, INDArray> state = new LinkedHashMap<>();
  private final Map<String, GradientUpdater<?>> adam = new LinkedHashMap<>();
  private long iterations;

  UpdateRule(OptimizerConfig config, List<Parameter> parameters) {
    this.config = config;
    this.parameters = List.copyOf(parameters);
    for (Parameter p : parameters) {
      if (config instanceof OptimizerConfig.Sgd s && s.momentum() > 0) {
        state.put(p.name(), Nd4j.zeros(DataType.FLOAT, p.shape()));
      } else if (config instanceof OptimizerConfig.Adam a) {
        INDArray view = Nd4j.zeros(DataType.FLOAT, 1, 2 * p.length());
        state.put(p.name(), view);
        org.nd4j.linalg.learning.AdamUpdater u = new org.nd4j.linalg.learning.AdamUpdater(
            new org.nd4j.linalg.learning.config.Adam(a.learningRate(), a.beta1(), a.beta2(), a.epsilon()));
        u.setStateViewArray(view, p.shape(), 'c', true);
        adam.put(p.name(), u);
      }
    }
  }

  List<Parameter> parameters() {
    return parameters;
  }

  /** Applies gradients (modified in place) to the parameters. */
  void apply(Map<String, INDArray> gradients) {
    if (gradients.size() != parameters.size()) {
      throw new IllegalArgumentException("the gradient has " + gradients.size() + " parameters, the optimizer "
          + parameters.size() + "; create the optimizer for the same trainable parameters");
    }
    for (Parameter p : parameters) {
      INDArray g = gradients.get(p.name());
      if (g == null || !java.util.Arrays.equals(g.shape(), p.shape())) {
        throw new IllegalArgumentException("no gradient of shape " + java.util.Arrays.toString(p.shape()) + " for parameter '"
            + p.name() + "'");
      }
    }
    for (Parameter p : parameters) {
      INDArray g = gradients.get(p.name());
      INDArray w = p.value();
      if (config instanceof OptimizerConfig.Sgd s) {
        if (s.weightDecay() > 0) {
          Nd4j.getBlasWrapper().level1().axpy(w.length(), s.weightDecay(), w, g);
        }
        INDArray step = g;
        if (s.momentum() > 0) {
          INDArray v = state.get(p.name());
          v.muli(s.momentum()).addi(g);
          step = v;
        }
        Nd4j.getBlasWrapper().level1().axpy(w.length(), -s.learningRate(), step, w);
      } else if (config instanceof OptimizerConfig.Adam a) {
        if (a.weightDecay() > 0) {
          w.muli(1 - a.learningRate() * a.weightDecay());
        }
        adam.get(p.name()).applyUpdater(g, (int) Math.min(Integer.MAX_VALUE, iterations), 0);
        w.subi(g);
      }
    }
    iterations++;
  }

  long iterations() {
    return iterations;
  }

  Map<String, INDArray> state() {
    return java.util.Collections.unmodifiableMap(state);
  }

  void restore(long iterations, Map<String, INDArray> saved) {
    for (var e : state.entrySet()) {
      INDArray s = saved.get(e.getKey());
      if (s == null || !java.util.Arrays.equals(s.shape(), e.getValue().shape())) {
        throw new IllegalArgumentException("the saved optimizer state has no array of shape "
            + java.util.Arrays.toString(e.getValue().shape()) + " for '" + e.getKey() + "'");
      }
      e.getValue().assign(s);
    }
    this.iterations = iterations;
  }
}
