package org.dpvideo.dpsgd.step;

import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.clipping.ClippingBounds;
import org.dpvideo.dpsgd.clipping.ClippingState;

/**
 * What one private step released and decided. Every field is safe to report: the gradient and the
 * bounds' statistics are noisy releases accounted by {@code event}, the next state is post-processing.
 *
 * @param gradient the noisy gradient, to be applied once
 * @param event the privacy event of the step
 * @param bounds the step's clip bounds and the private statistics released to compute them
 * @param nextState the clipping state for the next step
 * @param noiseStd the standard deviation of the noise added to the gradient sum (before dividing by q N)
 */
public record StepOutcome(NoisyGradient gradient, DpEvent event, ClippingBounds bounds, ClippingState nextState,
    double noiseStd) {}
