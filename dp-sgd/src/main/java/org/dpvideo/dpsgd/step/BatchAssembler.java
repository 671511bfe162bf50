package org.dpvideo.dpsgd.step;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Builds a micro-batch's placeholders from example ids: every per-example placeholder gets one row per
 * id, in the given order (shared placeholders as they are). Implemented by the data layer (video
 * sequences, tabular rows).
 */
@FunctionalInterface
public interface BatchAssembler {
  /**
   * @param exampleIds examples in micro-batch order (never empty)
   * @return placeholder arrays by name
   */
  Map<String, INDArray> placeholders(int[] exampleIds);
}
