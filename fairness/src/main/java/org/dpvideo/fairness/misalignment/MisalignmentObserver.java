package org.dpvideo.fairness.misalignment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.LongFunction;
import org.dpvideo.dpsgd.step.UnprotectedStepObserver;
import org.dpvideo.fairness.group.GroupAssignment;
import org.dpvideo.fairness.group.GroupKey;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Feeds {@link MisalignmentDiagnostics} from the DP engine's internal-only step hook
 * ({@link UnprotectedStepObserver}): on due steps it collects every micro-batch's per-unit norms, clip
 * factors and groups, and asks the engine for per-group weighted gradient sums (weights 1[group = k] for
 * the unclipped and c_u·1[group = k] for the clipped sums: 2K re-weighted sums per micro-batch, on due
 * steps only). A step's diagnostics are recorded when the next step's first micro-batch arrives, or on
 * {@link #finish()}. Layers are the engine's parameters in sorted name order; full-data group gradients
 * must use the same order.
 *
 * <p>Everything it sees is raw private data: its output is
 * {@link org.dpvideo.fairness.Provenance#TRAIN_UNPROTECTED} (internal). Not thread-safe; the trainer
 * calls it from its own thread.
 */
public final class MisalignmentObserver implements UnprotectedStepObserver {
  private final MisalignmentDiagnostics diagnostics;
  private final List<GroupKey> levels;
  private final double clipThreshold;
  private final double learningRate;
  private final double clipNorm;
  private final double noiseMultiplier;
  private final LongFunction<Map<GroupKey, LayeredVector>> fullData;
  private Pending pending;

  /**
   * @param diagnostics the collector (its schedule decides which steps are observed)
   * @param levels the groups, indexed by the engine's group ids
   * @param clipThreshold units with a norm above it count as clipped
   * @param learningRate η
   * @param clipNorm C
   * @param noiseMultiplier σ
   * @param fullData g_{D_k} per group at a step's parameters (may return an empty map); null for none
   */
  public MisalignmentObserver(MisalignmentDiagnostics diagnostics, List<GroupKey> levels, double clipThreshold,
      double learningRate, double clipNorm, double noiseMultiplier,
      LongFunction<Map<GroupKey, LayeredVector>> fullData) {
    this.diagnostics = Objects.requireNonNull(diagnostics, "diagnostics");
    this.levels = List.copyOf(levels);
    this.clipThreshold = clipThreshold;
    this.learningRate = learningRate;
    this.clipNorm = clipNorm;
    this.noiseMultiplier = noiseMultiplier;
    this.fullData = fullData == null ? step -> Map.of() : fullData;
  }

  @Override
  public void onMicroBatch(UnprotectedMicroBatchView view) {
    long step = view.step();
    if (pending != null && pending.step != step) {
      flush();
    }
    if (step < 0 || !diagnostics.isDue(step)) {
      return;
    }
    int[] groups = view.unitGroups();
    if (groups == null) {
      throw new IllegalStateException("misalignment diagnostics need each unit's group; give the privacy units"
          + " group labels (they are used for diagnostics only, not by Global-Adapt's training)");
    }
    if (pending == null) {
      pending = new Pending(step);
    }
    double[] norms = view.unitNorms();
    double[] factors = view.clipFactors();
    int k = levels.size();
    for (int i = 0; i < norms.length; i++) {
      if (groups[i] < 0 || groups[i] >= k) {
        throw new IllegalArgumentException("unit group " + groups[i] + " is not one of the " + k + " levels " + levels);
      }
      pending.norms.add(norms[i]);
      pending.factors.add(factors[i]);
      pending.groups.add(groups[i]);
    }
    for (int g = 0; g < k; g++) {
      double[] ones = new double[norms.length];
      double[] clipped = new double[norms.length];
      for (int i = 0; i < norms.length; i++) {
        if (groups[i] == g) {
          ones[i] = 1;
          clipped[i] = factors[i];
        }
      }
      pending.add(g, k, new TreeMap<>(view.weightedGradientSum(ones)), false);
      pending.add(g, k, new TreeMap<>(view.weightedGradientSum(clipped)), true);
    }
  }

  /** Records the last observed step, if any. Call when training ends. */
  public void finish() {
    if (pending != null) {
      flush();
    }
  }

  private void flush() {
    Pending p = pending;
    pending = null;
    int n = p.norms.size();
    double[] norms = new double[n];
    double[] factors = new double[n];
    int[] codes = new int[n];
    for (int i = 0; i < n; i++) {
      norms[i] = p.norms.get(i);
      factors[i] = p.factors.get(i);
      codes[i] = p.groups.get(i);
    }
    GroupAssignment assignment = new GroupAssignment(levels, codes);
    StepObservation obs = StepObservation.ofNorms(p.step, norms, factors, assignment, clipThreshold, learningRate,
        clipNorm, noiseMultiplier);
    if (p.unscaled != null) {
      GroupGradientSums sums = new GroupGradientSums(levels, assignment.counts(), p.unscaled, p.scaled);
      obs = obs.withGradients(sums, fullData.apply(p.step));
    }
    diagnostics.record(obs);
  }

  private static final class Pending {
    final long step;
    final List<Double> norms = new ArrayList<>();
    final List<Double> factors = new ArrayList<>();
    final List<Integer> groups = new ArrayList<>();
    List<INDArray> unscaled;
    List<INDArray> scaled;

    Pending(long step) {
      this.step = step;
    }

    /** Adds one group's weighted sum (parameter name to array) into row {@code g} of the per-layer sums. */
    void add(int g, int k, TreeMap<String, INDArray> sum, boolean clipped) {
      if (unscaled == null) {
        unscaled = new ArrayList<>();
        scaled = new ArrayList<>();
        for (INDArray a : sum.values()) {
          unscaled.add(org.nd4j.linalg.factory.Nd4j.zeros(DataType.DOUBLE, k, a.length()));
          scaled.add(org.nd4j.linalg.factory.Nd4j.zeros(DataType.DOUBLE, k, a.length()));
        }
      }
      List<INDArray> target = clipped ? scaled : unscaled;
      if (sum.size() != target.size()) {
        throw new IllegalStateException("the engine returned " + sum.size() + " parameters, earlier " + target.size());
      }
      int l = 0;
      for (INDArray a : sum.values()) {
        INDArray row = a.castTo(DataType.DOUBLE).reshape(a.length());
        target.get(l).getRow(g).addi(row);
        NativeMemory.closeIfCopy(row, a);
        NativeMemory.close(a);
        l++;
      }
    }
  }
}
