package org.dpvideo.dpsgd.step;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * INTERNAL, NOT DIFFERENTIALLY PRIVATE: sees per-unit quantities of every micro-batch of a private
 * step (norms, clip factors, groups, losses) and can ask for weighted sums of per-unit gradients.
 * Everything it sees is raw private data. It exists so that fairness diagnostics (per-group clip
 * fractions, gradient misalignment) can be computed; their results may leave the process only through
 * an accounted mechanism, or marked as unprotected internal output. Observers must not change the step.
 */
@FunctionalInterface
public interface UnprotectedStepObserver {

  /**
   * Called once per micro-batch, after clipping factors are known and before the micro-batch's
   * arrays are freed.
   */
  void onMicroBatch(UnprotectedMicroBatchView view);

  /** Raw per-unit data of one micro-batch. Valid only during the callback. */
  interface UnprotectedMicroBatchView {
    /** The step number (0-based) of the trainer, or -1 outside a trainer. */
    long step();

    /** Global unit ids, per local unit. */
    int[] unitIds();

    /** Each unit's group, or null when the units have none. */
    int[] unitGroups();

    /** Each unit's gradient norm (unclipped). */
    double[] unitNorms();

    /** Each unit's clip factor. */
    double[] clipFactors();

    /** Each example's loss, in micro-batch order, and each example's local unit. */
    double[] exampleLosses();

    /** Each example's local unit index. */
    int[] unitOfExample();

    /**
     * {@code sum_u w_u g_u} over this micro-batch's units (fresh arrays by parameter name), for
     * example per-group sums of unclipped ({@code w = 1[group = k]}) or clipped
     * ({@code w = c_u 1[group = k]}) gradients.
     */
    Map<String, INDArray> weightedGradientSum(double[] unitWeights);
  }
}
