package org.dpvideo.fairness.misalignment;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.dpvideo.fairness.group.GroupAssignment;

/** Shared validation of per-unit batch inputs. */
final class BatchInputs {
  private BatchInputs() {}

  static void requireUnits(int units, double[] values, GroupAssignment groups) {
    Objects.requireNonNull(values, "per-unit values");
    Objects.requireNonNull(groups, "groups");
    if (values.length != units || groups.size() != units) {
      throw new IllegalArgumentException("per-unit inputs disagree on the number of units: " + units + " units, "
          + values.length + " values, " + groups.size() + " group labels; pass one of each per unit of the batch");
    }
  }

  static void requireScaleFactors(double[] s) {
    List<String> bad = new ArrayList<>();
    for (int i = 0; i < s.length; i++) {
      if (!(s[i] >= 0) || Double.isInfinite(s[i])) {
        bad.add("unit " + i + ": " + s[i]);
      }
    }
    if (!bad.isEmpty()) {
      throw new IllegalArgumentException("scale factors must be finite and >= 0, got "
          + (bad.size() > 20 ? bad.subList(0, 20) + " and " + (bad.size() - 20) + " more" : bad));
    }
  }

  static void requireNorms(double[] n) {
    List<String> bad = new ArrayList<>();
    for (int i = 0; i < n.length; i++) {
      if (!(n[i] >= 0) || Double.isInfinite(n[i])) {
        bad.add("unit " + i + ": " + n[i]);
      }
    }
    if (!bad.isEmpty()) {
      throw new IllegalArgumentException("per-unit gradient norms must be finite and >= 0, got "
          + (bad.size() > 20 ? bad.subList(0, 20) + " and " + (bad.size() - 20) + " more" : bad)
          + "; a NaN or infinite norm means the loss diverged");
    }
  }
}
