package org.dpvideo.tokenizer.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.dpvideo.tokenizer.TokenGrid;
import org.dpvideo.tokenizer.VideoTokenizer;
import org.dpvideo.tokenizer.dataset.ManifestRow;
import org.dpvideo.tokenizer.video.Clip;

/**
 * Encodes and decodes clips with a tokenizer and reports {@link TokenizerEvaluation}: PSNR and SSIM
 * (per clip, then averaged overall and per group), code usage and perplexity, and throughput.
 *
 * <p>Stateless and thread-safe (as far as the tokenizer is).
 */
public final class TokenizerEvaluator {
  private TokenizerEvaluator() {}

  /**
   * Evaluates {@code tokenizer} on {@code clips}.
   *
   * @param rows the manifest row of each clip (for groups), or {@code null}
   * @param groupColumn the group name to break down by (without {@code group:}), or {@code null}
   */
  public static TokenizerEvaluation evaluate(VideoTokenizer tokenizer, List<Clip> clips, List<ManifestRow> rows,
      String groupColumn) {
    if (clips.isEmpty()) {
      throw new IllegalArgumentException("evaluation needs at least one clip.");
    }
    int frames = 0;
    for (Clip c : clips) {
      frames += c.frameCount();
    }
    tokenizer.encodeBatch(clips.subList(0, 1)); // warm-up (graph creation) outside the timing
    long t0 = System.nanoTime();
    List<TokenGrid> grids = tokenizer.encodeBatch(clips);
    double encodeSeconds = (System.nanoTime() - t0) / 1e9;
    tokenizer.decodeBatch(grids.subList(0, 1), clips.get(0).fps());
    t0 = System.nanoTime();
    List<Clip> rec = tokenizer.decodeBatch(grids, clips.get(0).fps());
    double decodeSeconds = (System.nanoTime() - t0) / 1e9;

    double[] psnr = new double[clips.size()];
    double[] ssim = new double[clips.size()];
    for (int i = 0; i < clips.size(); i++) {
      psnr[i] = ReconstructionMetrics.psnr(clips.get(i), rec.get(i));
      ssim[i] = ReconstructionMetrics.ssim(clips.get(i), rec.get(i));
    }
    Map<String, List<Integer>> groups = new TreeMap<>();
    if (rows != null && groupColumn != null) {
      for (int i = 0; i < rows.size(); i++) {
        String label = rows.get(i).group(groupColumn);
        groups.computeIfAbsent(label == null ? "(none)" : label, k -> new ArrayList<>()).add(i);
      }
    }
    Map<String, TokenizerEvaluation.GroupQuality> perGroup = new TreeMap<>();
    for (Map.Entry<String, List<Integer>> e : groups.entrySet()) {
      perGroup.put(e.getKey(), new TokenizerEvaluation.GroupQuality(e.getValue().size(),
          mean(psnr, e.getValue()), mean(ssim, e.getValue())));
    }
    long[] hist = new long[tokenizer.vocabSize()];
    long total = 0;
    for (TokenGrid g : grids) {
      for (int id : g.ids()) {
        hist[id]++;
        total++;
      }
    }
    int used = 0;
    double entropy = 0;
    for (long h : hist) {
      if (h > 0) {
        used++;
        double p = (double) h / total;
        entropy -= p * Math.log(p);
      }
    }
    return new TokenizerEvaluation(tokenizer.version(), specKey(clips.get(0)), clips.size(),
        mean(psnr, null), mean(ssim, null), perGroup, (double) used / tokenizer.vocabSize(), Math.exp(entropy),
        frames / Math.max(1e-9, encodeSeconds), frames / Math.max(1e-9, decodeSeconds));
  }

  private static String specKey(Clip c) {
    return c.frameCount() + "x" + c.height() + "x" + c.width() + "@" + c.fps();
  }

  private static double mean(double[] v, List<Integer> idx) {
    double s = 0;
    if (idx == null) {
      for (double x : v) {
        s += x;
      }
      return s / v.length;
    }
    for (int i : idx) {
      s += v[i];
    }
    return s / idx.size();
  }
}
