/**
 * Privacy-safe release of per-group statistics (fairness spec §5.2).
 *
 * <p>Statistics of private data leave a run only through the accounted Gaussian mechanisms of
 * {@link org.dpvideo.fairness.release.PrivateGroupStatistics}: noisy group counts (L2 sensitivity 1),
 * noisy clip counts (the pair (c_k, n_k − c_k) as one histogram, sensitivity 1), clamped per-unit values
 * summed per group with noisy counts (sensitivity max(|lo|, |hi|) for the sums), and per-group sums of
 * per-unit gradients clipped inside the mechanism to norm C (sensitivity C). Each release is one Gaussian
 * mechanism on the full data whose {@link org.dpvideo.dpsgd.accounting.DpEvent} is recorded in a
 * {@link org.dpvideo.fairness.release.ReleaseAccount} before the values are returned, so nothing is
 * released unaccounted. Derived figures (means, rates, cosines) are post-processing. Small groups are
 * suppressed using the noisy count only; intervals of noisy ratios include the injected noise variance.
 *
 * <p>Neighbouring relation: add or remove one privacy unit; every unit belongs to exactly one group.
 * Not protected: the group labels' existence (the set of levels), which must be public, and anything
 * computed outside these mechanisms.
 */
package org.dpvideo.fairness.release;
