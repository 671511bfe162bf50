package org.dpvideo.fairness.metrics;

/** Whether a group's figure is reported, and why not. */
public enum GroupStatus {
  /** Enough members: the value is reported (it may still be NaN when the metric is undefined). */
  REPORTED,
  /** Fewer members than the minimum group size: the value is suppressed (NaN), the count is shown. */
  SUPPRESSED_SMALL,
  /** No member at all (e.g. an unobserved intersectional combination): reported as empty, never as 0. */
  EMPTY
}
