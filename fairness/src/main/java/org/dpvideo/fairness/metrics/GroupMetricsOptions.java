package org.dpvideo.fairness.metrics;

import java.util.Objects;
import org.dpvideo.fairness.Provenance;
import org.dpvideo.fairness.group.GroupKey;

/**
 * Settings of a {@link GroupMetrics} frame.
 *
 * @param provenance what the examples are (every figure of the frame carries it)
 * @param minGroupSize groups with fewer members are flagged {@link GroupStatus#SUPPRESSED_SMALL} and their
 *     values suppressed; &gt;= 1
 * @param bootstrap bootstrap settings, or null for no intervals
 * @param referenceGroup AIF360's privileged group for signed comparisons, or null for none
 */
public record GroupMetricsOptions(Provenance provenance, int minGroupSize, BootstrapOptions bootstrap,
    GroupKey referenceGroup) {

  /**
   * Default minimum group size of evaluation frames: 30 members, a common rule of thumb below which a
   * rate's sampling error is too large to compare groups. (Noisy DP counts use their own threshold.)
   */
  public static final int DEFAULT_MIN_GROUP_SIZE = 30;

  /** Validates. */
  public GroupMetricsOptions {
    Objects.requireNonNull(provenance, "provenance: say what data the frame is computed on");
    if (minGroupSize < 1) {
      throw new IllegalArgumentException("minGroupSize must be >= 1, got " + minGroupSize
          + "; use 1 to report every non-empty group");
    }
  }

  /** Default settings for data of the given provenance: minimum size 30, no bootstrap, no reference group. */
  public static GroupMetricsOptions of(Provenance provenance) {
    return new GroupMetricsOptions(provenance, DEFAULT_MIN_GROUP_SIZE, null, null);
  }

  /** With another minimum group size. */
  public GroupMetricsOptions withMinGroupSize(int size) {
    return new GroupMetricsOptions(provenance, size, bootstrap, referenceGroup);
  }

  /** With bootstrap intervals (null for none). */
  public GroupMetricsOptions withBootstrap(BootstrapOptions options) {
    return new GroupMetricsOptions(provenance, minGroupSize, options, referenceGroup);
  }

  /** With a reference (privileged) group for signed AIF360-style comparisons (null for none). */
  public GroupMetricsOptions withReferenceGroup(GroupKey group) {
    return new GroupMetricsOptions(provenance, minGroupSize, bootstrap, group);
  }
}
