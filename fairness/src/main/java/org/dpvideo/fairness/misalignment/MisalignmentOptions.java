package org.dpvideo.fairness.misalignment;

import java.util.Objects;
import org.dpvideo.fairness.Provenance;

/**
 * Settings of the misalignment diagnostics.
 *
 * @param everySteps compute at steps 0, N, 2N, ... (the reference code uses 50–200); &gt;= 1
 * @param hessian Hessian-term settings, or null for first-order terms only (the default)
 * @param provenance what the inputs are: {@link Provenance#TRAIN_UNPROTECTED} for raw training gradients
 *     (internal), {@link Provenance#EVAL_PUBLIC} when computed on releasable evaluation data
 */
public record MisalignmentOptions(int everySteps, HessianOptions hessian, Provenance provenance) {

  /** Validates. */
  public MisalignmentOptions {
    if (everySteps < 1) {
      throw new IllegalArgumentException("diagnostics interval must be >= 1 step, got " + everySteps
          + "; the reference code logs every 50 to 200 steps");
    }
    Objects.requireNonNull(provenance, "provenance");
    if (provenance == Provenance.TRAIN_DP || provenance == Provenance.EVAL_PRIVATE_DP) {
      throw new IllegalArgumentException("misalignment diagnostics from raw gradients cannot be " + provenance
          + "; they are TRAIN_UNPROTECTED (internal) unless computed on releasable evaluation data (EVAL_PUBLIC)."
          + " Release training statistics through org.dpvideo.fairness.release instead");
    }
  }

  /** Raw training gradients every {@code everySteps} steps, first-order terms only. */
  public static MisalignmentOptions training(int everySteps) {
    return new MisalignmentOptions(everySteps, null, Provenance.TRAIN_UNPROTECTED);
  }

  /** With Hessian terms on. */
  public MisalignmentOptions withHessian(HessianOptions options) {
    return new MisalignmentOptions(everySteps, options, provenance);
  }
}
