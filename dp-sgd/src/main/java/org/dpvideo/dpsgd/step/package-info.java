/**
 * The private step: the one place where per-unit gradients are clipped, summed, noised and accounted.
 *
 * <p>{@link org.dpvideo.dpsgd.step.PrivateStep} runs clip → sum → noise → account for a sampled batch
 * and returns a {@link org.dpvideo.dpsgd.step.NoisyGradient}, the only gradient type the private
 * optimizers accept; nothing outside this package can construct one. A non-private baseline uses
 * {@link org.dpvideo.dpsgd.step.NonPrivateStep} and its own gradient type, which the private
 * optimizers reject at compile time.
 *
 * <p>{@link org.dpvideo.dpsgd.step.UnprotectedStepObserver} is an explicit internal hook that sees
 * per-unit norms, clip factors and groups of a step. What it sees is NOT differentially private;
 * it exists for diagnostics that are released only through accounted mechanisms.
 */
package org.dpvideo.dpsgd.step;
