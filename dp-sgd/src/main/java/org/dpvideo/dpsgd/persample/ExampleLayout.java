package org.dpvideo.dpsgd.persample;

import java.util.Arrays;

/**
 * Which privacy unit each example of a micro-batch belongs to. Units are numbered 0..U-1 in the order
 * of their examples, and a unit's examples are contiguous (example-level privacy: unit e is example e).
 */
public final class ExampleLayout {
  private final int[] unitOfExample;
  private final int units;
  private final boolean oneExamplePerUnit;

  private ExampleLayout(int[] unitOfExample, int units, boolean oneExamplePerUnit) {
    this.unitOfExample = unitOfExample;
    this.units = units;
    this.oneExamplePerUnit = oneExamplePerUnit;
  }

  /** Every example its own unit. */
  public static ExampleLayout perExample(int examples) {
    if (examples < 1) {
      throw new IllegalArgumentException("a micro-batch needs at least one example, got " + examples);
    }
    int[] u = new int[examples];
    Arrays.setAll(u, i -> i);
    return new ExampleLayout(u, examples, true);
  }

  /**
   * A layout from each example's unit.
   *
   * @param unitOfExample non-decreasing, starting at 0, increasing by at most 1 (units contiguous)
   */
  public static ExampleLayout of(int[] unitOfExample) {
    if (unitOfExample.length == 0) {
      throw new IllegalArgumentException("a micro-batch needs at least one example");
    }
    if (unitOfExample[0] != 0) {
      throw new IllegalArgumentException("the first example must belong to unit 0, got " + unitOfExample[0]);
    }
    for (int e = 1; e < unitOfExample.length; e++) {
      int step = unitOfExample[e] - unitOfExample[e - 1];
      if (step != 0 && step != 1) {
        throw new IllegalArgumentException("units must be numbered in example order with contiguous examples;"
            + " example " + e + " has unit " + unitOfExample[e] + " after unit " + unitOfExample[e - 1]);
      }
    }
    int units = unitOfExample[unitOfExample.length - 1] + 1;
    return new ExampleLayout(unitOfExample.clone(), units, units == unitOfExample.length);
  }

  /** Number of examples B. */
  public int examples() {
    return unitOfExample.length;
  }

  /** Number of units U. */
  public int units() {
    return units;
  }

  /** The unit of example e. */
  public int unitOf(int example) {
    return unitOfExample[example];
  }

  /** Whether every unit has exactly one example. */
  public boolean oneExamplePerUnit() {
    return oneExamplePerUnit;
  }
}
