package org.dpvideo.dpsgd.train;

import java.util.Arrays;

/**
 * Which task group each step of a multi-group run trains (Alternating Gradient Descent, Akbari et al.
 * 2023, as VideoPoet trains its tasks). The schedule is fixed before training from public settings
 * (the planned steps of each group), never from private data, so the accountant may treat it as public:
 * step s trains group {@link #groupAt(long) groupAt(s)} whatever the data are.
 *
 * <p>{@link #interleaved} spreads each group's steps evenly over the run (smooth weighted round robin:
 * at every step the group furthest behind its share goes next, ties to the lower index), so every
 * prefix of the run has close to each group's share. Immutable and thread-safe.
 */
public final class GroupSchedule {
  private final int groups;
  private final long[] stepsPerGroup;
  private final int[] order;

  private GroupSchedule(int groups, long[] stepsPerGroup, int[] order) {
    this.groups = groups;
    this.stepsPerGroup = stepsPerGroup;
    this.order = order;
  }

  /** One group for every one of {@code steps} steps. */
  public static GroupSchedule single(long steps) {
    if (steps < 1) {
      throw new IllegalArgumentException("a run needs at least one planned step, got " + steps);
    }
    return new GroupSchedule(1, new long[] {steps}, null);
  }

  /**
   * The steps of each group spread evenly over the run.
   *
   * @param stepsPerGroup planned steps of each group, each &gt;= 1; their sum at most 2^31 - 1
   * @throws IllegalArgumentException if a count is below 1 or the total is too large
   */
  public static GroupSchedule interleaved(long... stepsPerGroup) {
    if (stepsPerGroup.length == 0) {
      throw new IllegalArgumentException("a schedule needs at least one group");
    }
    long total = 0;
    for (int g = 0; g < stepsPerGroup.length; g++) {
      if (stepsPerGroup[g] < 1) {
        throw new IllegalArgumentException("every task group needs at least one planned step; group " + g + " has "
            + stepsPerGroup[g] + ". Leave the group out instead");
      }
      total += stepsPerGroup[g];
    }
    if (total > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("a multi-group schedule holds at most " + Integer.MAX_VALUE + " steps, got "
          + total);
    }
    if (stepsPerGroup.length == 1) {
      return single(total);
    }
    int[] order = new int[(int) total];
    long[] done = new long[stepsPerGroup.length];
    for (int s = 0; s < order.length; s++) {
      int best = -1;
      double bestLag = Double.NEGATIVE_INFINITY;
      for (int g = 0; g < stepsPerGroup.length; g++) {
        if (done[g] == stepsPerGroup[g]) {
          continue;
        }
        // How far group g is behind its share after s + 1 steps.
        double lag = (double) stepsPerGroup[g] * (s + 1) / total - done[g];
        if (lag > bestLag) {
          bestLag = lag;
          best = g;
        }
      }
      order[s] = best;
      done[best]++;
    }
    return new GroupSchedule(stepsPerGroup.length, stepsPerGroup.clone(), order);
  }

  /** The number of groups. */
  public int groupCount() {
    return groups;
  }

  /** The planned number of steps in total. */
  public long totalSteps() {
    long t = 0;
    for (long s : stepsPerGroup) {
      t += s;
    }
    return t;
  }

  /** The planned steps of group {@code g}. */
  public long stepsOf(int group) {
    return stepsPerGroup[group];
  }

  /** How many of the first {@code steps} steps train group {@code g}. */
  public long stepsOfGroupBefore(int group, long steps) {
    if (order == null) {
      return Math.min(steps, stepsPerGroup[0]);
    }
    long n = 0;
    long end = Math.min(steps, order.length);
    for (int s = 0; s < end; s++) {
      if (order[s] == group) {
        n++;
      }
    }
    return n;
  }

  /**
   * The group trained by step {@code step} (0-based).
   *
   * @throws IllegalArgumentException if the step is outside the plan
   */
  public int groupAt(long step) {
    if (step < 0 || step >= totalSteps()) {
      throw new IllegalArgumentException("step " + step + " is outside the planned " + totalSteps() + " steps");
    }
    return order == null ? 0 : order[(int) step];
  }

  @Override
  public String toString() {
    return "GroupSchedule" + Arrays.toString(stepsPerGroup);
  }
}
