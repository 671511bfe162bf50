package org.dpvideo.fairness.report;

/**
 * A value at a training step (one point of a chart).
 *
 * @param step the step
 * @param value the value (NaN for a gap)
 */
public record StepValue(long step, double value) {}
