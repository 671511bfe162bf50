package org.dpvideo.tokenizer.lfq;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.dpvideo.tokenizer.GridShape;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The SameDiff graphs of the LFQ autoencoder, built from one parameter map so training and inference
 * share weights. Tokens are rows of a matrix {@code [N, channels]} in grid order (batch, token row, y,
 * x); the input channels are the {@code D = tp * p * p * 3} pixels of a tube, scaled to [-1, 1].
 *
 * <pre>
 * encoder: per token: D->C, leaky ReLU, residual blocks (C->C, leaky ReLU, C->C), C->K = z
 * quantize: q = sign(z), straight-through gradient (q = z + stopgrad(sign(z) - z))
 * decoder: causal 3-D convolution (2 x 3 x 3) over the codes, K->C (each token is decoded from its own
 *          code and those of its neighbours in space and in the previous token row), leaky ReLU,
 *          per-token residual blocks, C->D; plus a learned output table indexed by the token's own code
 *          (2^K x D, read as a one-hot product): the table gives every code its own tube, the context
 *          path corrects it from the neighbours
 * </pre>
 * "Causal": the time axis is padded with one zero row on the past side only, so token row t is decoded
 * from rows t-1 and t; the first row (the first frame alone) from itself. The convolution is written as
 * shifted slices of the K-channel code grid concatenated and multiplied by one matrix: on a 2-core CPU
 * libnd4j's conv3d costs seconds per step, matrix products a fraction of that.
 */
final class LfqNetwork {
  private static final double SLOPE = 0.1;
  /** Largest K for which the entropy terms use the full 2^K codebook (above: per-bit factorized). */
  static final int JOINT_ENTROPY_MAX_BITS = 12;
  /** Clips of each batch whose tokens enter the entropy terms. */
  static final int ENTROPY_CLIPS = 4;
  /** Taps of the decoder's causal convolution: 2 in time, 3 x 3 in space. */
  static final int TAPS = 18;

  private LfqNetwork() {}

  /** Fresh parameters (He initialization; residual outputs start small). */
  static Map<String, INDArray> initParameters(LfqConfig c, int tubeDim, long seed) {
    Random rng = new Random(seed);
    Map<String, INDArray> p = new LinkedHashMap<>();
    int h = c.hidden();
    dense(p, "enc_in", tubeDim, h, 1.0, rng);
    for (int i = 0; i < c.residualBlocks(); i++) {
      dense(p, "enc_res" + i + "_a", h, h, 1.0, rng);
      dense(p, "enc_res" + i + "_b", h, h, 0.1, rng);
    }
    dense(p, "enc_out", h, c.bits(), 1.0, rng);
    dense(p, "dec_in", TAPS * c.bits(), h, 1.0, rng);
    for (int i = 0; i < c.residualBlocks(); i++) {
      dense(p, "dec_res" + i + "_a", h, h, 1.0, rng);
      dense(p, "dec_res" + i + "_b", h, h, 0.1, rng);
    }
    dense(p, "dec_out", h, tubeDim, 1.0, rng);
    p.put("dec_table", Nd4j.zeros(DataType.FLOAT, c.vocabSize(), tubeDim));
    return p;
  }

