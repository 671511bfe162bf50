package org.dpvideo.fairness.misalignment;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.dpvideo.fairness.group.GroupAssignment;
import org.dpvideo.fairness.group.GroupKey;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Per-group sums of one batch's per-unit gradients, unscaled (S_k = Σ_{i∈B_k} g_i) and scaled
 * (S̄_k = Σ_{i∈B_k} s_i g_i), per layer, with the group counts n_k (fairness spec §1.4.1). From them:
 * g_B = Σ_k S_k / |B| and ḡ_B = Σ_k S̄_k / |B| with |B| the actual batch size, and g_{B_k} = S_k / n_k,
 * ḡ_{B_k} = S̄_k / n_k (undefined when n_k = 0).
 *
 * <p>Build it from per-unit gradients ({@link #fromPerUnit}) or directly from sums a trainer already has
 * (e.g. by re-weighted backward passes, which never materialise per-unit gradients).
 *
 * <p>Immutable by contract.
 */
public final class GroupGradientSums {
  private final List<GroupKey> groups;
  private final int[] counts;
  private final List<INDArray> unscaled;
  private final List<INDArray> scaled;

  /**
   * @param groups the groups (rows of every layer's sums)
   * @param counts units of each group in the batch
   * @param unscaled per layer {@code [groups, params]}: Σ g_i per group
   * @param scaled per layer {@code [groups, params]}: Σ s_i g_i per group
   */
  public GroupGradientSums(List<GroupKey> groups, int[] counts, List<INDArray> unscaled, List<INDArray> scaled) {
    Objects.requireNonNull(groups, "groups");
    Objects.requireNonNull(counts, "counts");
    Objects.requireNonNull(unscaled, "unscaled");
    Objects.requireNonNull(scaled, "scaled");
    int k = groups.size();
    if (counts.length != k) {
      throw new IllegalArgumentException("counts has " + counts.length + " entries for " + k + " groups");
    }
    for (int c : counts) {
      if (c < 0) {
        throw new IllegalArgumentException("group counts must be >= 0, got " + java.util.Arrays.toString(counts));
      }
    }
    if (unscaled.isEmpty() || unscaled.size() != scaled.size()) {
      throw new IllegalArgumentException("unscaled and scaled sums need the same number (>= 1) of layers, got "
          + unscaled.size() + " and " + scaled.size());
    }
    List<INDArray> u = new ArrayList<>();
    List<INDArray> s = new ArrayList<>();
    for (int l = 0; l < unscaled.size(); l++) {
      INDArray a = unscaled.get(l).castTo(DataType.DOUBLE).reshape(k, -1);
      INDArray b = scaled.get(l).castTo(DataType.DOUBLE).reshape(k, -1);
      if (a.size(1) != b.size(1)) {
        throw new IllegalArgumentException("layer " + l + ": unscaled sums have " + a.size(1)
            + " parameters, scaled sums " + b.size(1));
      }
      u.add(a);
      s.add(b);
    }
    this.groups = List.copyOf(groups);
    this.counts = counts.clone();
    this.unscaled = List.copyOf(u);
    this.scaled = List.copyOf(s);
  }

  /**
   * Sums per-unit gradients by group, one matrix product per layer: S = A·G and S̄ = Ā·G with A the
   * [groups, units] membership indicator and Ā the same weighted by the scale factors.
   *
   * @param gradients per-unit gradients
   * @param scaleFactors s_i per unit, finite and &gt;= 0
   * @param groups group of every unit
   */
  public static GroupGradientSums fromPerUnit(PerUnitGradients gradients, double[] scaleFactors,
      GroupAssignment groups) {
    Objects.requireNonNull(gradients, "gradients");
    int n = gradients.units();
    BatchInputs.requireUnits(n, scaleFactors, groups);
    BatchInputs.requireScaleFactors(scaleFactors);
    int k = groups.levels().size();
    // Rows 0..k-1: membership indicator; rows k..2k-1: the same weighted by s_i. One product per layer
    // reads the layer's gradients once for both sums.
    double[][] ind = new double[2 * k][n];
    for (int i = 0; i < n; i++) {
      ind[groups.code(i)][i] = 1;
      ind[k + groups.code(i)][i] = scaleFactors[i];
    }
    INDArray a = n == 0 ? null : Nd4j.createFromArray(ind);
    List<INDArray> u = new ArrayList<>();
    List<INDArray> s = new ArrayList<>();
    for (int l = 0; l < gradients.layers(); l++) {
      INDArray layer = gradients.layer(l);
      INDArray cast = layer.castTo(DataType.DOUBLE);
      INDArray g = cast.reshape(n, -1);
      if (n == 0) {
        u.add(Nd4j.zeros(DataType.DOUBLE, k, g.size(1)));
        s.add(Nd4j.zeros(DataType.DOUBLE, k, g.size(1)));
      } else {
        INDArray both = a.mmul(g);
        u.add(both.get(NDArrayIndex.interval(0, k), NDArrayIndex.all()).dup());
        s.add(both.get(NDArrayIndex.interval(k, 2 * k), NDArrayIndex.all()).dup());
        both.close();
      }
      NativeMemory.closeIfCopy(cast, layer);
    }
    if (a != null) {
      a.close();
    }
    return new GroupGradientSums(groups.levels(), groups.counts(), u, s);
  }

  /** The groups, in row order. */
  public List<GroupKey> groups() {
    return groups;
  }

  /** Units per group in the batch. */
  public int[] counts() {
    return counts.clone();
  }

  /** The actual batch size Σ n_k. */
  public int batchSize() {
    int b = 0;
    for (int c : counts) {
      b += c;
    }
    return b;
  }

  /** Number of layers. */
  public int layers() {
    return unscaled.size();
  }

  /** Layer {@code l}'s unscaled per-group sums {@code [groups, params]} (not a copy; do not modify). */
  INDArray unscaled(int l) {
    return unscaled.get(l);
  }

  /** Layer {@code l}'s scaled per-group sums {@code [groups, params]} (not a copy; do not modify). */
  INDArray scaled(int l) {
    return scaled.get(l);
  }

  /** Layer {@code l}'s scaled per-group sums Σ s_i g_i as a {@code [groups, params]} copy. */
  public INDArray scaledLayer(int l) {
    return scaled.get(l).dup();
  }

  /** Layer {@code l}'s unscaled per-group sums Σ g_i as a {@code [groups, params]} copy. */
  public INDArray unscaledLayer(int l) {
    return unscaled.get(l).dup();
  }

  /** g_B = Σ_i g_i / |B| (the unclipped batch mean); throws on an empty batch. */
  public LayeredVector batchGradient() {
    return batchMean(unscaled);
  }

  /** ḡ_B = Σ_i s_i g_i / |B| (the clipped batch mean); throws on an empty batch. */
  public LayeredVector clippedBatchGradient() {
    return batchMean(scaled);
  }

  private LayeredVector batchMean(List<INDArray> sums) {
    int b = batchSize();
    if (b == 0) {
      throw new IllegalStateException("the batch is empty, so its mean gradient is undefined");
    }
    List<INDArray> out = new ArrayList<>();
    for (INDArray s : sums) {
      out.add(s.sum(0).divi(b).reshape(s.size(1)));
    }
    return LayeredVector.wrap(out);
  }
}
