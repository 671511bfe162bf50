package org.dpvideo.fairness.tuning;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One hyper-parameter of a sweep and the values to try, e.g. {@code lr=0.01,0.1,0.5}.
 *
 * @param name the hyper-parameter's name (a non-blank word the tuning target understands)
 * @param values the values, at least one, finite, distinct
 */
public record SweepAxis(String name, List<Double> values) {

  /** Validates and copies. */
  public SweepAxis {
    if (name == null || !name.matches("[A-Za-z][A-Za-z0-9_.-]*")) {
      throw new IllegalArgumentException("a sweep axis needs a name like lr or clip, got '" + name + "'");
    }
    values = List.copyOf(Objects.requireNonNull(values, "values"));
    if (values.isEmpty()) {
      throw new IllegalArgumentException("sweep axis '" + name + "' has no values; give at least one, e.g. "
          + name + "=0.01,0.1");
    }
    for (double v : values) {
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException("sweep axis '" + name + "' has a non-finite value " + v);
      }
    }
    if (values.stream().distinct().count() != values.size()) {
      throw new IllegalArgumentException("sweep axis '" + name + "' repeats a value: " + values);
    }
  }

  /**
   * Parses {@code NAME=V1,V2,...}.
   *
   * @throws IllegalArgumentException if the text is not of that form or a value is not a number
   */
  public static SweepAxis parse(String text) {
    int eq = text == null ? -1 : text.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException("a sweep is NAME=V1,V2,... (for example lr=0.01,0.1,0.5), got '" + text + "'");
    }
    String name = text.substring(0, eq).trim();
    List<Double> values = new ArrayList<>();
    List<String> bad = new ArrayList<>();
    for (String v : text.substring(eq + 1).split(",")) {
      try {
        values.add(Double.parseDouble(v.trim()));
      } catch (NumberFormatException e) {
        bad.add("'" + v.trim() + "'");
      }
    }
    if (!bad.isEmpty()) {
      throw new IllegalArgumentException("sweep '" + text + "' has values that are not numbers: " + String.join(", ", bad)
          + "; write NAME=V1,V2,... with numbers");
    }
    return new SweepAxis(name, values);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(name).append('=');
    for (int i = 0; i < values.size(); i++) {
      b.append(i == 0 ? "" : ",").append(Candidate.format(values.get(i)));
    }
    return b.toString();
  }
}
