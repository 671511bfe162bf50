package org.dpvideo.finetune.eval;

import java.util.Map;
import org.dpvideo.dpsgd.layers.DpModel;
import org.dpvideo.finetune.model.VideoLm;
import org.dpvideo.finetune.train.TaskExamples;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Per-token negative log-likelihood (nats) of the output tokens of every example of a task group, from
 * the group's training graph with per-example weights 1/n_out and no condition dropout: the mean over
 * the example's output tokens of {@code -log p(token | everything before it)}. Perplexity is
 * {@code exp(NLL)}. Forward passes only; the model is not changed. Not thread-safe (uses the model's
 * graphs).
 */
public final class NllEvaluator {
  private NllEvaluator() {}

  /**
   * The NLL of every example, in order.
   *
   * @param batchSize examples per forward pass
   */
  public static double[] perExample(VideoLm model, TaskExamples examples, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
    }
    DpModel graph = model.trainingGraph(examples.layout().inputLength(), examples.layout().prefixLength());
    double[] out = new double[examples.size()];
    for (int from = 0; from < out.length; from += batchSize) {
      int n = Math.min(batchSize, out.length - from);
      int[] ids = new int[n];
      for (int i = 0; i < n; i++) {
        ids[i] = from + i;
      }
      Map<String, INDArray> ph = examples.placeholders(ids, model.config());
      INDArray loss = graph.output(ph, graph.perExampleLoss()).get(graph.perExampleLoss());
      double[] v = loss.toDoubleVector();
      System.arraycopy(v, 0, out, from, n);
      loss.close();
    }
    return out;
  }

  /** The mean of {@code values}. */
  public static double mean(double[] values) {
    double s = 0;
    for (double v : values) {
      s += v;
    }
    return values.length == 0 ? Double.NaN : s / values.length;
  }
}
