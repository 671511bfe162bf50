/**
 * Empirical privacy auditing: a lower bound on ε from one training run with canaries (Steinke, Nasr and
 * Jagielski, "Privacy Auditing with One (1) Training Run", NeurIPS 2023), checked against the accounted ε.
 *
 * <p>Entry point: {@link org.dpvideo.dpsgd.audit.CanaryAudit}. The statistics are in
 * {@link org.dpvideo.dpsgd.audit.OneRunBound} (the theorem for (ε, δ)-DP) and
 * {@link org.dpvideo.dpsgd.audit.AuditBound} (guess choices with a Bonferroni correction). Training goes
 * through the real engine ({@code DpTrainer}, {@code PrivateStep}, clipping, lattice noise).
 *
 * <p>An audit can refute a privacy claim (a bound above the accounted ε is a bug), never prove one: a
 * bound below ε says only that this attack, with these canaries, found no contradiction. One-run bounds
 * are far below ε for small ε.
 *
 * <p>{@link org.dpvideo.dpsgd.audit.DeliberatelyBrokenMechanism} runs deliberately broken
 * configurations (noise off, clipping off) to show that the audit catches them; it needs an explicit
 * acknowledgement, its runs are never recorded in a ledger, and their reports say BROKEN. See
 * {@code docs/audit.md}.
 */
package org.dpvideo.dpsgd.audit;
