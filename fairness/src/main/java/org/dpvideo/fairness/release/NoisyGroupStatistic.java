package org.dpvideo.fairness.release;

import java.util.List;
import java.util.Objects;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.noise.RandomnessLabel;
import org.dpvideo.fairness.Provenance;
import org.dpvideo.fairness.group.GroupKey;
import org.dpvideo.fairness.metrics.GroupEstimate;

/**
 * A released per-group statistic: per group the noisy value with its interval and the rounded noisy
 * count; groups whose noisy count is below the threshold are
 * {@link org.dpvideo.fairness.metrics.GroupStatus#SUPPRESSED_SMALL} (a DP release never reports a group
 * as empty: that would reveal an exact zero).
 *
 * @param statistic what it is, e.g. "mean clamped NLL in [0, 10]"
 * @param provenance TRAIN_DP or EVAL_PRIVATE_DP
 * @param groups per-group figures, in level order
 * @param noiseMultiplier the effective noise multiplier of the (joint) Gaussian mechanism
 * @param event the accounted event (already recorded in the release account)
 * @param noiseSource secure or seeded
 */
public record NoisyGroupStatistic(String statistic, Provenance provenance, List<GroupEstimate> groups,
    double noiseMultiplier, DpEvent event, RandomnessLabel noiseSource) {

  /** Validates and copies. */
  public NoisyGroupStatistic {
    Objects.requireNonNull(statistic, "statistic");
    Objects.requireNonNull(provenance, "provenance");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(noiseSource, "noiseSource");
    groups = List.copyOf(groups);
  }

  /** The figure of one group. */
  public GroupEstimate group(GroupKey key) {
    return groups.stream().filter(g -> g.group().equals(key)).findFirst().orElseThrow(
        () -> new IllegalArgumentException("no group " + key + " in " + statistic));
  }
}
