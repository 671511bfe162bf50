package org.dpvideo.tokenizer.video;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A short RGB video as one ND4J array of shape {@code [frames, height, width, 3]}, float32 values in
 * [0, 1], with its frame rate. An image is a one-frame clip.
 *
 * <p>Immutable by convention: the array is not copied, so callers must not modify it after handing it
 * over (use {@link #copy()}). Not thread-safe for concurrent mutation of the array; reads are safe.
 */
public final class Clip {
  private final INDArray frames;
  private final double fps;

  /**
   * @param frames array {@code [T, H, W, 3]}, float32, values in [0, 1]
   * @param fps frames per second, finite and positive
   */
  public Clip(INDArray frames, double fps) {
    if (frames == null || frames.rank() != 4 || frames.size(3) != 3 || frames.size(0) < 1) {
      throw new IllegalArgumentException("a Clip needs an array of shape [frames, height, width, 3], got "
          + (frames == null ? "null" : Arrays.toString(frames.shape())) + ".");
    }
    if (frames.dataType() != DataType.FLOAT) {
      throw new IllegalArgumentException("a Clip needs a float32 array, got " + frames.dataType()
          + "; convert with castTo(DataType.FLOAT).");
    }
    if (!Double.isFinite(fps) || fps <= 0) {
      throw new IllegalArgumentException("Clip fps must be finite and > 0, got " + fps + ".");
    }
    this.frames = frames;
    this.fps = fps;
  }

  /** The pixels, {@code [T, H, W, 3]} float32 in [0, 1] (not a copy). */
  public INDArray frames() {
    return frames;
  }

  /** Frames per second. */
  public double fps() {
    return fps;
  }

  /** Number of frames T. */
  public int frameCount() {
    return (int) frames.size(0);
  }

  /** Frame height H in pixels. */
  public int height() {
    return (int) frames.size(1);
  }

  /** Frame width W in pixels. */
  public int width() {
    return (int) frames.size(2);
  }

  /** A deep copy. */
  public Clip copy() {
    return new Clip(frames.dup(), fps);
  }

  /** The first {@code n} frames (a copy). */
  public Clip firstFrames(int n) {
    if (n < 1 || n > frameCount()) {
      throw new IllegalArgumentException("firstFrames needs 1 <= n <= " + frameCount() + ", got " + n + ".");
    }
    return new Clip(frames.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n)).dup(), fps);
  }

  /**
   * Frame {@code t} as packed opaque ARGB pixels (row-major), rounding to 8 bits per channel.
   */
  public int[] argb(int t) {
    int h = height();
    int w = width();
    float[] v = frames.get(org.nd4j.linalg.indexing.NDArrayIndex.point(t)).dup('c').data().asFloat();
    int[] out = new int[h * w];
    for (int i = 0; i < out.length; i++) {
      int r = to8(v[3 * i]);
      int g = to8(v[3 * i + 1]);
      int b = to8(v[3 * i + 2]);
      out[i] = 0xFF000000 | (r << 16) | (g << 8) | b;
    }
    return out;
  }

  private static int to8(float x) {
    int v = Math.round(x * 255f);
    return v < 0 ? 0 : Math.min(255, v);
  }

  @Override
  public String toString() {
    return "Clip[" + frameCount() + "x" + height() + "x" + width() + " @ " + fps + " fps]";
  }
}
