package org.dpvideo.dpsgd.persample;

/** How per-unit norms of linear and embedding layers are computed. Both are exact; they differ in cost. */
public enum NormStrategy {
  /** Per layer, the cheaper of the two by a flop count, within the materialisation memory budget. */
  AUTO,
  /** Always the ghost-norm identity where it applies (one example per unit); otherwise materialise. */
  GHOST,
  /** Always materialise per-example gradients. */
  MATERIALIZE
}
