package org.dpvideo.dpsgd.accounting;

import java.util.OptionalDouble;

/**
 * An (epsilon, delta) guarantee computed by an accountant.
 *
 * @param epsilon epsilon, &gt;= 0 (may be +infinity when no finite epsilon reaches delta)
 * @param delta delta, in (0, 1)
 * @param accountant the accountant that computed it
 * @param optimalOrder for RDP, the Rényi order at which the conversion was tightest; empty otherwise
 */
public record PrivacyGuarantee(double epsilon, double delta, AccountantKind accountant, OptionalDouble optimalOrder) {
  public PrivacyGuarantee {
    if (Double.isNaN(epsilon) || epsilon < 0) {
      throw new IllegalArgumentException("epsilon must be >= 0, got " + epsilon);
    }
    if (!(delta > 0 && delta < 1)) {
      throw new IllegalArgumentException("delta must be in (0, 1), got " + delta);
    }
    java.util.Objects.requireNonNull(accountant, "accountant");
    java.util.Objects.requireNonNull(optimalOrder, "optimalOrder");
  }
}
