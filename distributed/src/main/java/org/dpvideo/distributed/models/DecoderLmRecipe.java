package org.dpvideo.distributed.models;

import org.dpvideo.dpsgd.dataparallel.ModelRecipe;
import org.dpvideo.dpsgd.layers.DecoderLm;
import org.dpvideo.dpsgd.layers.DpModel;

/**
 * The engine's prefix decoder LM ({@link DecoderLm}) as a recipe: placeholders {@code tokens},
 * {@code targets} (int [B, T]) and {@code weights} (float [B, T]); LoRA adapters only are trained
 * when {@code loraRank > 0}, every parameter otherwise.
 */
public record DecoderLmRecipe(int vocabulary, int length, int width, int heads, int layers, int prefix, int loraRank,
    long seed) implements ModelRecipe {
  public DecoderLmRecipe {
    config(vocabulary, length, width, heads, layers, prefix, loraRank);
  }

  private static DecoderLm.Config config(int v, int t, int d, int h, int l, int p, int r) {
    return new DecoderLm.Config(v, t, d, h, l, p, r);
  }

  /** The model's sizes. */
  public DecoderLm.Config config() {
    return config(vocabulary, length, width, heads, layers, prefix, loraRank);
  }

  @Override
  public DpModel build() {
    return DecoderLm.build(config(), seed);
  }

  @Override
  public String describe() {
    return "decoder LM V=" + vocabulary + " T=" + length + " d=" + width + " layers=" + layers
        + (loraRank > 0 ? " LoRA r=" + loraRank : "");
  }
}
