package org.dpvideo.finetune.train;

import java.util.Objects;
import java.util.OptionalDouble;
import org.dpvideo.dpsgd.accounting.AccountantKind;
import org.dpvideo.dpsgd.clipping.ClippingRule;
import org.dpvideo.dpsgd.sampling.PrivacyUnit;

/**
 * Every setting of a private fine-tune that changes epsilon (a diff here needs a privacy review). The
 * sampling rate is given directly, not as a batch size, so the planned event is known from these
 * settings alone, before any private data is read.
 *
 * @param targetEpsilon calibrate sigma for this epsilon (exactly one of targetEpsilon and noiseMultiplier)
 * @param noiseMultiplier use this sigma
 * @param delta the delta of the guarantee, in (0, 1)
 * @param unit example- or subject-level privacy
 * @param clipping the clipping rule with its C (and Z0, sigma_b for Global-Adapt)
 * @param samplingRate q, the Poisson rate of every task group, in (0, 1]
 * @param steps planned steps in total, &gt;= 1
 * @param maxExamplesPerUnit the most examples of one unit per step (1 for example-level privacy)
 * @param accountant the accountant of the calibration and the reports
 */
public record PrivacySettings(OptionalDouble targetEpsilon, OptionalDouble noiseMultiplier, double delta,
    PrivacyUnit unit, ClippingRule clipping, double samplingRate, long steps, int maxExamplesPerUnit,
    AccountantKind accountant) {
  public PrivacySettings {
    Objects.requireNonNull(targetEpsilon, "targetEpsilon");
    Objects.requireNonNull(noiseMultiplier, "noiseMultiplier");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(clipping, "clipping");
    Objects.requireNonNull(accountant, "accountant");
    if (targetEpsilon.isPresent() == noiseMultiplier.isPresent()) {
      throw new IllegalArgumentException("give exactly one of a target epsilon (sigma is then calibrated) and a noise"
          + " multiplier sigma");
    }
    if (targetEpsilon.isPresent() && !(targetEpsilon.getAsDouble() > 0 && Double.isFinite(targetEpsilon.getAsDouble()))) {
      throw new IllegalArgumentException("the target epsilon must be finite and > 0, got " + targetEpsilon.getAsDouble());
    }
    if (noiseMultiplier.isPresent() && !(noiseMultiplier.getAsDouble() > 0
        && Double.isFinite(noiseMultiplier.getAsDouble()))) {
      throw new IllegalArgumentException("the noise multiplier must be finite and > 0, got "
          + noiseMultiplier.getAsDouble() + "; for a non-private run use `dpvideo pretrain` on public data");
    }
    if (!(delta > 0 && delta < 1)) {
      throw new IllegalArgumentException("delta must be in (0, 1), got " + delta + "; pick a value well below 1/N, e.g."
          + " 1/N^1.1");
    }
    if (!(samplingRate > 0 && samplingRate <= 1)) {
      throw new IllegalArgumentException("the sampling rate q must be in (0, 1], got " + samplingRate + "; it is the"
          + " expected batch size divided by the number of privacy units");
    }
    if (steps < 1) {
      throw new IllegalArgumentException("a fine-tune needs at least one step, got " + steps);
    }
    if (maxExamplesPerUnit < 1 || (unit == PrivacyUnit.EXAMPLE && maxExamplesPerUnit != 1)) {
      throw new IllegalArgumentException("maxExamplesPerUnit must be >= 1 (and 1 for example-level privacy), got "
          + maxExamplesPerUnit);
    }
  }

  /** The same settings with another number of steps. */
  public PrivacySettings withSteps(long n) {
    return new PrivacySettings(targetEpsilon, noiseMultiplier, delta, unit, clipping, samplingRate, n,
        maxExamplesPerUnit, accountant);
  }
}
