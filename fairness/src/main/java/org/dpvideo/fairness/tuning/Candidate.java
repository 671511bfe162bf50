package org.dpvideo.fairness.tuning;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One point of a sweep grid: a value for every axis, in axis order.
 *
 * @param values axis name to value
 */
public record Candidate(Map<String, Double> values) {

  /** Validates and copies (keeping the order). */
  public Candidate {
    values = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(values, "values")));
  }

  /**
   * The value of an axis.
   *
   * @throws IllegalArgumentException if the candidate has no such axis
   */
  public double value(String axis) {
    Double v = values.get(axis);
    if (v == null) {
      throw new IllegalArgumentException("candidate " + this + " has no axis '" + axis + "'");
    }
    return v;
  }

  /** Whether the candidate sets an axis. */
  public boolean has(String axis) {
    return values.containsKey(axis);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (var e : values.entrySet()) {
      b.append(b.length() == 0 ? "" : ", ").append(e.getKey()).append('=').append(format(e.getValue()));
    }
    return b.length() == 0 ? "(defaults)" : b.toString();
  }

  /** A number without a trailing ".0" for integers. */
  static String format(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }
}
