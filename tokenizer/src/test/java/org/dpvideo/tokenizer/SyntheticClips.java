package org.dpvideo.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.dpvideo.tokenizer.video.Clip;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Deterministic synthetic clips drawn in Java: coloured squares moving over a flat background. */
public final class SyntheticClips {
  private SyntheticClips() {}

  /** {@code n} clips of {@code frames x size x size}, seeded. */
  public static List<Clip> movingSquares(int n, int frames, int size, long seed) {
    Random rng = new Random(seed);
    List<Clip> out = new ArrayList<>();
    for (int c = 0; c < n; c++) {
      float[] bg = {rng.nextFloat(), rng.nextFloat(), rng.nextFloat()};
      float[] fg = {rng.nextFloat(), rng.nextFloat(), rng.nextFloat()};
      int side = size / 4 + rng.nextInt(size / 4);
      int x0 = rng.nextInt(size - side);
      int y0 = rng.nextInt(size - side);
      int vx = rng.nextInt(3) - 1;
      int vy = rng.nextInt(3) - 1;
      float[] v = new float[frames * size * size * 3];
      for (int t = 0; t < frames; t++) {
        int x = Math.floorMod(x0 + vx * t, size - side);
        int y = Math.floorMod(y0 + vy * t, size - side);
        for (int i = 0; i < size; i++) {
          for (int j = 0; j < size; j++) {
            boolean in = i >= y && i < y + side && j >= x && j < x + side;
            float[] col = in ? fg : bg;
            int o = ((t * size + i) * size + j) * 3;
            v[o] = col[0];
            v[o + 1] = col[1];
            v[o + 2] = col[2];
          }
        }
      }
      out.add(new Clip(Nd4j.create(v, new long[] {frames, size, size, 3}, DataType.FLOAT), 8.0));
    }
    return out;
  }
}
