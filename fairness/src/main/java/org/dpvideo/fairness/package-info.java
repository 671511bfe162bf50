/**
 * Per-group fairness measurement for differentially private training: metric frames by group
 * ({@link org.dpvideo.fairness.metrics}), the privacy cost each group pays against a reference model
 * ({@link org.dpvideo.fairness.cost}), gradient-misalignment diagnostics that explain it
 * ({@link org.dpvideo.fairness.misalignment}), privacy-safe release of training statistics
 * ({@link org.dpvideo.fairness.release}) and run reports ({@link org.dpvideo.fairness.report}).
 *
 * <p>Definitions follow the project's fairness spec (Esipova et al., "Disparate Impact in
 * Differential Privacy from Gradient Misalignment", ICLR 2023) and the reporting conventions of
 * Fairlearn and AIF360; {@code docs/fairness.md} gives every formula with its source.
 */
package org.dpvideo.fairness;
