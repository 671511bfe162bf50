package org.dpvideo.fairness.cost;

import java.util.Objects;
import org.dpvideo.fairness.Provenance;
import org.dpvideo.fairness.group.GroupKey;
import org.dpvideo.fairness.metrics.ConfidenceInterval;

/**
 * The gap between two groups' privacy costs.
 *
 * @param a first group
 * @param b second group
 * @param gap |cost_b - cost_a| (PCG or ERG); NaN when either cost is not reported
 * @param signed cost_b - cost_a
 * @param interval interval of the gap, or null
 * @param provenance provenance of the figure
 */
public record GroupGap(GroupKey a, GroupKey b, double gap, double signed, ConfidenceInterval interval,
    Provenance provenance) {
  /** Validates. */
  public GroupGap {
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    Objects.requireNonNull(provenance, "provenance");
  }
}
