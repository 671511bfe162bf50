package org.dpvideo.dpsgd.accounting;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A differentially private release, described by the mechanisms it is made of. Immutable and
 * validated on construction; the JSON form (see {@link DpEventJson}) is stable and used by the CLI,
 * the ledger and checkpoints.
 *
 * <p>The algebra follows Google's dp_accounting event model: a {@link GaussianEvent} is one Gaussian
 * mechanism with L2 sensitivity 1 and noise multiplier sigma; a {@link PoissonSampledEvent} applies
 * an event to a Poisson subsample (each privacy unit independently with probability q); a
 * {@link SelfComposedEvent} repeats an event; a {@link ComposedEvent} composes different events.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = GaussianEvent.class, name = "gaussian"),
    @JsonSubTypes.Type(value = PoissonSampledEvent.class, name = "poisson_sampled"),
    @JsonSubTypes.Type(value = SelfComposedEvent.class, name = "self_composed"),
    @JsonSubTypes.Type(value = ComposedEvent.class, name = "composed")
})
public sealed interface DpEvent permits GaussianEvent, PoissonSampledEvent, SelfComposedEvent, ComposedEvent {

  /**
   * The DP-SGD event of {@code steps} steps, each a Gaussian mechanism with noise multiplier
   * {@code noiseMultiplier} on a Poisson subsample with rate {@code samplingRate}.
   */
  static DpEvent dpSgd(double samplingRate, double noiseMultiplier, int steps) {
    return new SelfComposedEvent(
        new PoissonSampledEvent(samplingRate, new GaussianEvent(noiseMultiplier)), steps);
  }
}
