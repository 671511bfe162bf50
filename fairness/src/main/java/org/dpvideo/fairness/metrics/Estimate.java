package org.dpvideo.fairness.metrics;

/**
 * A figure over all examples, with its count.
 *
 * @param count number of examples
 * @param value the figure, NaN when undefined
 * @param interval its confidence interval, or null when none was computed
 */
public record Estimate(long count, double value, ConfidenceInterval interval) {}
