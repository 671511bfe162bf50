package org.dpvideo.finetune;

import java.util.function.IntFunction;
import org.dpvideo.tokenizer.video.Clip;
import org.dpvideo.tokenizer.vq.PatchVqTokenizer;
import org.dpvideo.tokenizer.vq.VqConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Hand-built clips and tokenizers for tests. */
public final class TestClips {
  private TestClips() {}

  /** A pixel function: (t, y, x) to {r, g, b} in [0, 1]. */
  @FunctionalInterface
  public interface Pixels {
    float[] rgb(int t, int y, int x);
  }

  /** A clip of {@code frames x h x w} from a pixel function, at 8 fps. */
  public static Clip of(int frames, int h, int w, Pixels pixels) {
    float[] v = new float[frames * h * w * 3];
    for (int t = 0; t < frames; t++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          float[] c = pixels.rgb(t, y, x);
          int o = ((t * h + y) * w + x) * 3;
          v[o] = c[0];
          v[o + 1] = c[1];
          v[o + 2] = c[2];
        }
      }
    }
    return new Clip(Nd4j.create(v, new long[] {frames, h, w, 3}, DataType.FLOAT), 8.0);
  }

  /** A clip whose frame t is the flat grey {@code level.apply(t)}. */
  public static Clip flat(int frames, int h, int w, IntFunction<Float> level) {
    return of(frames, h, w, (t, y, x) -> {
      float g = level.apply(t);
      return new float[] {g, g, g};
    });
  }

  /**
   * A VQ tokenizer with {@code codes} flat colours: code {@code k} decodes to grey {@code k / (codes - 1)}
   * in every pixel of its 4x4x2 tube.
   */
  public static PatchVqTokenizer flatCodebook(int codes) {
    VqConfig cfg = new VqConfig(codes, 4, 2, 0, Math.max(codes, 16), 1L);
    int dim = 2 * 4 * 4 * 3;
    float[] book = new float[codes * dim];
    for (int k = 0; k < codes; k++) {
      java.util.Arrays.fill(book, k * dim, (k + 1) * dim, (float) k / (codes - 1));
    }
    return new PatchVqTokenizer(cfg, Nd4j.create(book, new long[] {codes, dim}, DataType.FLOAT));
  }
}
