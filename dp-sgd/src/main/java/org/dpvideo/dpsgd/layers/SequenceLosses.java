package org.dpvideo.dpsgd.layers;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Per-example loss vectors for {@link ModelBuilder#perExampleLoss}.
 *
 * <p>Written with elementary ops on purpose: SameDiff 1.0.0-M2.1's cross-entropy loss ops
 * ({@code sparseSoftmaxCrossEntropy}, {@code softmaxCrossEntropy} with reduction NONE) ignore the
 * gradient flowing into them in their backward pass, so any weighting or masking applied after them
 * (per-position weights, prefix masks) is silently dropped; {@code sd.nn.logSoftmax} breaks gradient
 * creation. Here the log-softmax is {@code x - max - log(sum(exp(x - max)))} and the target's
 * log-probability is picked with a one-hot mask.
 */
public final class SequenceLosses {
  private SequenceLosses() {}

  /** Row-wise {@code log softmax(logits)} for {@code logits: [rows, classes]}, numerically stable. */
  public static SDVariable logSoftmax(SameDiff sd, SDVariable logits) {
    SDVariable shifted = logits.sub(logits.max(true, 1));
    return shifted.sub(sd.math.log(sd.math.exp(shifted).sum(true, 1)));
  }

  /** Row-wise cross-entropy {@code -log softmax(logits)[label]}: {@code [rows]}. */
  private static SDVariable rowCrossEntropy(SameDiff sd, SDVariable logits, SDVariable labels, long classes) {
    VocabularyOps.ensureRegistered();
    SDVariable oneHot = sd.oneHot(labels, (int) classes, -1, 1.0, 0.0, DataType.FLOAT);
    return new ConstantMul(sd, logSoftmax(sd, logits), oneHot).outputVariable().sum(1).neg();
  }

  /**
   * Softmax cross-entropy of one label per example.
   *
   * @param logits {@code [B, classes]}
   * @param labels integer class ids {@code [B]}
   * @return {@code [B]}
   */
  public static SDVariable crossEntropy(SameDiff sd, SDVariable logits, SDVariable labels, long classes) {
    return rowCrossEntropy(sd, logits, sd.reshape(labels, -1), classes);
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
      int length, long vocabulary) {
    SDVariable perToken = rowCrossEntropy(sd, logits, sd.reshape(targets, -1), vocabulary);
    return new ConstantMul(sd, perToken, sd.reshape(weights, -1)).outputVariable().reshape(-1, length).sum(1);
  }
}
