package org.dpvideo.dpsgd.layers;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Multi-head scaled dot-product attention written with plain SameDiff ops (parameter-free, so it
 * needs no per-sample rule): {@code softmax(Q K^T / sqrt(dHead) + mask) V} per head. SameDiff's
 * built-in attention ops take only a {@code [B, T]} padding mask, so causal and prefix masks are
 * added to the scores here.
 *
 * <p>The projections Q, K, V and the output projection are ordinary linear layers of the vocabulary.
 */
public final class Attention {
  /**
   * The additive value of a masked score. After the softmax's max shift a masked weight is at most
   * {@code e^-80} (about 2e-35) of the largest visible one, far below float32 resolution of the
   * normalisation, while exp stays out of its slow underflow path (about 2% of a step with -1e9).
   */
  public static final float MASKED = -80f;

  private Attention() {}

  /**
   * Attention of {@code Tq} queries over {@code Tk} keys for every example.
   *
   * @param q queries {@code [B*Tq, modelDim]}
   * @param k keys {@code [B*Tk, modelDim]}
   * @param v values {@code [B*Tk, modelDim]}
   * @param heads number of heads; must divide modelDim
   * @param additiveMask {@code [Tq, Tk]} added to every head's scores (0 = visible, {@link #MASKED} =
   *     hidden), or null for full attention
   * @return {@code [B*Tq, modelDim]}
   */
  public static SDVariable scaledDotProduct(SameDiff sd, SDVariable q, SDVariable k, SDVariable v, int heads,
      long modelDim, int queryLength, int keyLength, SDVariable additiveMask) {
    if (heads < 1 || modelDim % heads != 0) {
      throw new IllegalArgumentException("heads (" + heads + ") must be >= 1 and divide the model width (" + modelDim + ")");
    }
    long headDim = modelDim / heads;
    VocabularyOps.ensureRegistered();
    // Scale the queries ([B*Tq, d]) rather than the scores ([B, h, Tq, Tk]): the same product, 8x less work here.
    SDVariable q4 = q.mul(1.0 / Math.sqrt(headDim)).reshape(-1, queryLength, heads, headDim).permute(0, 2, 1, 3);
    SDVariable k4 = k.reshape(-1, keyLength, heads, headDim).permute(0, 2, 1, 3);
    SDVariable v4 = v.reshape(-1, keyLength, heads, headDim).permute(0, 2, 1, 3);
    SDVariable scores = sd.mmul(q4, k4, false, true, false);
    if (additiveMask != null) {
      scores = new ConstantAdd(sd, scores, additiveMask).outputVariable();
    }
    SDVariable weights = sd.nn.softmax(scores, -1);
    return sd.mmul(weights, v4).permute(0, 2, 1, 3).reshape(-1, modelDim);
  }

  /** The additive causal mask {@code [T, T]}: position i sees positions j &lt;= i. */
  public static INDArray causalMask(int length) {
    return prefixCausalMask(length, 0);
  }

  /**
   * The additive prefix-LM mask {@code [T, T]}: every position sees the whole prefix
   * (bidirectional attention over the condition), and positions at or after the prefix also see
   * earlier positions (causal over the output).
   *
   * @param prefixLength number of prefix positions, in [0, T]
   */
  public static INDArray prefixCausalMask(int length, int prefixLength) {
    if (length < 1 || prefixLength < 0 || prefixLength > length) {
      throw new IllegalArgumentException("need 1 <= length and 0 <= prefixLength <= length, got length " + length
          + ", prefixLength " + prefixLength);
    }
    float[] m = new float[length * length];
    for (int i = 0; i < length; i++) {
      for (int j = 0; j < length; j++) {
        boolean visible = j <= i || j < prefixLength;
        m[i * length + j] = visible ? 0f : MASKED;
      }
    }
    return Nd4j.create(m, new long[] {length, length}, 'c').castTo(DataType.FLOAT);
  }
}
