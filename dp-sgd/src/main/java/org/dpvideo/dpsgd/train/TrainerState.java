package org.dpvideo.dpsgd.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Objects;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.clipping.ClippingState;
import org.dpvideo.dpsgd.noise.RandomnessLabel;
import org.dpvideo.dpsgd.sampling.PrivacyUnit;

/**
 * What a checkpoint must keep of a private trainer besides the parameters and the optimizer arrays:
 * the step count, the clipping state (Z of Global-Adapt), every release so far as one event, the
 * randomness label and, for seeded runs only, the stream positions (secure streams are never
 * resumed, they are re-keyed). JSON via {@link #toJson()} / {@link #fromJson(String)}.
 *
 * @param steps steps taken
 * @param clipping the clipping state
 * @param spent every release so far
 * @param randomness SEEDED if any part of the run was seeded
 * @param privacyUnit the unit the events are about
 * @param samplingStreamBytes bytes read from the seeded sampling stream (0 for secure runs)
 * @param noiseStreamBytes bytes read from each seeded noise stream (zeros for secure runs)
 */
public record TrainerState(
    @JsonProperty("steps") long steps,
    @JsonProperty("clipping") ClippingState clipping,
    @JsonProperty("spent") DpEvent spent,
    @JsonProperty("randomness") RandomnessLabel randomness,
    @JsonProperty("privacy_unit") PrivacyUnit privacyUnit,
    @JsonProperty("sampling_stream_bytes") long samplingStreamBytes,
    @JsonProperty("noise_stream_bytes") java.util.List<Long> noiseStreamBytes) {

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public TrainerState {
    if (steps < 0) {
      throw new IllegalArgumentException("steps must be >= 0, got " + steps);
    }
    Objects.requireNonNull(clipping, "clipping");
    Objects.requireNonNull(spent, "spent");
    Objects.requireNonNull(randomness, "randomness");
    Objects.requireNonNull(privacyUnit, "privacy unit");
    noiseStreamBytes = java.util.List.copyOf(noiseStreamBytes);
  }

  /** The JSON form. */
  public String toJson() {
    try {
      return MAPPER.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write trainer state as JSON", e);
    }
  }

  /**
   * Parses the JSON form.
   *
   * @throws IllegalArgumentException naming the problem
   */
  public static TrainerState fromJson(String json) {
    try {
      return MAPPER.readValue(json, TrainerState.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("invalid trainer state JSON: " + e.getOriginalMessage(), e);
    }
  }
}
