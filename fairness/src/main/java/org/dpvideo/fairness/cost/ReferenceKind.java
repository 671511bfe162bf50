package org.dpvideo.fairness.cost;

import org.dpvideo.fairness.Provenance;

/** What the reference (θ*) of a privacy cost is, which decides whether the cost may be released. */
public enum ReferenceKind {
  /**
   * A non-private run trained the same way on the same private data (the paper's θ*). Its figures are
   * functions of the private training data without any privacy mechanism, so costs against it are
   * internal (fairness spec §5.2 item 5).
   */
  NON_PRIVATE_SHADOW(Provenance.TRAIN_UNPROTECTED),
  /** The public base model before fine-tuning (no private data): costs against it are releasable. */
  BASE_MODEL(Provenance.EVAL_PUBLIC),
  /** A non-private model trained on public data only: costs against it are releasable. */
  PUBLIC_DATA_MODEL(Provenance.EVAL_PUBLIC);

  private final Provenance provenance;

  ReferenceKind(Provenance provenance) {
    this.provenance = provenance;
  }

  /** The provenance that figures of this reference model carry at best. */
  public Provenance provenance() {
    return provenance;
  }
}
