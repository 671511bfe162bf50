package org.dpvideo.tokenizer;

/**
 * The shape of a token grid: {@code t} token rows in time (the first for the first frame alone, then one
 * per tube of frames), {@code h} x {@code w} tokens in space.
 *
 * @param t token rows in time, at least 1
 * @param h tokens per column, at least 1
 * @param w tokens per row, at least 1
 */
public record GridShape(int t, int h, int w) {
  /** Validates. */
  public GridShape {
    if (t < 1 || h < 1 || w < 1) {
      throw new IllegalArgumentException("GridShape needs t, h, w >= 1, got " + t + "x" + h + "x" + w + ".");
    }
  }

  /** Number of tokens {@code t * h * w}. */
  public int size() {
    return t * h * w;
  }

  @Override
  public String toString() {
    return t + "x" + h + "x" + w;
  }
}
