package org.dpvideo.dpsgd.dataparallel;

import java.io.Serializable;
import java.util.List;

/**
 * One privacy unit with all its examples: the element a data-parallel dataset is made of, so a
 * partition by unit keeps every example of a unit on one worker (the condition of the sensitivity
 * argument). Immutable.
 *
 * @param unit the unit id, 0..N-1, dense over the dataset
 * @param group the unit's group (DPSGD-F, fairness reports), or -1 when there are none
 * @param examples the unit's examples in a fixed order (one for example-level units); not empty
 */
public record UnitRecord(int unit, int group, List<Example> examples) implements Serializable {
  /** No group. */
  public static final int NO_GROUP = -1;

  public UnitRecord {
    if (unit < 0) {
      throw new IllegalArgumentException("unit ids must be >= 0, got " + unit);
    }
    if (group < NO_GROUP) {
      throw new IllegalArgumentException("group must be >= 0, or -1 for none, got " + group + " (unit " + unit + ")");
    }
    if (examples.isEmpty()) {
      throw new IllegalArgumentException("unit " + unit + " has no examples; drop it from the dataset");
    }
    examples = List.copyOf(examples);
  }
}
