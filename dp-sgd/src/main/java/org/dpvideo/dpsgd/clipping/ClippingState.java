package org.dpvideo.dpsgd.clipping;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * What a clipping rule carries from one step to the next. Immutable; serialized into checkpoints as
 * JSON ({@code {"type":"stateless"}} or {@code {"type":"adaptive_bound","strict_bound":5.05}}).
 * Every value here is post-processing of accounted releases, so it may be stored and reported.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ClippingState.Stateless.class, name = "stateless"),
    @JsonSubTypes.Type(value = ClippingState.AdaptiveBound.class, name = "adaptive_bound")
})
public sealed interface ClippingState extends java.io.Serializable {

  /** The state of rules that keep none (DPSGD, DPSGD-Global, DPSGD-F). */
  record Stateless() implements ClippingState {}

  /**
   * The current strict bound Z of DPSGD-Global-Adapt.
   *
   * @param strictBound Z, finite and &gt; 0
   */
  record AdaptiveBound(@JsonProperty("strict_bound") double strictBound) implements ClippingState {
    public AdaptiveBound {
      if (!(strictBound > 0) || Double.isInfinite(strictBound)) {
        throw new IllegalArgumentException("strict bound Z must be finite and > 0, got " + strictBound);
      }
    }
  }
}
