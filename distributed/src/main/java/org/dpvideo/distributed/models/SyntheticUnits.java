package org.dpvideo.distributed.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.dpvideo.dpsgd.dataparallel.Example;
import org.dpvideo.dpsgd.dataparallel.Feature;
import org.dpvideo.dpsgd.dataparallel.UnitRecord;
import org.dpvideo.dpsgd.layers.DecoderLm;

/**
 * Deterministic synthetic privacy units for tests and benchmarks (random data, not a real task).
 */
public final class SyntheticUnits {
  private SyntheticUnits() {}

  /**
   * Units of MLP examples: Gaussian features (std 2), label = argmax of the first {@code classes}
   * features (a learnable task).
   *
   * @param units N
   * @param examplesPerUnit the examples of unit u: {@code 1 + u % examplesPerUnit} (1 for example-level units)
   * @param groups 0 for none, else unit u is in group {@code u % groups}
   */
  public static List<UnitRecord> mlp(MlpRecipe recipe, int units, int examplesPerUnit, int groups, long seed) {
    Random r = new Random(seed);
    List<UnitRecord> out = new ArrayList<>(units);
    for (int u = 0; u < units; u++) {
      List<Example> ex = new ArrayList<>();
      int k = 1 + u % examplesPerUnit;
      for (int i = 0; i < k; i++) {
        float[] f = new float[recipe.features()];
        int best = 0;
        for (int j = 0; j < f.length; j++) {
          f[j] = (float) (r.nextGaussian() * 2);
          if (j < recipe.classes() && f[j] > f[best]) {
            best = j;
          }
        }
        ex.add(new Example(Map.of("features", new Feature.Floats(f, new long[] {f.length}),
            "labels", new Feature.Ints(new int[] {best}, new long[0]))));
      }
      out.add(new UnitRecord(u, groups == 0 ? UnitRecord.NO_GROUP : u % groups, ex));
    }
    return out;
  }

  /** Units of one random token sequence each for the decoder LM (next-token targets, prefix weight 0). */
  public static List<UnitRecord> decoderLm(DecoderLmRecipe recipe, int units, long seed) {
    DecoderLm.Config c = recipe.config();
    Random r = new Random(seed);
    int t = c.length();
    List<UnitRecord> out = new ArrayList<>(units);
    for (int u = 0; u < units; u++) {
      int[] tokens = new int[t];
      int[] targets = new int[t];
      float[] w = new float[t];
      for (int i = 0; i < t; i++) {
        tokens[i] = r.nextInt(c.vocabulary());
      }
      for (int i = 0; i < t; i++) {
        targets[i] = i + 1 < t ? tokens[i + 1] : r.nextInt(c.vocabulary());
        w[i] = i < c.prefix() ? 0f : 1f / (t - c.prefix());
      }
      long[] shape = {t};
      out.add(new UnitRecord(u, UnitRecord.NO_GROUP, List.of(new Example(Map.of("tokens", new Feature.Ints(tokens, shape),
          "targets", new Feature.Ints(targets, shape), "weights", new Feature.Floats(w, shape))))));
    }
    return out;
  }
}
