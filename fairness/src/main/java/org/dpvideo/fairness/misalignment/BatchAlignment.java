package org.dpvideo.fairness.misalignment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.dpvideo.fairness.group.GroupKey;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Alignment between full-data group gradients and one batch's unclipped and clipped gradients (fairness
 * spec §1.4.4; the paper's Prop. 3 statistic Δ_k).
 *
 * <p>Computed without concatenating layers: per layer the rows g_{B_k}, ḡ_{B_k}, g_B, ḡ_B and g_{D_k}
 * are stacked into a small matrix M_l and the Gram matrix Σ_l M_l M_lᵀ is accumulated; every norm, dot
 * product and cosine is read off it.
 *
 * <p>Cosine: x·y / max(‖x‖‖y‖, 1e-8) as torch's {@code cosine_similarity}, except that it is NaN when
 * either vector is exactly zero or undefined (a zero vector has no direction).
 *
 * @param batchSize |B|
 * @param batchNorm ‖g_B‖
 * @param clippedBatchNorm ‖ḡ_B‖
 * @param cosBatchVsClipped cos(g_B, ḡ_B)
 * @param groups per-group figures, in the order of the sums' groups
 */
public record BatchAlignment(int batchSize, double batchNorm, double clippedBatchNorm, double cosBatchVsClipped,
    List<GroupAlignment> groups) {

  /** Cosine floor of torch's cosine_similarity. */
  public static final double COSINE_EPS = 1e-8;

  /** Validates and copies. */
  public BatchAlignment {
    groups = List.copyOf(groups);
  }

  /** The clipping misalignment of the batch, 1 − cos(g_B, ḡ_B). */
  public double clippingMisalignment() {
    return 1 - cosBatchVsClipped;
  }

  /** The figures of one group. */
  public GroupAlignment group(GroupKey key) {
    return groups.stream().filter(g -> g.group().equals(key)).findFirst().orElseThrow(
        () -> new IllegalArgumentException("no group " + key + " in this alignment; groups are "
            + groups.stream().map(GroupAlignment::group).toList()));
  }

  /**
   * The paper's lower bound of R_a^dir − R_b^dir (Prop. 3, Fig. 5), one-batch estimate:
   * η(‖g_{D_a}‖Δ_a − ‖g_{D_b}‖Δ_b − ‖ḡ_B‖²).
   */
  public double directionGapLowerBound(GroupKey a, GroupKey b, double learningRate) {
    GroupAlignment ga = group(a);
    GroupAlignment gb = group(b);
    return learningRate * (ga.fullNorm() * ga.directionError() - gb.fullNorm() * gb.directionError()
        - clippedBatchNorm * clippedBatchNorm);
  }

  /**
   * Computes the alignment figures.
   *
   * @param sums the batch's per-group unscaled and scaled gradient sums (non-empty batch)
   * @param fullDataGroupGradients g_{D_k} per group (mean gradient of the group over the full data or an
   *     evaluation set), for any subset of the groups; groups without one get NaN in the g_{D_k} columns
   */
  public static BatchAlignment compute(GroupGradientSums sums, Map<GroupKey, LayeredVector> fullDataGroupGradients) {
    Objects.requireNonNull(sums, "sums");
    Objects.requireNonNull(fullDataGroupGradients, "fullDataGroupGradients");
    int b = sums.batchSize();
    if (b == 0) {
      throw new IllegalArgumentException("alignment of an empty batch is undefined (no unit was sampled);"
          + " skip diagnostics on empty batches");
    }
    List<GroupKey> groups = sums.groups();
    for (GroupKey key : fullDataGroupGradients.keySet()) {
      if (!groups.contains(key)) {
        throw new IllegalArgumentException("full-data gradient given for group " + key + " which is not a batch group "
            + groups);
      }
    }
    int k = groups.size();
    int[] counts = sums.counts();
    List<Integer> withFull = new ArrayList<>();
    for (int g = 0; g < k; g++) {
      if (fullDataGroupGradients.containsKey(groups.get(g))) {
        withFull.add(g);
      }
    }
    int rows = 2 * k + 2 + withFull.size();
    int rowB = 2 * k;
    int rowBbar = 2 * k + 1;
    double[] inv = new double[k];
    for (int g = 0; g < k; g++) {
      inv[g] = counts[g] == 0 ? 0 : 1.0 / counts[g];
    }
    INDArray invCol = Nd4j.createFromArray(inv).reshape(k, 1);
    INDArray gram = Nd4j.zeros(DataType.DOUBLE, rows, rows);
    for (int l = 0; l < sums.layers(); l++) {
      INDArray s = sums.unscaled(l);
      INDArray sb = sums.scaled(l);
      long p = s.size(1);
      INDArray m = Nd4j.zeros(DataType.DOUBLE, rows, p);
      INDArray groupMeans = s.mulColumnVector(invCol);
      INDArray clippedGroupMeans = sb.mulColumnVector(invCol);
      INDArray batch = s.sum(0).divi(b);
      INDArray clippedBatch = sb.sum(0).divi(b);
      m.get(NDArrayIndex.interval(0, k), NDArrayIndex.all()).assign(groupMeans);
      m.get(NDArrayIndex.interval(k, 2 * k), NDArrayIndex.all()).assign(clippedGroupMeans);
      m.getRow(rowB).assign(batch);
      m.getRow(rowBbar).assign(clippedBatch);
      for (int j = 0; j < withFull.size(); j++) {
        LayeredVector full = fullDataGroupGradients.get(groups.get(withFull.get(j)));
        if (full.layers() != sums.layers() || full.layerSize(l) != p) {
          NativeMemory.close(m, groupMeans, clippedGroupMeans, batch, clippedBatch, gram, invCol);
          throw new IllegalArgumentException("full-data gradient of group " + groups.get(withFull.get(j))
              + " has layer sizes " + full.sizes() + " but the batch sums have " + p + " parameters in layer " + l
              + " of " + sums.layers());
        }
        m.getRow(rowBbar + 1 + j).assign(full.piece(l));
      }
      INDArray product = m.mmul(m.transpose());
      gram.addi(product);
      NativeMemory.close(m, groupMeans, clippedGroupMeans, batch, clippedBatch, product);
    }
    double[][] gm = gram.toDoubleMatrix();
    NativeMemory.close(gram, invCol);
    double normB = Math.sqrt(gm[rowB][rowB]);
    double normBbar = Math.sqrt(gm[rowBbar][rowBbar]);
    double cosBBbar = cosine(gm, rowB, rowBbar);
    List<GroupAlignment> out = new ArrayList<>();
    for (int g = 0; g < k; g++) {
      boolean present = counts[g] > 0;
      double gbkNorm = present ? Math.sqrt(gm[g][g]) : Double.NaN;
      double gbbkNorm = present ? Math.sqrt(gm[k + g][k + g]) : Double.NaN;
      int j = withFull.indexOf(g);
      double nan = Double.NaN;
      if (j < 0) {
        out.add(new GroupAlignment(groups.get(g), counts[g], nan, nan, nan, nan, nan, gbkNorm, gbbkNorm, nan, nan,
            nan));
        continue;
      }
      int rowD = rowBbar + 1 + j;
      double cosDB = cosine(gm, rowD, rowB);
      double cosDBbar = cosine(gm, rowD, rowBbar);
      out.add(new GroupAlignment(groups.get(g), counts[g],
          present ? cosine(gm, rowD, g) : nan,
          present ? cosine(gm, rowD, k + g) : nan,
          cosDB, cosDBbar,
          Math.sqrt(gm[rowD][rowD]), gbkNorm, gbbkNorm,
          normBbar * (cosDB - cosDBbar),
          gm[rowD][rowB], gm[rowD][rowBbar]));
    }
    return new BatchAlignment(b, normB, normBbar, cosBBbar, out);
  }

  private static double cosine(double[][] gram, int i, int j) {
    double ni = Math.sqrt(gram[i][i]);
    double nj = Math.sqrt(gram[j][j]);
    if (ni == 0 || nj == 0) {
      return Double.NaN;
    }
    return gram[i][j] / Math.max(ni * nj, COSINE_EPS);
  }
}
