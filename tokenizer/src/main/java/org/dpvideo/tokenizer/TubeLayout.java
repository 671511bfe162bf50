package org.dpvideo.tokenizer;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The causal space-time patch layout shared by both tokenizers. Clips {@code [B, T, H, W, 3]} with
 * {@code T = 1 + k * tp} become tubes {@code [B, 1 + k, H/p, W/p, tp * p * p * 3]}: the first frame is
 * repeated {@code tp} times to fill the first tube on its own (MAGVIT-v2's causal padding), every later
 * tube holds {@code tp} consecutive frames. The inverse averages the {@code tp} copies of the first frame.
 *
 * <p>Tube vector layout: {@code (dt, dy, dx, channel)} row-major. Pure ND4J reshapes/permutes;
 * immutable and thread-safe.
 *
 * @param temporalPatch frames per tube (tp), at least 1
 * @param spatialPatch pixels per patch side (p), at least 1
 */
public record TubeLayout(int temporalPatch, int spatialPatch) {
  /** Validates. */
  public TubeLayout {
    if (temporalPatch < 1 || temporalPatch > 8 || spatialPatch < 1 || spatialPatch > 32) {
      throw new IllegalArgumentException("TubeLayout needs temporalPatch in [1, 8] and spatialPatch in"
          + " [1, 32], got " + temporalPatch + " and " + spatialPatch + ".");
    }
  }

  /** Length of a tube vector: {@code tp * p * p * 3}. */
  public int tubeDim() {
    return temporalPatch * spatialPatch * spatialPatch * 3;
  }

  /** {@code [B, T, H, W, 3]} to {@code [B, T', h, w, D]}. */
  public INDArray toTubes(INDArray clips) {
    long b = clips.size(0);
    long t = clips.size(1);
    long hh = clips.size(2);
    long ww = clips.size(3);
    int tp = temporalPatch;
    int p = spatialPatch;
    long rows = 1 + (t - 1) / tp;
    INDArray first = clips.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 1));
    INDArray padded;
    if (tp == 1) {
      padded = clips;
    } else {
      INDArray[] parts = new INDArray[tp];
      for (int i = 0; i < tp - 1; i++) {
        parts[i] = first;
      }
      parts[tp - 1] = clips;
      padded = Nd4j.concat(1, parts);
    }
    INDArray x = padded.dup('c').reshape('c', b, rows, tp, hh / p, p, ww / p, p, 3);
    return x.permute(0, 1, 3, 5, 2, 4, 6, 7).dup('c').reshape('c', b, rows, hh / p, ww / p, tubeDim());
  }

  /** {@code [B, T', h, w, D]} back to {@code [B, 1 + (T'-1) * tp, h*p, w*p, 3]}. */
  public INDArray fromTubes(INDArray tubes) {
    long b = tubes.size(0);
    long rows = tubes.size(1);
    long h = tubes.size(2);
    long w = tubes.size(3);
    int tp = temporalPatch;
    int p = spatialPatch;
    INDArray x = tubes.dup('c').reshape('c', b, rows, h, w, tp, p, p, 3).permute(0, 1, 4, 2, 5, 3, 6, 7).dup('c')
        .reshape('c', b, rows * tp, h * p, w * p, 3);
    if (tp == 1) {
      return x;
    }
    INDArray first = x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, tp)).mean(true, 1);
    if (rows == 1) {
      return first.dup('c');
    }
    INDArray rest = x.get(NDArrayIndex.all(), NDArrayIndex.interval(tp, rows * tp));
    return Nd4j.concat(1, first, rest).dup('c');
  }
}
