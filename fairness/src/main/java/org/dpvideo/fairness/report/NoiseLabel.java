package org.dpvideo.fairness.report;

import java.util.Objects;
import org.dpvideo.fairness.release.NoiseSourceKind;

/**
 * Which noise generator the run used; a seeded one makes every DP figure of the run non-private.
 *
 * @param kind secure or seeded
 * @param description the generator, e.g. "ChaCha20 keyed from SecureRandom"
 */
public record NoiseLabel(NoiseSourceKind kind, String description) {
  /** Validates. */
  public NoiseLabel {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(description, "description");
  }
}
