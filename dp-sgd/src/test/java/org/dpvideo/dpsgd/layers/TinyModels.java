package org.dpvideo.dpsgd.layers;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Small models built from the vocabulary, for tests. */
public final class TinyModels {
  private TinyModels() {}

  /** Sizes of the tiny transformer. */
  public static final int VOCAB = 23;
  public static final int T = 6;
  public static final int D = 8;
  public static final int HEADS = 2;
  public static final int PREFIX = 2;

  /**
   * A two-block prefix-LM transformer: token and position embeddings, pre-LayerNorm blocks with
   * hand-written prefix/causal attention (LoRA on the query and value projections), a GELU MLP,
   * residuals, a final LayerNorm and an untied output projection; the per-example loss is the token
   * cross-entropy on the non-prefix positions. Placeholders: {@code tokens}, {@code targets} (int
   * [B, T]) and {@code weights} (float [B, T]).
   */
  public static DpModel transformer(long seed) {
    ModelBuilder b = ModelBuilder.create(seed);
    SameDiff sd = b.sameDiff();
    SDVariable tokens = b.examplePlaceholder("tokens", DataType.INT, T);
    SDVariable targets = b.examplePlaceholder("targets", DataType.INT, T);
    SDVariable weights = b.examplePlaceholder("weights", DataType.FLOAT, T);
    SDVariable mask = sd.constant("mask", Attention.prefixCausalMask(T, PREFIX));
    SDVariable h = b.embedding("tok", tokens, VOCAB, D).add(b.positionEmbedding("pos", tokens, T, D));
    for (int layer = 0; layer < 2; layer++) {
      String p = "block" + layer;
      SDVariable x = b.layerNorm(p + ".ln1", h, D);
      SDVariable q = b.linear(p + ".q", x, LinearSpec.of(D, D).withLora(2, 4));
      SDVariable k = b.linear(p + ".k", x, D, D);
      SDVariable v = b.linear(p + ".v", x, LinearSpec.of(D, D).withLora(2, 4));
      SDVariable att = Attention.scaledDotProduct(sd, q, k, v, HEADS, D, T, T, mask);
      h = h.add(b.linear(p + ".o", att, D, D));
      SDVariable x2 = b.layerNorm(p + ".ln2", h, D);
      h = h.add(b.linear(p + ".proj", b.gelu(b.linear(p + ".fc", x2, D, 3 * D)), 3 * D, D));
    }
    SDVariable logits = b.linear("head", b.layerNorm("lnf", h, D), D, VOCAB);
    b.perExampleLoss(SequenceLosses.tokenCrossEntropy(sd, logits, targets, weights, T, VOCAB));
    return b.build();
  }

  /** Placeholders for the transformer: random tokens from a small range (so ids repeat), prefix weights 0. */
  public static Map<String, INDArray> transformerBatch(int examples, long seed) {
    Random r = new Random(seed);
    int[] tok = new int[examples * T];
    int[] tgt = new int[examples * T];
    float[] w = new float[examples * T];
    for (int i = 0; i < tok.length; i++) {
      tok[i] = r.nextInt(7);
      tgt[i] = r.nextInt(VOCAB);
      w[i] = (i % T) < PREFIX ? 0f : 1f / (T - PREFIX);
    }
    Map<String, INDArray> m = new HashMap<>();
    m.put("tokens", Nd4j.createFromArray(tok).reshape(examples, T));
    m.put("targets", Nd4j.createFromArray(tgt).reshape(examples, T));
    m.put("weights", Nd4j.createFromArray(w).reshape(examples, T));
    return m;
  }

  /** Features of the MLP classifier. */
  public static final int FEATURES = 5;
  public static final int CLASSES = 3;

  /** A tanh MLP classifier (features [B, 5] float, labels [B] int), as the fairness spec's tabular models. */
  public static DpModel mlp(long seed) {
    ModelBuilder b = ModelBuilder.create(seed);
    SameDiff sd = b.sameDiff();
    SDVariable x = b.examplePlaceholder("features", DataType.FLOAT, FEATURES);
    SDVariable y = b.examplePlaceholder("labels", DataType.INT);
    SDVariable h = sd.math.tanh(b.linear("hidden1", x, FEATURES, 7));
    h = sd.math.tanh(b.linear("hidden2", h, 7, 6));
    SDVariable logits = b.linear("out", h, 6, CLASSES);
    b.perExampleLoss(SequenceLosses.crossEntropy(sd, logits, y, CLASSES));
    return b.build();
  }

  /** Random MLP inputs. */
  public static Map<String, INDArray> mlpBatch(int examples, long seed) {
    Random r = new Random(seed);
    float[] f = new float[examples * FEATURES];
    int[] labels = new int[examples];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) (r.nextGaussian() * 2);
    }
    for (int i = 0; i < examples; i++) {
      labels[i] = r.nextInt(CLASSES);
    }
    Map<String, INDArray> m = new HashMap<>();
    m.put("features", Nd4j.createFromArray(f).reshape(examples, FEATURES));
    m.put("labels", Nd4j.createFromArray(labels));
    return m;
  }

  /** Rows {@code from..to-1} of every per-example placeholder. */
  public static Map<String, INDArray> slice(Map<String, INDArray> batch, int from, int to) {
    Map<String, INDArray> m = new HashMap<>();
    for (var e : batch.entrySet()) {
      INDArray a = e.getValue();
      m.put(e.getKey(), a.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to)).dup());
    }
    return m;
  }

  /** The given rows of every per-example placeholder, in order (an assembler for tests). */
  public static Map<String, INDArray> select(Map<String, INDArray> data, int[] ids) {
    Map<String, INDArray> m = new HashMap<>();
    for (var e : data.entrySet()) {
      INDArray[] rows = new INDArray[ids.length];
      for (int i = 0; i < ids.length; i++) {
        rows[i] = e.getValue().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(ids[i], ids[i] + 1));
      }
      m.put(e.getKey(), Nd4j.concat(0, rows));
    }
    return m;
  }

  /** Makes every parameter trainable and gives LoRA B weights random values (so A's gradient is not zero). */
  public static void trainEverything(DpModel model, long seed) {
    Random r = new Random(seed);
    for (Parameter p : model.parameters().all()) {
      model.parameters().setTrainable(p.name(), true);
      if (p.role() == ParameterRole.LORA_B) {
        float[] v = new float[(int) p.length()];
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) (r.nextGaussian() * 0.3);
        }
        p.value().assign(Nd4j.createFromArray(v).reshape(p.shape()));
      }
    }
  }
}
