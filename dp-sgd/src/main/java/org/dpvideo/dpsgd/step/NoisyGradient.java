package org.dpvideo.dpsgd.step;

import java.util.Collections;
import java.util.Map;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.noise.RandomnessLabel;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The released gradient of one private step: {@code (sum_u c_u g_u + N(0, sigma^2 S^2 I)) / (q N)},
 * per trained parameter, together with the event that accounts it. Only the privacy kernel can
 * create one ({@link PrivateStep}, or {@link AggregateRelease} for sums aggregated from data-parallel
 * workers), and the private optimizers accept nothing else, so no unclipped or un-noised gradient
 * can reach the parameters of a private run.
 *
 * <p>Use once: an optimizer {@linkplain #consume() consumes} it (it may overwrite the arrays in
 * place), and the next private step of the same kernel reuses the arrays, invalidating this object.
 * Reading values before consumption is post-processing of a released value and needs no accounting.
 */
public final class NoisyGradient {
  private final Map<String, INDArray> values;
  private final DpEvent event;
  private final RandomnessLabel randomness;
  private final long generation;
  private final ReleaseKernel owner;
  private boolean consumed;

  NoisyGradient(Map<String, INDArray> values, DpEvent event, RandomnessLabel randomness, ReleaseKernel owner,
      long generation) {
    this.values = Collections.unmodifiableMap(values);
    this.event = event;
    this.randomness = randomness;
    this.owner = owner;
    this.generation = generation;
  }

  private void checkValid() {
    if (consumed) {
      throw new IllegalStateException("this NoisyGradient was already applied; a released gradient is used once");
    }
    if (owner.generation() != generation) {
      throw new IllegalStateException("a later private step reused this NoisyGradient's arrays; apply each"
          + " gradient before computing the next");
    }
  }

  /** The noisy gradient of each trained parameter, by name (do not modify). */
  public Map<String, INDArray> values() {
    checkValid();
    return values;
  }

  /** The privacy event of the step that released it. */
  public DpEvent event() {
    return event;
  }

  /** Where the noise came from. */
  public RandomnessLabel randomness() {
    return randomness;
  }

  /**
   * Marks the gradient used and returns its arrays for an in-place update.
   *
   * @throws IllegalStateException if it was already consumed or invalidated
   */
  public Map<String, INDArray> consume() {
    checkValid();
    consumed = true;
    return values;
  }
}
