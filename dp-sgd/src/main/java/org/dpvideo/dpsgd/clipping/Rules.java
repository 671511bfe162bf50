package org.dpvideo.dpsgd.clipping;

/** Shared argument checks of the rules. */
final class Rules {
  private Rules() {}

  static void requirePositive(String what, double value, String fix) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(what + " must be finite and > 0, got " + value + "; " + fix);
    }
  }

  static int[] requireGroups(int[] unitGroups, int units, int groupCount, String rule) {
    if (unitGroups == null) {
      throw new IllegalArgumentException(rule + " needs each unit's group label; give the privacy units groups");
    }
    if (unitGroups.length != units) {
      throw new IllegalArgumentException(rule + " got " + unitGroups.length + " group labels for " + units + " units");
    }
    for (int g : unitGroups) {
      if (g < 0 || g >= groupCount) {
        throw new IllegalArgumentException(rule + " got group " + g + "; groups must be in 0.." + (groupCount - 1));
      }
    }
    return unitGroups;
  }
}
