package org.dpvideo.dpsgd.layers;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A decoder-only prefix language model built from the vocabulary: token and learned position
 * embeddings, pre-LayerNorm blocks of prefix/causal multi-head attention and a GELU MLP with
 * residuals, a final LayerNorm and an untied output projection; the per-example loss is the token
 * cross-entropy weighted by a per-position weight (0 on the prefix). It is the model of
 * {@code dpvideo bench dp-step} and a worked example for model builders ({@code docs/engine.md}).
 *
 * <p>Placeholders: {@code tokens} and {@code targets} (int {@code [B, T]}), {@code weights} (float
 * {@code [B, T]}).
 */
public final class DecoderLm {
  private DecoderLm() {}

  /**
   * The model's sizes.
   *
   * @param vocabulary token vocabulary V
   * @param length sequence length T
   * @param width model width d
   * @param heads attention heads (divides d)
   * @param layers number of blocks
   * @param prefix prefix (condition) length with bidirectional attention, in [0, T]
   * @param loraRank 0 for full fine-tuning, or the rank of LoRA adapters on every attention and MLP projection
   */
  public record Config(int vocabulary, int length, int width, int heads, int layers, int prefix, int loraRank) {
    public Config {
      if (vocabulary < 2 || length < 1 || width < 1 || heads < 1 || width % heads != 0 || layers < 1
          || prefix < 0 || prefix > length || loraRank < 0) {
        throw new IllegalArgumentException("invalid DecoderLm config: vocabulary " + vocabulary + ", length " + length
            + ", width " + width + ", heads " + heads + " (must divide width), layers " + layers + ", prefix " + prefix
            + ", loraRank " + loraRank);
      }
    }

    /** The benchmark model of the issue: 4 layers, d = 128, 4 heads, T = 256, V = 1024, no prefix. */
    public static Config benchmark() {
      return new Config(1024, 256, 128, 4, 4, 0, 0);
    }
  }

  /** Builds the model with initial weights from {@code seed}. */
  public static DpModel build(Config c, long seed) {
    ModelBuilder b = ModelBuilder.create(seed);
    SameDiff sd = b.sameDiff();
    int t = c.length();
    int d = c.width();
    SDVariable tokens = b.examplePlaceholder("tokens", DataType.INT, t);
    SDVariable targets = b.examplePlaceholder("targets", DataType.INT, t);
    SDVariable weights = b.examplePlaceholder("weights", DataType.FLOAT, t);
    SDVariable mask = sd.constant("attention_mask", Attention.prefixCausalMask(t, c.prefix()));
    SDVariable h = b.embedding("tok", tokens, c.vocabulary(), d).add(b.positionEmbedding("pos", tokens, t, d));
    for (int layer = 0; layer < c.layers(); layer++) {
      String p = "block" + layer;
      SDVariable x = b.layerNorm(p + ".ln1", h, d);
      SDVariable q = b.linear(p + ".q", x, spec(d, d, c));
      SDVariable k = b.linear(p + ".k", x, spec(d, d, c));
      SDVariable v = b.linear(p + ".v", x, spec(d, d, c));
      SDVariable att = Attention.scaledDotProduct(sd, q, k, v, c.heads(), d, t, t, mask);
      h = h.add(b.linear(p + ".o", att, spec(d, d, c)));
      SDVariable x2 = b.layerNorm(p + ".ln2", h, d);
      SDVariable m = b.gelu(b.linear(p + ".fc", x2, spec(d, 4L * d, c)));
      h = h.add(b.linear(p + ".proj", m, spec(4L * d, d, c)));
    }
    SDVariable logits = b.linear("head", b.layerNorm("lnf", h, d), d, c.vocabulary());
    b.perExampleLoss(SequenceLosses.tokenCrossEntropy(sd, logits, targets, weights, t, c.vocabulary()));
    return b.build();
  }

  private static LinearSpec spec(long in, long out, Config c) {
    LinearSpec s = LinearSpec.of(in, out);
    return c.loraRank() > 0 ? s.withLora(c.loraRank(), 2.0 * c.loraRank()) : s;
  }

  /**
   * A batch of random sequences (next-token targets, weight {@code 1/(T - prefix)} after the prefix).
   * Random data for benchmarks and tests only.
   */
  public static Map<String, INDArray> randomBatch(Config c, int examples, long seed) {
    Random r = new Random(seed);
    int t = c.length();
    int[] tokens = new int[examples * t];
    int[] targets = new int[examples * t];
    float[] w = new float[examples * t];
    for (int e = 0; e < examples; e++) {
      for (int i = 0; i < t; i++) {
        tokens[e * t + i] = r.nextInt(c.vocabulary());
      }
      for (int i = 0; i < t; i++) {
        targets[e * t + i] = i + 1 < t ? tokens[e * t + i + 1] : r.nextInt(c.vocabulary());
        w[e * t + i] = i < c.prefix() ? 0f : 1f / (t - c.prefix());
      }
    }
    Map<String, INDArray> m = new HashMap<>();
    m.put("tokens", Nd4j.createFromArray(tokens).reshape(examples, t));
    m.put("targets", Nd4j.createFromArray(targets).reshape(examples, t));
    m.put("weights", Nd4j.createFromArray(w).reshape(examples, t));
    return m;
  }
}
