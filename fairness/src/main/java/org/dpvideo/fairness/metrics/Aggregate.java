package org.dpvideo.fairness.metrics;

import java.util.List;
import java.util.Objects;
import org.dpvideo.fairness.group.GroupKey;

/**
 * A summary over groups (min, max, difference, ratio), named as in Fairlearn
 * ({@code <metric>_group_min}, {@code <metric>_difference}, ...).
 *
 * @param name e.g. {@code nll_difference_between_groups}
 * @param value the summary; NaN when undefined (see {@code undefinedReason})
 * @param interval bootstrap interval, or null
 * @param groups the groups it was computed over (reported groups with a finite value)
 * @param extremeGroup for min/max the group attaining it, for to-overall summaries the group furthest
 *     from overall; null otherwise
 * @param undefinedReason why the value is NaN, or null when it is defined
 */
public record Aggregate(String name, double value, ConfidenceInterval interval, List<GroupKey> groups,
    GroupKey extremeGroup, String undefinedReason) {

  /** Validates and copies. */
  public Aggregate {
    Objects.requireNonNull(name, "name");
    groups = List.copyOf(groups);
  }
}
