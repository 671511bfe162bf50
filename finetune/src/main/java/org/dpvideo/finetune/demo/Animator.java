package org.dpvideo.finetune.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.dpvideo.finetune.model.CachedDecoder;
import org.dpvideo.finetune.model.VideoLm;
import org.dpvideo.finetune.model.Vocabulary;
import org.dpvideo.finetune.task.TaskLayout;
import org.dpvideo.finetune.task.TaskPrompts;
import org.dpvideo.tokenizer.TokenGrid;

/**
 * Temperature and top-k sampling of the output video of a task prompt through the model's KV-cache
 * decoder, restricted to video codes (the output of every task is video), in batches of prompts of one
 * layout. The demo's sampler for sample GIFs; the full sampler (guidance, collapse metrics) lives in
 * {@code org.dpvideo.finetune.sample}. Not thread-safe.
 */
final class Animator {
  private Animator() {}

  static List<TokenGrid> sample(VideoLm model, TaskLayout layout, List<int[]> prefixes, double temperature, int topK,
      long seed) {
    Vocabulary vocab = model.vocabulary();
    CachedDecoder decoder = new CachedDecoder(model, layout.sequenceLength());
    Random rng = new Random(seed);
    int n = prefixes.size();
    int[][] out = new int[n][layout.outputTokens()];
    try (CachedDecoder.BatchSession session = decoder.startBatch(prefixes.toArray(new int[0][]))) {
      for (int pos = 0; pos < layout.outputTokens(); pos++) {
        float[][] logits = session.logits();
        int[] next = new int[n];
        for (int b = 0; b < n; b++) {
          next[b] = vocab.textSize() + draw(logits[b], vocab.textSize(), temperature, topK, rng);
          out[b][pos] = next[b];
        }
        if (pos + 1 < layout.outputTokens()) {
          session.append(next);
        }
      }
    }
    List<TokenGrid> grids = new ArrayList<>();
    for (int b = 0; b < n; b++) {
      grids.add(TaskPrompts.outputGrid(layout, vocab, prefixes.get(b), out[b]));
    }
    return grids;
  }

  /** A code drawn from softmax(logits[offset..] / T) over the top k codes. */
  static int draw(float[] logits, int offset, double temperature, int topK, Random rng) {
    int n = logits.length - offset;
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    java.util.Arrays.sort(idx, (a, b) -> Float.compare(logits[offset + b], logits[offset + a]));
    int k = Math.min(topK, n);
    if (temperature <= 0) {
      return idx[0];
    }
    double max = logits[offset + idx[0]];
    double[] p = new double[k];
    double z = 0;
    for (int i = 0; i < k; i++) {
      p[i] = Math.exp((logits[offset + idx[i]] - max) / temperature);
      z += p[i];
    }
    double u = rng.nextDouble() * z;
    for (int i = 0; i < k; i++) {
      u -= p[i];
      if (u <= 0) {
        return idx[i];
      }
    }
    return idx[k - 1];
  }
}
