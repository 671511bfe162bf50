package org.dpvideo.dpsgd.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.dpvideo.dpsgd.layers.DpModel;
import org.dpvideo.dpsgd.layers.Parameter;
import org.dpvideo.dpsgd.layers.TinyModels;
import org.dpvideo.dpsgd.step.NonPrivateGradient;
import org.dpvideo.dpsgd.step.NonPrivateStep;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The update rules against the formulas computed in double, through the non-private path. */
class OptimizerTest {

  private static double[] d(INDArray a) {
    return a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
  }

  @Test
  void adamW_twoSteps_matchTheFormula() {
    DpModel model = TinyModels.mlp(1);
    NonPrivateStep step = new NonPrivateStep(model);
    Parameter p = model.parameters().get("out.weight");
    OptimizerConfig.Adam cfg = new OptimizerConfig.Adam(0.01, 0.9, 0.99, 1e-6, 0.1);
    NonPrivateOptimizer opt = new NonPrivateOptimizer(cfg, step.trainable());
    double[] w = d(p.value());
    double[] m = new double[w.length];
    double[] v = new double[w.length];
    for (int t = 1; t <= 2; t++) {
      NonPrivateGradient g = step.gradient(TinyModels.mlpBatch(5, t));
      double[] grad = d(g.values().get(p.name()));
      opt.apply(g);
      for (int i = 0; i < w.length; i++) {
        m[i] = 0.9 * m[i] + 0.1 * grad[i];
        v[i] = 0.99 * v[i] + 0.01 * grad[i] * grad[i];
        // Kingma and Ba's efficient form (section 2), as ND4J computes it.
        double lrT = 0.01 * Math.sqrt(1 - Math.pow(0.99, t)) / (1 - Math.pow(0.9, t));
        w[i] = w[i] * (1 - 0.01 * 0.1) - lrT * m[i] / (Math.sqrt(v[i]) + 1e-6);
      }
    }
    double[] actual = d(p.value());
    for (int i = 0; i < w.length; i++) {
      assertEquals(w[i], actual[i], 1e-5, "weight " + i);
    }
  }

  @Test
  void sgdMomentum_twoSteps_matchTheFormula() {
    DpModel model = TinyModels.mlp(2);
    NonPrivateStep step = new NonPrivateStep(model);
    Parameter p = model.parameters().get("hidden1.bias");
    NonPrivateOptimizer opt = new NonPrivateOptimizer(new OptimizerConfig.Sgd(0.1, 0.9, 0.01), step.trainable());
    double[] w = d(p.value());
    double[] vel = new double[w.length];
    for (int t = 1; t <= 2; t++) {
      NonPrivateGradient g = step.gradient(TinyModels.mlpBatch(4, 10 + t));
      double[] grad = d(g.values().get(p.name()));
      opt.apply(g);
      for (int i = 0; i < w.length; i++) {
        double gi = grad[i] + 0.01 * w[i];
        vel[i] = 0.9 * vel[i] + gi;
        w[i] -= 0.1 * vel[i];
      }
    }
    double[] actual = d(p.value());
    for (int i = 0; i < w.length; i++) {
      assertEquals(w[i], actual[i], 1e-6);
    }
  }

  @Test
  void gradient_appliedTwice_isRejected() {
    DpModel model = TinyModels.mlp(3);
    NonPrivateStep step = new NonPrivateStep(model);
    NonPrivateOptimizer opt = new NonPrivateOptimizer(OptimizerConfig.sgd(0.1), step.trainable());
    NonPrivateGradient g = step.gradient(TinyModels.mlpBatch(3, 1));
    opt.apply(g);
    assertThrows(IllegalStateException.class, () -> opt.apply(g));
  }

  @Test
  void configs_invalidValues_areRejected() {
    assertThrows(IllegalArgumentException.class, () -> OptimizerConfig.sgd(0));
    assertThrows(IllegalArgumentException.class, () -> new OptimizerConfig.Sgd(0.1, 1.0, 0));
    assertThrows(IllegalArgumentException.class, () -> new OptimizerConfig.Adam(0.1, 0.9, 1.0, 1e-8, 0));
  }
}
