package org.dpvideo.dpsgd.sampling;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The privacy units of a training set: which examples each unit owns and, when a rule needs it
 * (DPSGD-F), each unit's group. Immutable.
 */
public final class PrivacyUnits {
  private final PrivacyUnit kind;
  private final int[][] examplesOfUnit;
  private final int[] groupOfUnit;
  private final int maxExamples;

  private PrivacyUnits(PrivacyUnit kind, int[][] examplesOfUnit, int[] groupOfUnit) {
    this.kind = kind;
    this.examplesOfUnit = examplesOfUnit;
    this.groupOfUnit = groupOfUnit;
    int max = 0;
    for (int[] e : examplesOfUnit) {
      max = Math.max(max, e.length);
    }
    this.maxExamples = max;
  }

  /** Example-level units: unit i is example i, for {@code examples} examples. */
  public static PrivacyUnits perExample(int examples) {
    if (examples < 1) {
      throw new IllegalArgumentException("a training set needs at least one example, got " + examples);
    }
    int[][] u = new int[examples][];
    for (int i = 0; i < examples; i++) {
      u[i] = new int[] {i};
    }
    return new PrivacyUnits(PrivacyUnit.EXAMPLE, u, null);
  }

  /**
   * Subject-level units from each example's subject id (any non-negative ints); units are numbered
   * in order of first appearance.
   */
  public static PrivacyUnits bySubject(int[] subjectOfExample) {
    if (subjectOfExample.length == 0) {
      throw new IllegalArgumentException("a training set needs at least one example");
    }
    Map<Integer, List<Integer>> bySubject = new LinkedHashMap<>();
    for (int e = 0; e < subjectOfExample.length; e++) {
      if (subjectOfExample[e] < 0) {
        throw new IllegalArgumentException("subject ids must be >= 0; example " + e + " has " + subjectOfExample[e]);
      }
      bySubject.computeIfAbsent(subjectOfExample[e], k -> new ArrayList<>()).add(e);
    }
    int[][] u = new int[bySubject.size()][];
    int i = 0;
    for (List<Integer> ex : bySubject.values()) {
      u[i++] = ex.stream().mapToInt(Integer::intValue).toArray();
    }
    return new PrivacyUnits(PrivacyUnit.SUBJECT, u, null);
  }

  /**
   * The same units with a group per unit (needed by DPSGD-F).
   *
   * @param groupOfUnit one group id (&gt;= 0) per unit
   */
  public PrivacyUnits withGroups(int[] groupOfUnit) {
    if (groupOfUnit.length != examplesOfUnit.length) {
      throw new IllegalArgumentException("need one group per unit (" + examplesOfUnit.length + "), got " + groupOfUnit.length);
    }
    for (int u = 0; u < groupOfUnit.length; u++) {
      if (groupOfUnit[u] < 0) {
        throw new IllegalArgumentException("group ids must be >= 0; unit " + u + " has " + groupOfUnit[u]);
      }
    }
    return new PrivacyUnits(kind, examplesOfUnit, groupOfUnit.clone());
  }

  /**
   * Groups from each example's group, for subject units: every example of a subject must have the
   * same group.
   *
   * @throws IllegalArgumentException listing every subject whose examples disagree
   */
  public PrivacyUnits withExampleGroups(int[] groupOfExample) {
    int[] g = new int[examplesOfUnit.length];
    List<String> bad = new ArrayList<>();
    for (int u = 0; u < examplesOfUnit.length; u++) {
      g[u] = groupOfExample[examplesOfUnit[u][0]];
      for (int e : examplesOfUnit[u]) {
        if (groupOfExample[e] != g[u]) {
          bad.add("unit " + u + " (examples " + Arrays.toString(examplesOfUnit[u]) + ")");
          break;
        }
      }
    }
    if (!bad.isEmpty()) {
      throw new IllegalArgumentException("every example of a privacy unit must be in one group; these units mix groups: "
          + String.join(", ", bad));
    }
    return withGroups(g);
  }

  /** Example or subject. */
  public PrivacyUnit kind() {
    return kind;
  }

  /** N, the number of units. */
  public int count() {
    return examplesOfUnit.length;
  }

  /** The examples of a unit (a copy). */
  public int[] examplesOf(int unit) {
    return examplesOfUnit[unit].clone();
  }

  int examplesCount(int unit) {
    return examplesOfUnit[unit].length;
  }

  int example(int unit, int i) {
    return examplesOfUnit[unit][i];
  }

  /** The largest number of examples of one unit. */
  public int maxExamplesPerUnit() {
    return maxExamples;
  }

  /** Whether groups are known. */
  public boolean hasGroups() {
    return groupOfUnit != null;
  }

  /** The group of a unit. */
  public int group(int unit) {
    if (groupOfUnit == null) {
      throw new IllegalStateException("these privacy units have no groups; add them with withGroups(...)");
    }
    return groupOfUnit[unit];
  }

  /** The number of groups (largest id + 1), or 0 without groups. */
  public int groupCount() {
    if (groupOfUnit == null) {
      return 0;
    }
    int max = -1;
    for (int g : groupOfUnit) {
      max = Math.max(max, g);
    }
    return max + 1;
  }
}
