package org.dpvideo.fairness.metrics;

import java.util.Objects;
import org.dpvideo.fairness.group.GroupKey;

/**
 * One group's figure with its count.
 *
 * @param group the group
 * @param count members of the group in the data (for DP releases: the noisy count, rounded)
 * @param value the figure; NaN when suppressed, empty or undefined (never 0 for "no data")
 * @param interval its confidence interval, or null when none was computed
 * @param status whether the value is reported
 */
public record GroupEstimate(GroupKey group, long count, double value, ConfidenceInterval interval,
    GroupStatus status) {

  /** Validates: suppressed and empty groups carry NaN and no interval. */
  public GroupEstimate {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(status, "status");
    if (status != GroupStatus.REPORTED && (!Double.isNaN(value) || interval != null)) {
      throw new IllegalArgumentException("group " + group + " is " + status + " so its value must be NaN without an"
          + " interval, got " + value);
    }
  }

  /** Whether the value is reported and finite. */
  public boolean hasValue() {
    return status == GroupStatus.REPORTED && Double.isFinite(value);
  }
}
