package org.dpvideo.finetune.train;

import java.util.Arrays;
import org.dpvideo.dpsgd.layers.DpModel;
import org.dpvideo.dpsgd.persample.ExampleLayout;
import org.dpvideo.dpsgd.persample.MicroBatch;
import org.dpvideo.dpsgd.persample.NormStrategy;
import org.dpvideo.dpsgd.persample.PerSampleEngine;
import org.dpvideo.finetune.model.VideoLm;

/**
 * Per-example gradient norms of the currently trainable parameters on PUBLIC examples, to choose the
 * clip norm C and Global-Adapt's initial bound Z0 without looking at private data (a clip norm tuned on
 * private gradients would be an unaccounted statistic of them; Abadi et al. 2016 suggest C near the
 * median norm). Not thread-safe (uses the model's graphs).
 */
public final class PublicNormProbe {
  private PublicNormProbe() {}

  /**
   * The sorted per-example norms of up to {@code max} examples.
   *
   * @param publicExamples examples of public data only
   */
  public static double[] norms(VideoLm model, TaskExamples publicExamples, int max) {
    int n = Math.min(max, publicExamples.size());
    if (n < 1) {
      throw new IllegalArgumentException("the norm probe needs at least one public example");
    }
    DpModel graph = model.trainingGraph(publicExamples.layout().inputLength(), publicExamples.layout().prefixLength());
    PerSampleEngine engine = new PerSampleEngine(graph, NormStrategy.AUTO, 256L << 20);
    double[] out = new double[n];
    int batch = 16;
    for (int from = 0; from < n; from += batch) {
      int m = Math.min(batch, n - from);
      int[] ids = new int[m];
      int[] units = new int[m];
      for (int i = 0; i < m; i++) {
        ids[i] = (int) ((long) (from + i) * publicExamples.size() / n);
        units[i] = i;
      }
      try (MicroBatch mb = engine.record(publicExamples.placeholders(ids, model.config()), ExampleLayout.of(units))) {
        System.arraycopy(mb.unitNorms(), 0, out, from, m);
      }
    }
    Arrays.sort(out);
    return out;
  }

  /** The q-quantile (0..1) of sorted values (nearest rank). */
  public static double quantile(double[] sorted, double q) {
    int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
    return sorted[i];
  }
}
