package org.dpvideo.tokenizer.lfq;

import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.segment.UnsortedSegmentSum;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Data-dependent initialization of the LFQ autoencoder (as k-means initializes VQ codebooks in VQ-VAE
 * practice): the encoder starts as the signs of the top-K principal components of the training tubes,
 * whitened (bits balanced and uncorrelated, so the codes spread over the codebook; the PCA-hashing
 * start of Gong and Lazebnik's iterative quantization, CVPR 2011), and the decoder's output table starts
 * at the mean tube of each code. Training then refines both, and the context path learns the
 * corrections from neighbouring tokens.
 */
final class DataInitialization {
  private static final int MAX_ROWS = 50_000;

  private DataInitialization() {}

  /**
   * Overwrites {@code params} (from {@link LfqNetwork#initParameters}) in place.
   *
   * @param tubes training tubes {@code [N, D]} in [-1, 1]
   */
  static void apply(Map<String, INDArray> params, INDArray tubes, LfqConfig c, Random rng) {
    int k = c.bits();
    long n = tubes.size(0);
    long d = tubes.size(1);
    INDArray x = tubes;
    if (n > MAX_ROWS) {
      int[] rows = new int[MAX_ROWS];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = rng.nextInt((int) n);
      }
      x = tubes.getRows(rows);
    }
    INDArray mean = x.mean(true, 0); // [1, D]
    INDArray centered = x.subRowVector(mean);
    INDArray cov = centered.transpose().mmul(centered).divi(Math.max(1, centered.size(0) - 1)).castTo(DataType.DOUBLE);
    INDArray eigenvalues = Eigen.symmetricGeneralizedEigenvalues(cov, true); // cov now holds eigenvectors
    double[] ev = eigenvalues.toDoubleVector();
    Integer[] order = new Integer[ev.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Double.compare(ev[b], ev[a]));
    INDArray encIn = params.get("enc_in_w"); // [D, H]
    INDArray encInB = params.get("enc_in_b"); // [1, H]
    INDArray encOut = params.get("enc_out_w"); // [H, K]
    encOut.assign(0);
    for (int j = 0; j < k && j < d; j++) {
      INDArray v = cov.getColumn(order[j]).castTo(DataType.FLOAT).reshape(d);
      double scale = 1.0 / Math.sqrt(Math.max(ev[order[j]], 1e-8));
      INDArray w = v.mul(scale);
      encIn.putColumn(j, w.reshape(d, 1));
      encInB.putScalar(0, j, -mean.reshape(d).mmul(w.reshape(d, 1)).getDouble(0));
      encOut.putScalar(j, j, 1.0);
    }
    // Mean tube per code under the initial encoder.
    INDArray z = Transforms.leakyRelu(tubes.mmul(encIn).addiRowVector(encInB), 0.1, false).mmul(encOut);
    INDArray bits = z.gt(0).castTo(DataType.FLOAT);
    INDArray powers = Nd4j.create(DataType.FLOAT, k, 1);
    for (int b = 0; b < k; b++) {
      powers.putScalar(b, 0, 1 << b);
    }
    INDArray ids = bits.mmul(powers).reshape(n).castTo(DataType.INT32);
    int codes = c.vocabSize();
    INDArray sums = Nd4j.exec(new UnsortedSegmentSum(tubes, ids, codes))[0];
    int[] counts = new int[codes];
    for (int id : ids.toIntVector()) {
      counts[id]++;
    }
    INDArray globalMean = tubes.mean(true, 0);
    INDArray table = params.get("dec_table");
    for (int code = 0; code < codes; code++) {
      if (counts[code] > 0) {
        table.putRow(code, sums.getRow(code).div(counts[code]));
      } else {
        table.putRow(code, globalMean.reshape(d));
      }
    }
    // The context path starts as a small correction on top of the table.
    params.get("dec_out_w").muli(0.1);
    params.get("dec_out_b").assign(0);
    long used = java.util.Arrays.stream(counts).filter(x2 -> x2 > 0).count();
    lastCodesUsed = (int) used;
  }

  /** Codes used by the initial encoder on the training tubes (diagnostics). */
  static volatile int lastCodesUsed;
}
