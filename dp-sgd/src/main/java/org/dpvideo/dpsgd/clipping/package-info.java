/**
 * Clipping rules: how much each privacy unit's gradient is scaled before the sum is noised.
 *
 * <p>{@link org.dpvideo.dpsgd.clipping.ClippingRule} is a sealed interface with the four rules of
 * the fairness spec (section 2): {@link org.dpvideo.dpsgd.clipping.Dpsgd},
 * {@link org.dpvideo.dpsgd.clipping.DpsgdGlobal}, {@link org.dpvideo.dpsgd.clipping.DpsgdGlobalAdapt}
 * and {@link org.dpvideo.dpsgd.clipping.DpsgdF}. Rules are immutable configurations; what changes
 * between steps (the strict bound Z of Global-Adapt) is a {@link org.dpvideo.dpsgd.clipping.ClippingState}
 * that a checkpoint serializes. Every function here is pure: the caller passes the noise source for
 * the private statistics (counts), so the rules can be checked against the spec's golden vectors.
 *
 * <p>Deviations from the reference code that we fix rather than copy (spec section 2.6): the count of
 * Global-Adapt is normalised by the public expected batch size q*N (A2); DPSGD-F calibrates its noise
 * to the largest bound over all groups (A3); counts and gradient of one batch are accounted as one
 * subsampled Gaussian with the joint multiplier (A1, see {@link org.dpvideo.dpsgd.clipping.NoisePlan}).
 */
package org.dpvideo.dpsgd.clipping;
