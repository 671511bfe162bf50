package org.dpvideo.fairness.classify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.dpvideo.dpsgd.layers.DpModel;
import org.dpvideo.dpsgd.step.NonPrivateStep;
import org.dpvideo.fairness.group.GroupKey;
import org.dpvideo.fairness.misalignment.LayeredVector;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The full-data group gradients g_{D_k} = mean over group k's training examples of the per-example gradient,
 * at the model's current parameters (fairness spec §1.4.4 step 1; the reference code passes over the training
 * set in chunks of 1000). Computed with the engine's exact non-private backward pass per chunk of a group
 * (the chunk mean times its size, summed, over the group size). Layers are the trainable parameters in sorted
 * name order, the order {@link org.dpvideo.fairness.misalignment.MisalignmentObserver} uses.
 *
 * <p>Raw private training data: the result is internal, not differentially private. Not thread-safe.
 */
final class FullDataGroupGradients {
  private static final int CHUNK = 1000;

  private final NonPrivateStep step;
  private final TabularData data;
  private final List<GroupKey> levels;

  FullDataGroupGradients(DpModel model, TabularData data) {
    this.step = new NonPrivateStep(model);
    this.data = data;
    this.levels = data.groupAssignment().levels();
  }

  /** g_{D_k} for every group with at least one training example, at the current parameters. */
  Map<GroupKey, LayeredVector> compute() {
    int[] codes = data.groupCodes();
    Map<GroupKey, LayeredVector> out = new LinkedHashMap<>();
    for (int g = 0; g < levels.size(); g++) {
      List<Integer> members = new ArrayList<>();
      for (int i = 0; i < codes.length; i++) {
        if (codes[i] == g) {
          members.add(i);
        }
      }
      if (members.isEmpty()) {
        continue;
      }
      TreeMap<String, INDArray> sum = new TreeMap<>();
      for (int from = 0; from < members.size(); from += CHUNK) {
        int to = Math.min(members.size(), from + CHUNK);
        int[] rows = members.subList(from, to).stream().mapToInt(Integer::intValue).toArray();
        Map<String, INDArray> ph = TrainedClassifier.placeholders(data, rows);
        Map<String, INDArray> mean = step.gradient(ph).values();
        for (var e : mean.entrySet()) {
          INDArray part = e.getValue().castTo(DataType.DOUBLE).reshape(e.getValue().length()).mul(rows.length);
          INDArray acc = sum.get(e.getKey());
          if (acc == null) {
            sum.put(e.getKey(), part);
          } else {
            acc.addi(part);
            part.close();
          }
        }
        ph.values().forEach(INDArray::close);
      }
      List<INDArray> layers = new ArrayList<>();
      for (INDArray s : sum.values()) {
        layers.add(s.divi(members.size()));
      }
      out.put(levels.get(g), LayeredVector.of(layers));
      layers.forEach(INDArray::close);
    }
    return out;
  }
}
