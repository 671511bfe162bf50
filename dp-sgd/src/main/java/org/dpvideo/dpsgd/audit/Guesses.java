package org.dpvideo.dpsgd.audit;

/**
 * How many canaries the auditor guesses: "included" for the {@code positive} highest scores and
 * "excluded" for the {@code negative} lowest, abstaining on the rest (Steinke, Nasr and Jagielski 2023,
 * the k+ and k- of their experiments).
 *
 * @param positive k+, &gt;= 0
 * @param negative k-, &gt;= 0; {@code k+ + k- >= 1}
 */
public record Guesses(int positive, int negative) {
  public Guesses {
    if (positive < 0 || negative < 0 || positive + negative < 1) {
      throw new IllegalArgumentException("the numbers of positive and negative guesses must be >= 0 and make at least"
          + " one guess, got k+ = " + positive + ", k- = " + negative);
    }
  }

  /** r = k+ + k-. */
  public int total() {
    return positive + negative;
  }

  /**
   * Checks that the guesses fit m canaries.
   *
   * @throws IllegalArgumentException if {@code k+ + k- > m}
   */
  public void requireFits(int canaries) {
    if (total() > canaries) {
      throw new IllegalArgumentException("k+ + k- = " + total() + " guesses do not fit " + canaries + " canaries; guess"
          + " at most m in total");
    }
  }

  @Override
  public String toString() {
    return "k+=" + positive + ",k-=" + negative;
  }
}
