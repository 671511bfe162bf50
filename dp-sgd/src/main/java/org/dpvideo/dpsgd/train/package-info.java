/**
 * The training entry point: {@link org.dpvideo.dpsgd.train.DpTrainer} runs private steps (Poisson
 * sampling, the private step, the optimizer update) on any model built from the layer vocabulary,
 * keeps the event log a checkpoint serializes, and refuses to run past the planned number of steps.
 *
 * <p>{@link org.dpvideo.dpsgd.train.DpConfig} holds every setting that changes epsilon;
 * {@link org.dpvideo.dpsgd.train.PerformanceOptions} holds those that never do, so a diff of the first
 * needs a privacy review and a diff of the second does not.
 */
package org.dpvideo.dpsgd.train;
