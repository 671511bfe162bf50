package org.dpvideo.fairness.group;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Assigns each of {@code size()} examples (or privacy units) to exactly one group out of a list of
 * levels. Levels may include groups with no member (empty intersectional cells); they are reported as
 * empty, never dropped.
 *
 * <p>Immutable and thread-safe (the code array is copied).
 */
public final class GroupAssignment {
  private final List<GroupKey> levels;
  private final int[] codes;
  private final Map<GroupKey, Integer> indexOf;

  /**
   * @param levels the groups, distinct, at least one
   * @param codes for each example the index of its group in {@code levels}
   */
  public GroupAssignment(List<GroupKey> levels, int[] codes) {
    Objects.requireNonNull(levels, "levels");
    Objects.requireNonNull(codes, "codes");
    if (levels.isEmpty()) {
      throw new IllegalArgumentException("a group assignment needs at least one group level, got none");
    }
    this.levels = List.copyOf(levels);
    requireSameColumns(this.levels);
    this.indexOf = new HashMap<>();
    for (int i = 0; i < this.levels.size(); i++) {
      if (indexOf.put(this.levels.get(i), i) != null) {
        throw new IllegalArgumentException("group level " + this.levels.get(i) + " is listed twice; levels must be"
            + " distinct");
      }
    }
    List<String> bad = new ArrayList<>();
    for (int i = 0; i < codes.length; i++) {
      if (codes[i] < 0 || codes[i] >= this.levels.size()) {
        bad.add("example " + i + " has group code " + codes[i]);
      }
    }
    if (!bad.isEmpty()) {
      throw new IllegalArgumentException("group codes must be in [0, " + this.levels.size() + "), but "
          + (bad.size() > 20 ? bad.subList(0, 20) + " and " + (bad.size() - 20) + " more" : bad));
    }
    this.codes = codes.clone();
  }

  /** Assigns each example to its key; levels are the distinct keys in order of first appearance. */
  public static GroupAssignment ofKeys(List<GroupKey> perExample) {
    Objects.requireNonNull(perExample, "perExample");
    List<GroupKey> levels = new ArrayList<>();
    Map<GroupKey, Integer> idx = new HashMap<>();
    int[] codes = new int[perExample.size()];
    for (int i = 0; i < codes.length; i++) {
      GroupKey k = Objects.requireNonNull(perExample.get(i), () -> "group key of example is null");
      codes[i] = idx.computeIfAbsent(k, key -> {
        levels.add(key);
        return levels.size() - 1;
      });
    }
    if (levels.isEmpty()) {
      throw new IllegalArgumentException("cannot infer group levels from zero examples; pass the levels"
          + " explicitly with new GroupAssignment(levels, codes)");
    }
    return new GroupAssignment(levels, codes);
  }

  /** One column: example i belongs to {@code column=values[i]}; levels sorted by value. */
  public static GroupAssignment ofColumn(String column, String[] values) {
    return SensitiveFeatures.builder().column(column, values).build().assignment();
  }

  /** The groups, in report order. */
  public List<GroupKey> levels() {
    return levels;
  }

  /** Number of examples. */
  public int size() {
    return codes.length;
  }

  /** The group index of example {@code i}. */
  public int code(int i) {
    return codes[i];
  }

  /** A copy of the group index per example. */
  public int[] codes() {
    return codes.clone();
  }

  /** The group of example {@code i}. */
  public GroupKey group(int i) {
    return levels.get(codes[i]);
  }

  /** The index of {@code key} in {@link #levels()}; throws naming the known levels when absent. */
  public int indexOf(GroupKey key) {
    Integer i = indexOf.get(key);
    if (i == null) {
      throw new IllegalArgumentException("group " + key + " is not one of the levels " + levels);
    }
    return i;
  }

  /** Whether {@code key} is one of the levels. */
  public boolean contains(GroupKey key) {
    return indexOf.containsKey(key);
  }

  /** Members per group, indexed like {@link #levels()}. */
  public int[] counts() {
    int[] c = new int[levels.size()];
    for (int code : codes) {
      c[code]++;
    }
    return c;
  }

  /** The example indices of each group, indexed like {@link #levels()}. */
  public int[][] membersByGroup() {
    int[] c = counts();
    int[][] members = new int[levels.size()][];
    for (int g = 0; g < members.length; g++) {
      members[g] = new int[c[g]];
    }
    int[] fill = new int[levels.size()];
    for (int i = 0; i < codes.length; i++) {
      members[codes[i]][fill[codes[i]]++] = i;
    }
    return members;
  }

  /** The sub-assignment of the given examples (same levels). */
  public GroupAssignment select(int[] rows) {
    int[] sub = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      sub[i] = codes[rows[i]];
    }
    return new GroupAssignment(levels, sub);
  }

  /** The sensitive column names of the levels (all levels share them). */
  public List<String> columns() {
    return List.copyOf(levels.get(0).attributes().keySet());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GroupAssignment g && g.levels.equals(levels) && Arrays.equals(g.codes, codes);
  }

  @Override
  public int hashCode() {
    return 31 * levels.hashCode() + Arrays.hashCode(codes);
  }

  @Override
  public String toString() {
    return "GroupAssignment{" + codes.length + " examples, levels=" + levels + "}";
  }

  private static void requireSameColumns(List<GroupKey> levels) {
    var first = new HashSet<>(levels.get(0).attributes().keySet());
    for (GroupKey k : levels) {
      if (!first.equals(k.attributes().keySet())) {
        throw new IllegalArgumentException("all group levels must use the same columns; " + levels.get(0) + " and "
            + k + " differ");
      }
    }
  }
}
