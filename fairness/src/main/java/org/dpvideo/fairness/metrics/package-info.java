/**
 * Metric frames by group in the spirit of Fairlearn's {@code MetricFrame}: any metric of per-example
 * values, overall and per (intersectional) group, with counts next to every number, group min/max,
 * difference and ratio (Fairlearn semantics: unsigned spread, ratio folded to at most 1), AIF360-style
 * signed difference and ratio to a designated reference group, seeded percentile-bootstrap intervals
 * for all of them, NaN (never 0) for undefined values, and small groups flagged and suppressed.
 */
package org.dpvideo.fairness.metrics;
