package org.dpvideo.fairness.release;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.noise.RandomnessLabel;
import org.dpvideo.fairness.group.GroupKey;
import org.dpvideo.fairness.metrics.GroupStatus;
import org.dpvideo.fairness.misalignment.LayeredVector;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Released per-group sums of clipped per-unit gradients with noisy counts. Group mean gradients
 * (a DP estimate of the clipped g_{D_k}), their norms and cosines with any released vector (e.g. the
 * noisy training update) are post-processing.
 *
 * <p>Immutable by contract.
 */
public final class NoisyGroupGradients {
  private final List<GroupKey> groups;
  private final List<INDArray> noisySums;
  private final double[] noisyCounts;
  private final GroupStatus[] status;
  private final double clipNorm;
  private final DpEvent event;
  private final RandomnessLabel noiseSource;

  NoisyGroupGradients(List<GroupKey> groups, List<INDArray> noisySums, double[] noisyCounts, GroupStatus[] status,
      double clipNorm, DpEvent event, RandomnessLabel noiseSource) {
    this.groups = List.copyOf(groups);
    this.noisySums = List.copyOf(noisySums);
    this.noisyCounts = noisyCounts.clone();
    this.status = status.clone();
    this.clipNorm = clipNorm;
    this.event = event;
    this.noiseSource = noiseSource;
  }

  /** The groups. */
  public List<GroupKey> groups() {
    return groups;
  }

  /** The noisy count of a group. */
  public double noisyCount(GroupKey group) {
    return noisyCounts[index(group)];
  }

  /** Whether the group is reported or suppressed (by its noisy count). */
  public GroupStatus status(GroupKey group) {
    return status[index(group)];
  }

  /** The clipping bound applied inside the mechanism. */
  public double clipNorm() {
    return clipNorm;
  }

  /** The accounted event. */
  public DpEvent event() {
    return event;
  }

  /** Secure or seeded noise. */
  public RandomnessLabel noiseSource() {
    return noiseSource;
  }

  /**
   * The noisy mean clipped gradient of a group, noisy sum / noisy count.
   *
   * @throws IllegalStateException when the group is suppressed (noisy count below the threshold)
   */
  public LayeredVector meanGradient(GroupKey group) {
    int g = index(group);
    if (status[g] != GroupStatus.REPORTED) {
      throw new IllegalStateException("group " + group + " is suppressed (noisy count " + noisyCounts[g]
          + " below the threshold); its mean gradient is not released");
    }
    List<INDArray> pieces = new ArrayList<>();
    for (INDArray s : noisySums) {
      pieces.add(s.getRow(g).div(noisyCounts[g]));
    }
    return LayeredVector.of(pieces);
  }

  /** cos(mean gradient of {@code group}, {@code other}), NaN when either is zero. */
  public double cosine(GroupKey group, LayeredVector other) {
    Objects.requireNonNull(other, "other");
    LayeredVector m = meanGradient(group);
    double d = m.norm() * other.norm();
    return d == 0 ? Double.NaN : m.dot(other) / Math.max(d, 1e-8);
  }

  private int index(GroupKey group) {
    int i = groups.indexOf(group);
    if (i < 0) {
      throw new IllegalArgumentException("no group " + group + "; groups are " + groups);
    }
    return i;
  }
}
