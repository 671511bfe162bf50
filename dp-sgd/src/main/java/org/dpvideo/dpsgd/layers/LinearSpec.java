package org.dpvideo.dpsgd.layers;

/**
 * The configuration of a linear layer.
 *
 * @param inFeatures input width, &gt;= 1
 * @param outFeatures output width, &gt;= 1
 * @param bias whether the layer adds a bias
 * @param initStd standard deviation of the initial weights (0 for zeros); {@link #of} uses
 *     {@code 1/sqrt(in)}
 * @param loraRank rank of a LoRA adapter, or 0 for none
 * @param loraAlpha the adapter's scale numerator (output scale {@code alpha / rank})
 */
public record LinearSpec(long inFeatures, long outFeatures, boolean bias, double initStd, int loraRank, double loraAlpha) {
  public LinearSpec {
    if (inFeatures < 1 || outFeatures < 1) {
      throw new IllegalArgumentException("linear layer sizes must be >= 1, got in = " + inFeatures + ", out = " + outFeatures);
    }
    if (!(initStd >= 0) || Double.isInfinite(initStd)) {
      throw new IllegalArgumentException("initStd must be finite and >= 0, got " + initStd);
    }
    if (loraRank < 0) {
      throw new IllegalArgumentException("LoRA rank must be >= 0 (0 = no adapter), got " + loraRank);
    }
    if (loraRank > 0 && (!(loraAlpha > 0) || Double.isInfinite(loraAlpha))) {
      throw new IllegalArgumentException("LoRA alpha must be finite and > 0, got " + loraAlpha);
    }
  }

  /** A layer with bias and weights drawn from N(0, 1/in). */
  public static LinearSpec of(long inFeatures, long outFeatures) {
    return new LinearSpec(inFeatures, outFeatures, true, 1.0 / Math.sqrt(inFeatures), 0, 0);
  }

  /** The same layer without bias. */
  public LinearSpec withoutBias() {
    return new LinearSpec(inFeatures, outFeatures, false, initStd, loraRank, loraAlpha);
  }

  /** The same layer with another initial standard deviation. */
  public LinearSpec withInitStd(double std) {
    return new LinearSpec(inFeatures, outFeatures, bias, std, loraRank, loraAlpha);
  }

  /**
   * The same layer with a LoRA adapter (Hu et al. 2021): {@code y = x W + b + (alpha/rank) (x A) B},
   * A drawn from N(0, 1/in), B zero. The builder freezes W and b and trains A and B.
   */
  public LinearSpec withLora(int rank, double alpha) {
    return new LinearSpec(inFeatures, outFeatures, bias, initStd, rank, alpha);
  }
}
