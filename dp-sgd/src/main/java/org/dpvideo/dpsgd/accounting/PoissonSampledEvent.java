package org.dpvideo.dpsgd.accounting;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * An event applied to a Poisson subsample: each privacy unit is included independently with
 * probability {@code samplingProbability}.
 *
 * @param samplingProbability q, in (0, 1]
 * @param event the event run on the subsample
 */
public record PoissonSampledEvent(
    @JsonProperty("sampling_probability") double samplingProbability,
    @JsonProperty("event") DpEvent event) implements DpEvent {
  public PoissonSampledEvent {
    if (!(samplingProbability > 0 && samplingProbability <= 1)) {
      throw new IllegalArgumentException("sampling probability must be in (0, 1], got " + samplingProbability
          + "; it is the expected batch size divided by the number of privacy units");
    }
    Objects.requireNonNull(event, "event of a Poisson-sampled event must not be null");
  }
}
