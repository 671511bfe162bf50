package org.dpvideo.dpsgd.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.accounting.DpEventJson;

/**
 * The JSON text of ledger payloads: compact, object keys sorted by code point at every level. The ledger
 * hashes the stored text itself, so this only has to be deterministic for one writer; sorting keeps the
 * payloads easy to diff and to re-create by hand.
 */
final class CanonicalJson {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private CanonicalJson() {}

  static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(sorted(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a ledger payload as JSON: " + e.getMessage(), e);
    }
  }

  static JsonNode parse(String text) {
    try {
      JsonNode node = MAPPER.readTree(text);
      if (node == null || !node.isObject()) {
        throw new IllegalArgumentException("payload is not a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("payload is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** The event as a JSON tree (the {@link DpEventJson} form). */
  static JsonNode event(DpEvent event) {
    try {
      return MAPPER.readTree(DpEventJson.toJson(event));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot re-read the JSON of event " + event, e);
    }
  }

  /** Parses an event from a JSON tree. */
  static DpEvent event(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("event is missing or not a JSON object");
    }
    return DpEventJson.fromJson(node.toString());
  }

  static ObjectNode provenance(Provenance p) {
    ObjectNode o = object();
    o.put("user", p.user());
    o.put("host", p.host());
    o.put("pid", p.pid());
    o.put("command_line", p.commandLine());
    return o;
  }

  static Provenance provenance(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("provenance is missing");
    }
    return new Provenance(text(node, "user"), text(node, "host"), node.path("pid").asLong(-1),
        text(node, "command_line"));
  }

  static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("field '" + field + "' is missing or not text");
    }
    return v.asText();
  }

  static double number(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.isNumber()) {
      throw new IllegalArgumentException("field '" + field + "' is missing or not a number");
    }
    return v.asDouble();
  }

  static int integer(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.canConvertToInt() || !v.isIntegralNumber()) {
      throw new IllegalArgumentException("field '" + field + "' is missing or not an integer");
    }
    return v.asInt();
  }

  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      List<String> names = new ArrayList<>();
      Iterator<String> it = node.fieldNames();
      it.forEachRemaining(names::add);
      Collections.sort(names);
      ObjectNode out = object();
      for (String n : names) {
        out.set(n, sorted(node.get(n)));
      }
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      for (JsonNode child : node) {
        out.add(sorted(child));
      }
      return out;
    }
    return node;
  }
}
