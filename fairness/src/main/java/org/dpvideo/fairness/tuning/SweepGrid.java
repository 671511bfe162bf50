package org.dpvideo.fairness.tuning;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Cartesian product of sweep axes: every combination of their values is one candidate, in row-major
 * order (the last axis varies fastest). A grid without axes has one candidate (the defaults).
 *
 * @param axes the axes, with distinct names
 */
public record SweepGrid(List<SweepAxis> axes) {

  /** The most candidates a grid may hold (each one is a training run and a privacy release). */
  public static final int MAX_CANDIDATES = 1000;

  /** Validates and copies. */
  public SweepGrid {
    axes = List.copyOf(Objects.requireNonNull(axes, "axes"));
    if (axes.stream().map(SweepAxis::name).distinct().count() != axes.size()) {
      throw new IllegalArgumentException("sweep axes repeat a name: " + axes + "; give each hyper-parameter once");
    }
    long n = 1;
    for (SweepAxis a : axes) {
      n *= a.values().size();
      if (n > MAX_CANDIDATES) {
        throw new IllegalArgumentException("the sweep " + axes + " has more than " + MAX_CANDIDATES + " candidates;"
            + " every candidate is a training run and a privacy release, so sweep fewer values");
      }
    }
  }

  /** A grid of the given axes. */
  public static SweepGrid of(SweepAxis... axes) {
    return new SweepGrid(List.of(axes));
  }

  /** Every candidate, in row-major order. */
  public List<Candidate> candidates() {
    List<Candidate> out = new ArrayList<>();
    expand(0, new LinkedHashMap<>(), out);
    return out;
  }

  private void expand(int axis, Map<String, Double> prefix, List<Candidate> out) {
    if (axis == axes.size()) {
      out.add(new Candidate(prefix));
      return;
    }
    SweepAxis a = axes.get(axis);
    for (double v : a.values()) {
      Map<String, Double> next = new LinkedHashMap<>(prefix);
      next.put(a.name(), v);
      expand(axis + 1, next, out);
    }
  }

  /** The axis names. */
  public List<String> names() {
    return axes.stream().map(SweepAxis::name).toList();
  }

  @Override
  public String toString() {
    return axes.isEmpty() ? "(no sweep)" : String.join(" ", axes.stream().map(SweepAxis::toString).toList());
  }
}
