package org.dpvideo.fairness.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;

/**
 * The JSON form of {@link RunReport}: snake_case fields, undefined numbers (NaN) as {@code null} and read
 * back as NaN (never 0), infinities as the strings {@code "Infinity"} / {@code "-Infinity"}, DP events in
 * the {@code DpEventJson} form, group keys as objects from column to value.
 *
 * <p>Thread-safe.
 */
public final class ReportJson {
  private static final ObjectMapper MAPPER = build();

  private ReportJson() {}

  /** The mapper (shared; do not reconfigure). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  private static ObjectMapper build() {
    SimpleModule nan = new SimpleModule("dpvideo-nan-as-null");
    JsonSerializer<Double> ser = new JsonSerializer<>() {
      @Override
      public void serialize(Double value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
        if (value == null || value.isNaN()) {
          gen.writeNull();
        } else if (value.isInfinite()) {
          gen.writeString(value > 0 ? "Infinity" : "-Infinity");
        } else {
          gen.writeNumber(value);
        }
      }
    };
    JsonDeserializer<Double> de = new JsonDeserializer<>() {
      @Override
      public Double deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
          return p.getDoubleValue();
        }
        if (t == JsonToken.VALUE_STRING) {
          String s = p.getText().trim();
          switch (s) {
            case "Infinity":
              return Double.POSITIVE_INFINITY;
            case "-Infinity":
              return Double.NEGATIVE_INFINITY;
            case "NaN":
              return Double.NaN;
            default:
              break;
          }
        }
        return (Double) ctxt.handleUnexpectedToken(Double.class, p);
      }

      @Override
      public Double getNullValue(DeserializationContext ctxt) {
        return Double.NaN;
      }
    };
    nan.addSerializer(Double.class, ser);
    nan.addSerializer(Double.TYPE, ser);
    nan.addDeserializer(Double.class, de);
    nan.addDeserializer(Double.TYPE, de);
    return new ObjectMapper()
        .registerModule(nan)
        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .enable(SerializationFeature.INDENT_OUTPUT)
        .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  /** The JSON text of a report. */
  public static String toJson(RunReport report) {
    try {
      return MAPPER.writeValueAsString(report);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the report of run " + report.runId() + " as JSON: "
          + e.getOriginalMessage(), e);
    }
  }

  /**
   * Parses a report.
   *
   * @throws IllegalArgumentException naming the problem when the text is not a valid report
   */
  public static RunReport fromJson(String json) {
    try {
      RunReport r = MAPPER.readValue(json, RunReport.class);
      if (r == null) {
        throw new IllegalArgumentException("report data is empty or null; expected a JSON object");
      }
      return r;
    } catch (com.fasterxml.jackson.databind.exc.ValueInstantiationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IllegalArgumentException("invalid report data: " + cause.getMessage(), e);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("malformed report data: " + e.getOriginalMessage() + " at line "
          + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()), e);
    }
  }
}
