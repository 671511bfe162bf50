package org.dpvideo.fairness.group;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * One or more sensitive columns over the same examples, combined into intersectional groups: the
 * groups are the <b>Cartesian product</b> of each column's levels (as in Fairlearn's MetricFrame with
 * several sensitive features), so a combination no example has is still a group, reported as empty.
 *
 * <p>A column's levels are the ones passed explicitly (to show a known level that the data lacks), or
 * else its observed values in sorted order. Immutable and thread-safe.
 */
public final class SensitiveFeatures {
  private final LinkedHashMap<String, String[]> columns;
  private final LinkedHashMap<String, List<String>> levels;
  private final GroupAssignment assignment;

  private SensitiveFeatures(LinkedHashMap<String, String[]> columns, LinkedHashMap<String, List<String>> levels) {
    this.columns = columns;
    this.levels = levels;
    this.assignment = buildAssignment();
  }

  /** A builder; add columns in the order they should appear in group labels. */
  public static Builder builder() {
    return new Builder();
  }

  /** The intersectional assignment (the Cartesian product of the column levels). */
  public GroupAssignment assignment() {
    return assignment;
  }

  /** Column names, in order. */
  public List<String> columnNames() {
    return List.copyOf(columns.keySet());
  }

  /** The levels of one column, in order. */
  public List<String> levels(String column) {
    List<String> l = levels.get(column);
    if (l == null) {
      throw new IllegalArgumentException("no sensitive column '" + column + "'; columns are " + columns.keySet());
    }
    return l;
  }

  /** The assignment by one column alone (marginal groups). */
  public GroupAssignment marginal(String column) {
    levels(column);
    LinkedHashMap<String, String[]> c = new LinkedHashMap<>();
    c.put(column, columns.get(column));
    LinkedHashMap<String, List<String>> l = new LinkedHashMap<>();
    l.put(column, levels.get(column));
    return new SensitiveFeatures(c, l).assignment();
  }

  private GroupAssignment buildAssignment() {
    List<String> names = new ArrayList<>(columns.keySet());
    int n = columns.get(names.get(0)).length;
    List<Map<String, Integer>> index = new ArrayList<>();
    int[] radix = new int[names.size()];
    long total = 1;
    for (int c = 0; c < names.size(); c++) {
      List<String> l = levels.get(names.get(c));
      Map<String, Integer> m = new HashMap<>();
      for (int i = 0; i < l.size(); i++) {
        m.put(l.get(i), i);
      }
      index.add(m);
      radix[c] = l.size();
      total *= l.size();
      if (total > 1_000_000) {
        throw new IllegalArgumentException("the Cartesian product of the sensitive columns " + names + " has more than"
            + " 1,000,000 groups; combine fewer columns or coarsen their levels");
      }
    }
    List<GroupKey> keys = new ArrayList<>();
    int[] digits = new int[names.size()];
    for (long g = 0; g < total; g++) {
      long rest = g;
      for (int c = names.size() - 1; c >= 0; c--) {
        digits[c] = (int) (rest % radix[c]);
        rest /= radix[c];
      }
      LinkedHashMap<String, String> attrs = new LinkedHashMap<>();
      for (int c = 0; c < names.size(); c++) {
        attrs.put(names.get(c), levels.get(names.get(c)).get(digits[c]));
      }
      keys.add(new GroupKey(attrs));
    }
    int[] codes = new int[n];
    List<String> bad = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int code = 0;
      for (int c = 0; c < names.size(); c++) {
        String v = columns.get(names.get(c))[i];
        Integer d = index.get(c).get(v);
        if (d == null) {
          bad.add("example " + i + " has " + names.get(c) + "='" + v + "'");
          d = 0;
        }
        code = code * radix[c] + d;
      }
      codes[i] = code;
    }
    if (!bad.isEmpty()) {
      throw new IllegalArgumentException("values outside the declared levels: "
          + (bad.size() > 20 ? bad.subList(0, 20) + " and " + (bad.size() - 20) + " more" : bad)
          + "; declared levels are " + levels + "; add the missing levels or fix the data");
    }
    return new GroupAssignment(keys, codes);
  }

  /** Collects sensitive columns. Not thread-safe; use once. */
  public static final class Builder {
    private final LinkedHashMap<String, String[]> columns = new LinkedHashMap<>();
    private final LinkedHashMap<String, List<String>> levels = new LinkedHashMap<>();

    private Builder() {}

    /** Adds a column whose levels are its observed values, sorted. */
    public Builder column(String name, String[] values) {
      Objects.requireNonNull(values, "values");
      return column(name, values, List.copyOf(new TreeSet<>(nonBlank(name, values))));
    }

    /**
     * Adds a column with explicit levels (in display order). Every value must be one of the levels;
     * levels that no example has become empty groups.
     */
    public Builder column(String name, String[] values, List<String> declaredLevels) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("a sensitive column needs a non-blank name, got '" + name + "'");
      }
      if (columns.containsKey(name)) {
        throw new IllegalArgumentException("sensitive column '" + name + "' was added twice");
      }
      Objects.requireNonNull(values, "values");
      Objects.requireNonNull(declaredLevels, "declaredLevels");
      if (!columns.isEmpty()) {
        int n = columns.values().iterator().next().length;
        if (values.length != n) {
          throw new IllegalArgumentException("sensitive column '" + name + "' has " + values.length
              + " values but the columns before it have " + n + "; every column needs one value per example");
        }
      }
      nonBlank(name, values);
      if (declaredLevels.isEmpty()) {
        throw new IllegalArgumentException("sensitive column '" + name + "' has no levels (no examples and none"
            + " declared); declare its levels explicitly");
      }
      if (new TreeSet<>(declaredLevels).size() != declaredLevels.size()) {
        throw new IllegalArgumentException("levels of column '" + name + "' repeat a value: " + declaredLevels);
      }
      columns.put(name, values.clone());
      levels.put(name, List.copyOf(declaredLevels));
      return this;
    }

    /** The features; at least one column. */
    public SensitiveFeatures build() {
      if (columns.isEmpty()) {
        throw new IllegalArgumentException("sensitive features need at least one column; add one with column(...)");
      }
      return new SensitiveFeatures(new LinkedHashMap<>(columns), new LinkedHashMap<>(levels));
    }

    private static List<String> nonBlank(String name, String[] values) {
      List<String> bad = new ArrayList<>();
      for (int i = 0; i < values.length; i++) {
        if (values[i] == null || values[i].isBlank()) {
          bad.add("example " + i);
        }
      }
      if (!bad.isEmpty()) {
        throw new IllegalArgumentException("sensitive column '" + name + "' has blank values at "
            + (bad.size() > 20 ? bad.subList(0, 20) + " and " + (bad.size() - 20) + " more" : bad)
            + "; give every example an explicit level such as \"unknown\"");
      }
      return List.of(values);
    }
  }
}
