package org.dpvideo.dpsgd.train;

import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.clipping.ClippingBounds;
import org.dpvideo.dpsgd.clipping.ClippingState;
import org.dpvideo.dpsgd.noise.RandomnessLabel;

/**
 * What a private step may report: only released (noisy) or post-processed values. The realized batch
 * size, losses and norms are private and are seen only by an {@code UnprotectedStepObserver}.
 *
 * @param step the step just taken (1-based count)
 * @param event the step's privacy event
 * @param bounds clip bounds and the noisy statistics behind them
 * @param clippingState the clipping state after the step
 * @param noiseStd standard deviation of the noise on the gradient sum
 * @param randomness the randomness label every report prints
 */
public record StepReport(long step, DpEvent event, ClippingBounds bounds, ClippingState clippingState, double noiseStd,
    RandomnessLabel randomness) {}
