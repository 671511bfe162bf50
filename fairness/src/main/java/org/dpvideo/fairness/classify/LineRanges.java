package org.dpvideo.fairness.classify;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Formats line numbers compactly ({@code 3-7, 12, 15-16}) so an error can list every bad row. */
final class LineRanges {
  private LineRanges() {}

  static String format(List<Integer> lines) {
    TreeSet<Integer> sorted = new TreeSet<>(lines);
    List<String> parts = new ArrayList<>();
    Integer start = null;
    Integer prev = null;
    for (int l : sorted) {
      if (start == null) {
        start = l;
      } else if (l != prev + 1) {
        parts.add(start.equals(prev) ? String.valueOf(start) : start + "-" + prev);
        start = l;
      }
      prev = l;
    }
    if (start != null) {
      parts.add(start.equals(prev) ? String.valueOf(start) : start + "-" + prev);
    }
    return String.join(", ", parts);
  }
}
