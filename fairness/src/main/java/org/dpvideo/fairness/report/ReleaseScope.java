package org.dpvideo.fairness.report;

/** Who a rendered report is for. */
public enum ReleaseScope {
  /** May leave the run: figures whose provenance is not releasable are withheld (listed, not shown). */
  RELEASE,
  /** Internal: every figure is shown, non-releasable ones marked "internal, not differentially private". */
  INTERNAL
}
