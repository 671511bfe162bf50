package org.dpvideo.fairness.classify;

import java.util.Objects;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.accounting.PrivacyGuarantee;
import org.dpvideo.dpsgd.noise.RandomnessLabel;

/**
 * What a private classifier run released and what it guarantees.
 *
 * @param noiseMultiplier σ as configured (read according to the run's joint accounting mode)
 * @param gradientNoiseMultiplier the gradient's multiplier (noise std / sensitivity)
 * @param effectiveNoiseMultiplier the joint multiplier of gradient and count releases, what the accountant sees
 * @param calibrated whether σ was calibrated to a target ε (else given)
 * @param samplingRate q
 * @param steps T
 * @param event everything the run released (the trainer's spent event)
 * @param guarantee (ε, δ) of {@code event}
 * @param randomness secure or seeded (seeded runs are reproducible and not private)
 * @param finalStrictBound Global-Adapt's Z after the last step (post-processing of the accounted counts), or NaN
 */
public record PrivateRunRecord(double noiseMultiplier, double gradientNoiseMultiplier, double effectiveNoiseMultiplier,
    boolean calibrated, double samplingRate, long steps, DpEvent event, PrivacyGuarantee guarantee,
    RandomnessLabel randomness, double finalStrictBound) {

  /** Validates. */
  public PrivateRunRecord {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(guarantee, "guarantee");
    Objects.requireNonNull(randomness, "randomness");
  }
}
