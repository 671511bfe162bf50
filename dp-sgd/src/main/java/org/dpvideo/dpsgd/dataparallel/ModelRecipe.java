package org.dpvideo.dpsgd.dataparallel;

import java.io.Serializable;
import org.dpvideo.dpsgd.layers.DpModel;

/**
 * Builds a model the same way on every machine of a data-parallel run: same graph, same parameter
 * names and order, same trainable flags, same initial (or base-checkpoint) values. Serializable so it
 * can travel to workers; it should carry sizes and seeds (or a path every machine can read), not arrays.
 * The trained parameters then travel separately each step.
 *
 * <p>Implementations must be immutable and deterministic.
 */
public interface ModelRecipe extends Serializable {
  /** A new model (the caller owns and closes it). */
  DpModel build();

  /** A one-line description for reports ("mlp 5-7-6-3", "decoder LM d=64 T=32"). */
  String describe();
}
