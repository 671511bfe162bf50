package org.dpvideo.tokenizer;

import java.util.Arrays;

/**
 * Video token ids on a {@code (t, h, w)} grid, row-major ({@code index = (ti * h + yi) * w + xi}), each
 * in {@code [0, vocabSize)} of the tokenizer that made it. Immutable: the array is copied in and out.
 */
public final class TokenGrid {
  private final GridShape shape;
  private final int[] ids;

  /**
   * @param shape the grid shape
   * @param ids {@code shape.size()} token ids (copied)
   */
  public TokenGrid(GridShape shape, int[] ids) {
    if (ids.length != shape.size()) {
      throw new IllegalArgumentException("a " + shape + " token grid needs " + shape.size() + " ids, got "
          + ids.length + ".");
    }
    for (int id : ids) {
      if (id < 0) {
        throw new IllegalArgumentException("token ids must be >= 0, got " + id + ".");
      }
    }
    this.shape = shape;
    this.ids = ids.clone();
  }

  /** The shape. */
  public GridShape shape() {
    return shape;
  }

  /** The ids, row-major (a copy). */
  public int[] ids() {
    return ids.clone();
  }

  /** Number of tokens. */
  public int size() {
    return ids.length;
  }

  /** The id at {@code (ti, yi, xi)}. */
  public int get(int ti, int yi, int xi) {
    return ids[(ti * shape.h() + yi) * shape.w() + xi];
  }

  /** The first {@code rows} token rows in time (e.g. {@code 1}: the tokens of the first frame alone). */
  public TokenGrid firstRows(int rows) {
    if (rows < 1 || rows > shape.t()) {
      throw new IllegalArgumentException("firstRows needs 1 <= rows <= " + shape.t() + ", got " + rows + ".");
    }
    return new TokenGrid(new GridShape(rows, shape.h(), shape.w()),
        Arrays.copyOf(ids, rows * shape.h() * shape.w()));
  }

  /** Largest id + 1 (checks against a vocabulary). */
  public int maxIdExclusive() {
    int m = 0;
    for (int id : ids) {
      m = Math.max(m, id + 1);
    }
    return m;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TokenGrid g && g.shape.equals(shape) && Arrays.equals(g.ids, ids);
  }

  @Override
  public int hashCode() {
    return shape.hashCode() * 31 + Arrays.hashCode(ids);
  }

  @Override
  public String toString() {
    return "TokenGrid[" + shape + "]";
  }
}
