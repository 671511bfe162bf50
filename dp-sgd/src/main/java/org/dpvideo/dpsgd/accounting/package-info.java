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
 */
package org.dpvideo.dpsgd.accounting;
