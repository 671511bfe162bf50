package org.dpvideo.dpsgd.optim;

/**
 * The update rule and its hyper-parameters. Hyper-parameters chosen by looking at private data are
 * not covered by the privacy guarantee (see docs/privacy-model.md).
 */
public sealed interface OptimizerConfig permits OptimizerConfig.Sgd, OptimizerConfig.Adam {

  /** The learning rate. */
  double learningRate();

  /**
   * SGD with (heavy-ball) momentum: {@code v <- mu v + g; p <- p - lr (v + wd p)}; {@code mu = 0} is
   * plain SGD, the rule of the fairness spec's experiments.
   *
   * @param learningRate finite and &gt; 0
   * @param momentum in [0, 1)
   * @param weightDecay finite and &gt;= 0 (L2, added to the gradient)
   */
  record Sgd(double learningRate, double momentum, double weightDecay) implements OptimizerConfig {
    public Sgd {
      Configs.positive("learning rate", learningRate);
      if (!(momentum >= 0 && momentum < 1)) {
        throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
      }
      Configs.nonNegative("weight decay", weightDecay);
    }
  }

  /**
   * Adam (Kingma and Ba 2015, in the efficient form of their section 2) with decoupled weight decay
   * (AdamW, Loshchilov and Hutter 2019): {@code m <- b1 m + (1-b1) g; v <- b2 v + (1-b2) g^2;
   * p <- p (1 - lr wd) - lr_t m / (sqrt(v) + eps)} with {@code lr_t = lr sqrt(1-b2^t) / (1-b1^t)}.
   *
   * @param learningRate finite and &gt; 0
   * @param beta1 in [0, 1)
   * @param beta2 in [0, 1)
   * @param epsilon finite and &gt; 0
   * @param weightDecay decoupled weight decay, finite and &gt;= 0 (0 = Adam)
   */
  record Adam(double learningRate, double beta1, double beta2, double epsilon, double weightDecay) implements OptimizerConfig {
    public Adam {
      Configs.positive("learning rate", learningRate);
      if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
        throw new IllegalArgumentException("Adam betas must be in [0, 1), got beta1 = " + beta1 + ", beta2 = " + beta2);
      }
      Configs.positive("epsilon", epsilon);
      Configs.nonNegative("weight decay", weightDecay);
    }
  }

  /** Plain SGD. */
  static Sgd sgd(double learningRate) {
    return new Sgd(learningRate, 0, 0);
  }

  /** SGD with momentum. */
  static Sgd sgdMomentum(double learningRate, double momentum) {
    return new Sgd(learningRate, momentum, 0);
  }

  /** Adam with betas 0.9, 0.999 and epsilon 1e-8. */
  static Adam adam(double learningRate) {
    return new Adam(learningRate, 0.9, 0.999, 1e-8, 0);
  }

  /** AdamW with betas 0.9, 0.999, epsilon 1e-8 and the given decoupled weight decay. */
  static Adam adamW(double learningRate, double weightDecay) {
    return new Adam(learningRate, 0.9, 0.999, 1e-8, weightDecay);
  }
}
