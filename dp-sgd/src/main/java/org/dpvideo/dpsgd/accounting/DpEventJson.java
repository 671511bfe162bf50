package org.dpvideo.dpsgd.accounting;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The JSON form of {@link DpEvent}s: one object per event with a {@code type} field
 * ({@code gaussian}, {@code poisson_sampled}, {@code self_composed}, {@code composed}) and the record's
 * fields in snake case, for example
 * {@code {"type":"self_composed","count":100,"event":{"type":"poisson_sampled",
 * "sampling_probability":0.01,"event":{"type":"gaussian","noise_multiplier":1.1}}}}.
 *
 * <p>Thread-safe.
 */
public final class DpEventJson {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private DpEventJson() {}

  /** The JSON text of an event. */
  public static String toJson(DpEvent event) {
    try {
      return MAPPER.writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write event " + event + " as JSON", e);
    }
  }

  /**
   * Parses an event.
   *
   * @throws IllegalArgumentException naming the problem when the text is not a valid event
   */
  public static DpEvent fromJson(String json) {
    try {
      DpEvent event = MAPPER.readValue(json, DpEvent.class);
      if (event == null) {
        throw new IllegalArgumentException("events JSON is empty or null; expected an object with a \"type\" field");
      }
      return event;
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IllegalArgumentException("invalid event in JSON: " + cause.getMessage(), e);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("malformed events JSON: " + e.getOriginalMessage()
          + " (expected one event object with \"type\" one of gaussian, poisson_sampled, self_composed, composed)", e);
    }
  }

  /** Reads an event from a JSON file. */
  public static DpEvent read(Path file) {
    try {
      return fromJson(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("events file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read events file " + file + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("events file " + file + ": " + e.getMessage(), e);
    }
  }
}
