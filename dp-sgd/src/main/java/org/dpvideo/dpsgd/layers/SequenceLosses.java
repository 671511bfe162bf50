package org.dpvideo.dpsgd.layers;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/** Per-example loss vectors for {@link ModelBuilder#perExampleLoss}. */
public final class SequenceLosses {
  private SequenceLosses() {}

  /**
   * Softmax cross-entropy of one label per example.
   *
   * @param logits {@code [B, classes]}
   * @param labels integer class ids {@code [B]}
   * @return {@code [B]}
   */
  public static SDVariable crossEntropy(SameDiff sd, SDVariable logits, SDVariable labels) {
    return sd.loss.sparseSoftmaxCrossEntropy(logits, labels);
  }

  /**
   * Weighted token cross-entropy per example: {@code loss_e = sum_t w_{e,t} CE(logits_{e,t}, target_{e,t})}.
   * Weights select and scale positions: 0 on the prefix (condition) positions and padding, for example
   * {@code 1/n_e} on example e's n_e output positions for a per-example mean.
   *
   * @param logits {@code [B*T, vocabulary]}
   * @param targets integer ids {@code [B, T]}
   * @param weights float {@code [B, T]}
   * @param length T
   * @return {@code [B]}
   */
  public static SDVariable tokenCrossEntropy(SameDiff sd, SDVariable logits, SDVariable targets, SDVariable weights,
      int length) {
    SDVariable perToken = sd.loss.sparseSoftmaxCrossEntropy(logits, sd.reshape(targets, -1));
    return perToken.mul(sd.reshape(weights, -1)).reshape(-1, length).sum(1);
  }
}
