package org.dpvideo.fairness.group;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * A named group: an ordered map from sensitive column to value, e.g. {@code skin_tone=3} or, for an
 * intersectional group, {@code skin_tone=3, gender=f}. Two keys are equal when they map the same
 * columns to the same values (column order does not matter for equality; it is kept for display).
 *
 * <p>Immutable and thread-safe. JSON form: an object from column to value.
 *
 * @param attributes column to value; at least one column; names and values non-blank
 */
public record GroupKey(Map<String, String> attributes) {

  /** Validates and copies (keeping column order). */
  @JsonCreator
  public GroupKey {
    Objects.requireNonNull(attributes, "attributes of a group key must not be null");
    if (attributes.isEmpty()) {
      throw new IllegalArgumentException("a group key needs at least one column=value pair, got none;"
          + " name the sensitive column the group comes from, e.g. GroupKey.of(\"skin_tone\", \"3\")");
    }
    LinkedHashMap<String, String> copy = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : attributes.entrySet()) {
      String column = e.getKey();
      String value = e.getValue();
      if (column == null || column.isBlank()) {
        throw new IllegalArgumentException("a group key column name must be non-blank, got '" + column + "' in "
            + attributes);
      }
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException("group key column '" + column + "' has a blank value '" + value
            + "'; every example needs a group value (use an explicit level such as \"unknown\")");
      }
      copy.put(column, value);
    }
    attributes = Collections.unmodifiableMap(copy);
  }

  /** The group {@code column=value}. */
  public static GroupKey of(String column, String value) {
    return new GroupKey(Map.of(column, value));
  }

  /** The intersectional group {@code c1=v1, c2=v2}, in that column order. */
  public static GroupKey of(String column1, String value1, String column2, String value2) {
    LinkedHashMap<String, String> m = new LinkedHashMap<>();
    m.put(column1, value1);
    if (m.containsKey(column2)) {
      throw new IllegalArgumentException("column '" + column2 + "' appears twice in a group key");
    }
    m.put(column2, value2);
    return new GroupKey(m);
  }

  /** The value of {@code column}; throws when the key has no such column. */
  public String value(String column) {
    String v = attributes.get(column);
    if (v == null) {
      throw new IllegalArgumentException("group " + label() + " has no column '" + column + "'; its columns are "
          + attributes.keySet());
    }
    return v;
  }

  /** The JSON form: the attribute map. */
  @JsonValue
  public Map<String, String> jsonValue() {
    return attributes;
  }

  /** A display label, e.g. {@code skin_tone=3, gender=f}. */
  public String label() {
    StringJoiner j = new StringJoiner(", ");
    attributes.forEach((k, v) -> j.add(k + "=" + v));
    return j.toString();
  }

  /** The values only, e.g. {@code 3} or {@code 3 / f} (for chart axes where the columns are named). */
  public String valuesLabel() {
    return String.join(" / ", attributes.values());
  }

  /** The column names joined by " × ", e.g. {@code skin_tone × gender}. */
  public String columnsLabel() {
    return String.join(" × ", attributes.keySet());
  }

  @Override
  public String toString() {
    return label();
  }
}
