package org.dpvideo.fairness.report;

import java.util.Objects;
import org.dpvideo.dpsgd.noise.RandomnessLabel;

/**
 * Which noise generator the run used; a seeded one makes every DP figure of the run non-private.
 *
 * @param kind secure or seeded
 * @param description the generator, e.g. {@link RandomnessLabel#reportText()}
 */
public record NoiseLabel(RandomnessLabel kind, String description) {
  /** Validates. */
  public NoiseLabel {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(description, "description");
  }

  /** The label of the run's randomness, with the engine's report text. */
  public static NoiseLabel of(RandomnessLabel label) {
    return new NoiseLabel(label, label.reportText());
  }
}
