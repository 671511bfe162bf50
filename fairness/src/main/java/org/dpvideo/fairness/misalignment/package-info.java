/**
 * Gradient-misalignment diagnostics: why a group pays a privacy cost (fairness spec §1.2, §1.4; Esipova
 * et al., ICLR 2023). Per logged step and per group: mean and spread of per-unit gradient norms, the
 * fraction clipped, cosines between the full-data group gradient g_{D_k} and the batch gradients g_B
 * (unclipped) and ḡ_B (clipped), cos(g_B, ḡ_B), the direction-error statistic
 * Δ_k = ‖ḡ_B‖(cos(g_{D_k}, g_B) − cos(g_{D_k}, ḡ_B)), and the second-order split of the clipping error
 * into R_clip = R_dir + R_mag with R_noise (Hessian terms optional, off by default).
 *
 * <p>Inputs are plain: per-unit norms and scale factors as {@code double[]}, per-unit gradients as one
 * ND4J array per layer ({@code [units, ...]}), groups as a
 * {@link org.dpvideo.fairness.group.GroupAssignment}. Nothing is flattened across layers: every norm,
 * dot product and cosine is accumulated layer by layer from a small Gram matrix, so the cost per layer
 * is one {@code [groups, units] x [units, params]} product.
 *
 * <p>These figures are functions of raw private training gradients: they are
 * {@link org.dpvideo.fairness.Provenance#TRAIN_UNPROTECTED} (internal) unless computed on releasable
 * evaluation data; releasable training-time versions come from {@code org.dpvideo.fairness.release}.
 */
package org.dpvideo.fairness.misalignment;
