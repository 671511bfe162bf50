package org.dpvideo.testkit;

/**
 * JUnit 5 tags of the opt-in test tiers. Untagged tests run in every build ({@code mvn verify});
 * {@code mvn verify -Dtest.excludedGroups= -Dtest.groups=slow} runs the slow tier, {@code ...=gpu} the
 * GPU tier (GPU tests skip with a reason when no usable GPU is present).
 */
public final class Tiers {
  private Tiers() {}

  /** Tests that take minutes (long training runs, full data sets). */
  public static final String SLOW = "slow";
  /** Tests that need a CUDA GPU and the {@code cuda} profile. */
  public static final String GPU = "gpu";
}