  private static void dense(Map<String, INDArray> p, String name, int in, int out, double gain, Random rng) {
    double std = gain * Math.sqrt(2.0 / in);
    float[] w = new float[in * out];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (rng.nextGaussian() * std);
    }
    p.put(name + "_w", Nd4j.create(w, new long[] {in, out}, DataType.FLOAT));
    p.put(name + "_b", Nd4j.zeros(DataType.FLOAT, 1, out));
  }

  /** Declares every parameter as a trainable variable of {@code sd}. */
  static Map<String, SDVariable> declare(SameDiff sd, Map<String, INDArray> params) {
    Map<String, SDVariable> v = new LinkedHashMap<>();
    for (Map.Entry<String, INDArray> e : params.entrySet()) {
      v.put(e.getKey(), sd.var(e.getKey(), e.getValue()));
    }
    return v;
  }

  static SDVariable encoder(SameDiff sd, SDVariable x, Map<String, SDVariable> v, LfqConfig c) {
    SDVariable h = act(sd, dense(x, v, "enc_in"));
    for (int i = 0; i < c.residualBlocks(); i++) {
      h = residual(sd, h, v, "enc_res" + i);
    }
    return dense(h, v, "enc_out");
  }

  static SDVariable decoder(SameDiff sd, SDVariable q, Map<String, SDVariable> v, LfqConfig c, GridShape g) {
    int k = c.bits();
    SDVariable grid = q.reshape(-1, g.t(), g.h(), g.w(), k);
    SDVariable padded = sd.nn().pad(grid, sd.constant(Nd4j.createFromArray(new int[][] {
        {0, 0}, {1, 0}, {1, 1}, {1, 1}, {0, 0}})), 0.0);
    SDVariable[] taps = new SDVariable[TAPS];
    int i = 0;
    for (int dt = 0; dt < 2; dt++) {
      for (int dy = 0; dy < 3; dy++) {
        for (int dx = 0; dx < 3; dx++) {
          taps[i++] = padded.get(SDIndex.all(), SDIndex.interval(dt, dt + g.t()), SDIndex.interval(dy, dy + g.h()),
              SDIndex.interval(dx, dx + g.w()), SDIndex.all());
        }
      }
    }
    SDVariable context = sd.concat(4, taps).reshape(-1, TAPS * k);
    SDVariable h = act(sd, dense(context, v, "dec_in"));
    for (int r = 0; r < c.residualBlocks(); r++) {
      h = residual(sd, h, v, "dec_res" + r);
    }
    // The token's own code read as an index: a learned output table (one-hot product, so its gradient is
    // a correct scatter-add), plus the context path above.
    float[] powers = new float[k];
    for (int b = 0; b < k; b++) {
      powers[b] = 1 << b;
    }
    SDVariable bits = new StopGradient(sd, q.add(1.0).mul(0.5)).outputVariable(); // {0, 1}
    SDVariable index = bits.mmul(sd.constant(Nd4j.create(powers, new long[] {k, 1}, DataType.FLOAT)))
        .reshape(-1).castTo(DataType.INT32);
    SDVariable table = sd.oneHot(index, c.vocabSize(), -1, 1.0, 0.0, DataType.FLOAT).mmul(v.get("dec_table"));
    return dense(h, v, "dec_out").add(table);
  }

  /** {@code q = z + stopgrad(sign(z) - z)}: forward sign(z), backward identity. */
  static SDVariable quantize(SameDiff sd, SDVariable z) {
    SDVariable delta = sd.math().sign(z).sub(z);
    SDVariable frozen = new StopGradient(sd, delta).outputVariable();
    return z.add(frozen);
  }

  /**
   * The training graph for batches of {@code batch} clips with grids of shape {@code g}: placeholder
   * {@code x} ({@code [batch * g.size(), D]} tubes in [-1, 1]); outputs {@code loss}, {@code mse}, {@code commit},
   * {@code tokenEntropy}, {@code codebookEntropy}.
   */
  static SameDiff trainingGraph(Map<String, INDArray> params, LfqConfig c, int tubeDim, GridShape g, int batch) {
    int entropyClips = Math.min(ENTROPY_CLIPS, batch);
    SameDiff sd = SameDiff.create();
    SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, tubeDim);
    Map<String, SDVariable> v = declare(sd, params);
    SDVariable z = encoder(sd, x, v, c);
    SDVariable q = quantize(sd, z);
    SDVariable y = decoder(sd, q, v, c, g);
    SDVariable mse = sd.math().square(y.sub(x)).mean("mse");
    SDVariable commit = sd.math().square(z.sub(new StopGradient(sd, sd.math().sign(z)).outputVariable()))
        .mean("commit");
    // Entropy terms on the tokens of the first ENTROPY_CLIPS clips of the (shuffled) batch, which keeps
    // the [tokens, 2^K] softmax cheap.
    SDVariable zs = z.get(SDIndex.interval(0, entropyClips * g.size()), SDIndex.all());
    SDVariable[] entropies = c.bits() <= JOINT_ENTROPY_MAX_BITS ? jointEntropies(sd, zs, c.bits())
        : factorizedEntropies(sd, zs);
    SDVariable tokenEntropy = entropies[0].rename("tokenEntropy");
    SDVariable codebookEntropy = entropies[1].rename("codebookEntropy");
    SDVariable loss = mse.add(commit.mul(c.commitWeight()))
        .add(tokenEntropy.sub(codebookEntropy).mul(c.entropyWeight()));
    loss.rename("loss");
    sd.setLossVariables("loss");
    return sd;
  }

  /**
   * MAGVIT-v2's entropy terms over the whole implicit codebook {@code C = {-1, +1}^K}: code
   * probabilities {@code softmax(z . c)} per token (the logit of code c is {@code -|z - c|^2 / 2} up to
   * a constant); returns {mean per-token entropy, entropy of the mean distribution}, both divided by
   * {@code K ln 2} (so in [0, 1]).
   */
  private static SDVariable[] jointEntropies(SameDiff sd, SDVariable z, int bits) {
    int codes = 1 << bits;
    float[] corners = new float[bits * codes];
    for (int code = 0; code < codes; code++) {
      for (int b = 0; b < bits; b++) {
        corners[b * codes + code] = ((code >> b) & 1) == 1 ? 1f : -1f;
      }
    }
    SDVariable cmat = sd.constant(Nd4j.create(corners, new long[] {bits, codes}, DataType.FLOAT));
    SDVariable logits = z.mmul(cmat); // [N, codes]
    SDVariable p = sd.nn().softmax(logits, 1);
    SDVariable logp = sd.math().log(p.add(1e-10));
    double norm = bits * Math.log(2);
    SDVariable tokenEntropy = p.mul(logp).sum(1).neg().mean().div(norm);
    SDVariable pbar = p.mean(0);
    SDVariable codebookEntropy = pbar.mul(sd.math().log(pbar.add(1e-10))).sum().neg().div(norm);
    return new SDVariable[] {tokenEntropy, codebookEntropy};
  }

  /**
   * The per-bit factorized form (Zhao et al. 2024) for large codebooks: bit k is +1 with probability
   * {@code sigmoid(4 z_k)}; token entropy is the mean binary entropy, codebook entropy the binary
   * entropy of each bit's mean probability, averaged over bits and divided by {@code ln 2}.
   */
  private static SDVariable[] factorizedEntropies(SameDiff sd, SDVariable z) {
    SDVariable logits = z.mul(4.0);
    SDVariable p = sd.nn().sigmoid(logits);
    SDVariable tokenEntropy = binaryEntropy(sd, p, logits).mean().div(Math.log(2));
    SDVariable pc = sd.math().clipByValue(p.mean(0), 1e-6, 1 - 1e-6); // [K]: bit usage over the batch
    SDVariable one = sd.constant(Nd4j.scalar(DataType.FLOAT, 1f));
    SDVariable codebookEntropy = pc.mul(sd.math().log(pc)).add(one.sub(pc).mul(sd.math().log(one.sub(pc))))
        .neg().mean().div(Math.log(2));
    return new SDVariable[] {tokenEntropy, codebookEntropy};
  }

  /** {@code H(p) = p softplus(-l) + (1 - p) softplus(l)} for {@code p = sigmoid(l)}, elementwise. */
  private static SDVariable binaryEntropy(SameDiff sd, SDVariable p, SDVariable l) {
    SDVariable one = sd.constant(Nd4j.scalar(DataType.FLOAT, 1f));
    return p.mul(sd.nn().softplus(l.neg())).add(one.sub(p).mul(sd.nn().softplus(l)));
  }

  /** Inference graph {@code x [N, D] -> z [N, K]} (output {@code z}). */
  static SameDiff encoderGraph(Map<String, INDArray> params, LfqConfig c, int tubeDim) {
    SameDiff sd = SameDiff.create();
    SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, tubeDim);
    SDVariable z = encoder(sd, x, declare(sd, params), c);
    z.rename("z");
    return sd;
  }

  /** Inference graph {@code q [N, K] -> y [N, D]} for grids of shape {@code g} (output {@code y}). */
  static SameDiff decoderGraph(Map<String, INDArray> params, LfqConfig c, GridShape g) {
    SameDiff sd = SameDiff.create();
    SDVariable q = sd.placeHolder("q", DataType.FLOAT, -1, c.bits());
    SDVariable y = decoder(sd, q, declare(sd, params), c, g);
    y.rename("y");
    return sd;
  }

  private static SDVariable act(SameDiff sd, SDVariable x) {
    return sd.nn().leakyRelu(x, SLOPE);
  }

  private static SDVariable residual(SameDiff sd, SDVariable h, Map<String, SDVariable> v, String name) {
    SDVariable a = act(sd, dense(h, v, name + "_a"));
    return act(sd, h.add(dense(a, v, name + "_b")));
  }

  private static SDVariable dense(SDVariable x, Map<String, SDVariable> v, String name) {
    return x.mmul(v.get(name + "_w")).add(v.get(name + "_b"));
  }

  /** Parameter names in declaration order. */
  static List<String> names(Map<String, INDArray> params) {
    return new ArrayList<>(params.keySet());
  }
}
