package org.dpvideo.fairness.cost;

import java.util.Objects;

/**
 * The reference model a privacy cost is measured against, with its provenance stated.
 *
 * @param kind what the reference is
 * @param description where it comes from, e.g. "non-private shadow run, same schedule, seed 0, runs/x/shadow"
 */
public record ReferenceModel(ReferenceKind kind, String description) {

  /** Validates. */
  public ReferenceModel {
    Objects.requireNonNull(kind, "kind");
    if (description == null || description.isBlank()) {
      throw new IllegalArgumentException("describe the reference model (which run or checkpoint, how it was trained);"
          + " reports must state the provenance of the privacy-cost reference");
    }
  }
}
