/**
 * Privacy accounting: an immutable algebra of differentially private events and the accountants that
 * turn an event into an (epsilon, delta) guarantee.
 *
 * <p>The events ({@link org.dpvideo.dpsgd.accounting.DpEvent}) describe <em>what was released</em>: a
 * Gaussian mechanism with noise multiplier sigma (L2 sensitivity 1, noise standard deviation sigma),
 * Poisson subsampling of the privacy units with probability q, and composition. Accountants
 * ({@link org.dpvideo.dpsgd.accounting.PrivacyAccountant}) compute the guarantee under the
 * add/remove-one-unit neighbouring relation. Events are never reinterpreted: an accountant that cannot
 * account an event throws {@link org.dpvideo.dpsgd.accounting.UnsupportedEventException} naming it.
 *
 * <p>The guarantee: a release described by an event is (epsilon, delta)-differentially private with
 * respect to adding or removing one privacy unit (a clip, or a subject with subject-level privacy), for
 * both directions of that relation, where every Gaussian mechanism has L2 sensitivity 1 in units of the
 * clipping norm. {@link org.dpvideo.dpsgd.accounting.PldAccountant} (the default) computes it tightly
 * from privacy loss distributions, always rounding towards a larger epsilon;
 * {@link org.dpvideo.dpsgd.accounting.RdpAccountant} gives the classic Rényi-DP bound;
 * {@link org.dpvideo.dpsgd.accounting.NoiseCalibration} finds the noise multiplier (or number of steps)
 * for a target. Not covered here: whether the event really describes what was released (sensitivity,
 * sampling, every extra statistic), which is the privacy kernel's job. Formulas and papers:
 * {@code docs/accounting.md}.
 */
package org.dpvideo.dpsgd.accounting;
