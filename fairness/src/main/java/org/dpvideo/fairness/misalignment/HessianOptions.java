package org.dpvideo.fairness.misalignment;

/**
 * Settings of the optional Hessian terms.
 *
 * @param hutchinsonSamples N_h, Rademacher probes of Hutchinson's trace estimator
 *     Tr(H) ≈ (1/N_h) Σ_j z_jᵀ H z_j (the reference code uses 100); &gt;= 1
 * @param seed seed of the probes (an estimator, not a privacy mechanism)
 */
public record HessianOptions(int hutchinsonSamples, long seed) {

  /** Validates. */
  public HessianOptions {
    if (hutchinsonSamples < 1) {
      throw new IllegalArgumentException("Hutchinson samples must be >= 1, got " + hutchinsonSamples
          + "; the reference code uses 100");
    }
  }

  /** The reference code's setting: 100 probes. */
  public static HessianOptions defaults(long seed) {
    return new HessianOptions(100, seed);
  }
}
