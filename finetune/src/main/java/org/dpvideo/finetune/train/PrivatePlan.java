package org.dpvideo.finetune.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.dpvideo.dpsgd.accounting.ComposedEvent;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.accounting.GaussianEvent;
import org.dpvideo.dpsgd.accounting.NoiseCalibration;
import org.dpvideo.dpsgd.accounting.PoissonSampledEvent;
import org.dpvideo.dpsgd.accounting.PrivacyAccountant;
import org.dpvideo.dpsgd.accounting.PrivacyGuarantee;
import org.dpvideo.dpsgd.accounting.SelfComposedEvent;
import org.dpvideo.dpsgd.clipping.JointAccounting;
import org.dpvideo.dpsgd.clipping.NoisePlan;
import org.dpvideo.dpsgd.train.GroupSchedule;

/**
 * The privacy plan of a fine-tune, fixed from its {@link PrivacySettings} and the task groups' public step
 * shares before any private data is read: sigma (calibrated for the target epsilon, or given), each
 * group's planned steps, the whole planned event and its epsilon.
 *
 * <p>Task groups: step s trains the group {@code GroupSchedule.interleaved(stepsPerGroup).groupAt(s)}, a
 * public schedule; each group samples its units with the same rate q. The planned event composes
 * {@code SelfComposed(PoissonSampled(q, Gaussian(sigma_eff)), T_g)} over the groups: the guarantee of a
 * unit that has examples in every group, the worst case. Sigma is calibrated on that composed event.
 *
 * @param settings the privacy settings
 * @param groupNames the task groups, in schedule order
 * @param stepsPerGroup each group's planned steps
 * @param noiseMultiplier sigma of the gradient noise
 * @param effectiveMultiplier the joint multiplier each step is accounted with (below sigma when the
 *     clipping rule also releases a count)
 * @param planned the whole planned event (reserve it in the ledger)
 * @param guarantee the planned event's epsilon at delta
 */
public record PrivatePlan(PrivacySettings settings, List<String> groupNames, long[] stepsPerGroup,
    double noiseMultiplier, double effectiveMultiplier, DpEvent planned, PrivacyGuarantee guarantee) {
  public PrivatePlan {
    Objects.requireNonNull(settings, "settings");
    groupNames = List.copyOf(groupNames);
    stepsPerGroup = stepsPerGroup.clone();
  }

  /**
   * Plans a fine-tune.
   *
   * @param groupNames task groups in schedule order
   * @param weights each group's share of the steps (public), &gt; 0; every group must get at least one step
   * @param accountant the accountant of the calibration
   */
  public static PrivatePlan of(PrivacySettings s, List<String> groupNames, double[] weights,
      PrivacyAccountant accountant) {
    if (groupNames.isEmpty() || groupNames.size() != weights.length) {
      throw new IllegalArgumentException("need one weight per task group, got " + groupNames.size() + " groups and "
          + weights.length + " weights");
    }
    long[] steps = split(s.steps(), weights, groupNames);
    double sigma;
    if (s.noiseMultiplier().isPresent()) {
      sigma = s.noiseMultiplier().getAsDouble();
    } else {
      sigma = new NoiseCalibration(accountant).noiseMultiplier(s.targetEpsilon().getAsDouble(), s.delta(),
          x -> event(s, steps, NoisePlan.of(x, JointAccounting.GRADIENT_MULTIPLIER, s.clipping()).effectiveMultiplier()))
          .noiseMultiplier();
    }
    double effective = NoisePlan.of(sigma, JointAccounting.GRADIENT_MULTIPLIER, s.clipping()).effectiveMultiplier();
    DpEvent planned = event(s, steps, effective);
    return new PrivatePlan(s, groupNames, steps, sigma, effective, planned, accountant.epsilon(planned, s.delta()));
  }

  /** The composed event of the groups' steps, as the engine's DpTrainer.planned() writes it. */
  static DpEvent event(PrivacySettings s, long[] steps, double effectiveMultiplier) {
    List<DpEvent> parts = new ArrayList<>();
    for (long n : steps) {
      parts.add(new SelfComposedEvent(new PoissonSampledEvent(s.samplingRate(), new GaussianEvent(effectiveMultiplier)),
          Math.toIntExact(n)));
    }
    return parts.size() == 1 ? parts.get(0) : new ComposedEvent(parts);
  }

  /** Splits {@code total} steps by weight (largest remainders), each group at least one step. */
  static long[] split(long total, double[] weights, List<String> names) {
    double sum = 0;
    for (double w : weights) {
      if (!(w > 0) || Double.isInfinite(w)) {
        throw new IllegalArgumentException("task group weights must be finite and > 0, got " + w);
      }
      sum += w;
    }
    long[] out = new long[weights.length];
    double[] rem = new double[weights.length];
    long given = 0;
    for (int i = 0; i < weights.length; i++) {
      double exact = total * weights[i] / sum;
      out[i] = (long) Math.floor(exact);
      rem[i] = exact - out[i];
      given += out[i];
    }
    while (given < total) {
      int best = 0;
      for (int i = 1; i < rem.length; i++) {
        if (rem[i] > rem[best]) {
          best = i;
        }
      }
      out[best]++;
      rem[best] = -1;
      given++;
    }
    for (int i = 0; i < out.length; i++) {
      if (out[i] < 1) {
        throw new IllegalArgumentException("task group '" + names.get(i) + "' gets no step of " + total + " with weight "
            + weights[i] + "; raise the steps or its weight, or leave it out");
      }
    }
    return out;
  }

  /** The public schedule of the groups. */
  public GroupSchedule schedule() {
    return GroupSchedule.interleaved(stepsPerGroup);
  }

  /** Total planned steps. */
  public long totalSteps() {
    long t = 0;
    for (long n : stepsPerGroup) {
      t += n;
    }
    return t;
  }
}
