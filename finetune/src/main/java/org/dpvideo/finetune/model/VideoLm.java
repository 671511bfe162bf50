package org.dpvideo.finetune.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.dpvideo.dpsgd.layers.Attention;
import org.dpvideo.dpsgd.layers.DpModel;
import org.dpvideo.dpsgd.layers.LinearSpec;
import org.dpvideo.dpsgd.layers.ModelBuilder;
import org.dpvideo.dpsgd.layers.ParameterStore;
import org.dpvideo.dpsgd.layers.SequenceLosses;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A VideoPoet-style decoder-only prefix language model over a {@link Vocabulary} of text and video ids.
 *
 * <p>Architecture (pre-LayerNorm transformer): input = token embedding + the sum of four position
 * embeddings ({@link TokenPositions}: factorized time/row/column for video tokens, a 1-D index for text
 * and special tokens, and a segment); {@code layers} blocks of multi-head attention and a GELU MLP with
 * residuals; a final LayerNorm and an untied output projection over the whole vocabulary. Attention is
 * bidirectional over the condition prefix (every token up to and including {@code BOO_VIDEO}) and causal
 * over the output. The training loss is the cross-entropy of the output tokens only: the head runs on
 * the output positions alone, weighted per example (1/n_out for a per-token mean).
 *
 * <p>Every graph is built from the DP engine's layer vocabulary over this model's one
 * {@link ParameterStore}, so parameters are shared by all graphs: one training graph per task sequence
 * (length T, prefix P), full-logit graphs for decoding without a cache, and the prefill and one-token
 * step graphs of the KV cache. Fine-tuning modes: all parameters, selected layers, or LoRA adapters
 * (Hu et al. 2021) on every projection and the head, added by {@link #addAdapters}.
 *
 * <p>Placeholders of training graphs: {@code tokens} int {@code [B, T]}, {@code positions} int
 * {@code [B, T, 4]}, {@code targets} int {@code [B, T - P + 1]}, {@code weights} float
 * {@code [B, T - P + 1]}. Not thread-safe: one thread trains or decodes at a time.
 */
public final class VideoLm implements AutoCloseable {
  /** Graph kinds. */
  enum Kind { TRAIN, LOGITS, PREFILL, STEP }

  /** A cached graph and the names of its outputs. */
  record Graph(DpModel model, Map<String, String> outputs) {
    String output(String key) {
      return Objects.requireNonNull(outputs.get(key), key);
    }
  }

  private record Key(Kind kind, int length, int prefix) {}

  private final VideoLmConfig config;
  private final ParameterStore store;
  private final long initSeed;
  private final Map<Key, Graph> graphs = new HashMap<>();
  private int adapterRank;
  private double adapterAlpha;
  private Set<String> adapterTargets = Set.of();

  /** The layers LoRA adapters may be attached to (per block, plus the output head). */
  public static final Set<String> ADAPTER_TARGETS = Set.of("q", "k", "v", "o", "fc", "proj", "head");

  private VideoLm(VideoLmConfig config, ParameterStore store, long initSeed) {
    this.config = Objects.requireNonNull(config, "config");
    this.store = store;
    this.initSeed = initSeed;
  }

  /**
   * A new model with initial weights from {@code initSeed} (initialisation is not private data). Every
   * base parameter exists after this call.
   */
  public static VideoLm create(VideoLmConfig config, long initSeed) {
    ModelBuilder b = ModelBuilder.create(initSeed);
    VideoLm lm = new VideoLm(config, b.parameters(), initSeed);
    lm.buildInto(b, Kind.LOGITS, 2, 1).model().close();
    return lm;
  }

  /** The architecture. */
  public VideoLmConfig config() {
    return config;
  }

  /** The vocabulary. */
  public Vocabulary vocabulary() {
    return config.vocabulary();
  }

  /** The parameters shared by every graph. */
  public ParameterStore parameters() {
    return store;
  }

  /** The LoRA rank, or 0 without adapters. */
  public int adapterRank() {
    return adapterRank;
  }

  /** The LoRA scale numerator alpha (output scale alpha / rank). */
  public double adapterAlpha() {
    return adapterAlpha;
  }

  /** The layers that carry adapters (empty without adapters). */
  public Set<String> adapterTargets() {
    return adapterTargets;
  }

  /**
   * Adds LoRA adapters ({@code y = xW + b + (alpha/r)(xA)B}, B zero, so the function is unchanged) to the
   * named layers of every block ({@code q, k, v, o, fc, proj}) and to the output head ({@code head}), and
   * rebuilds graphs with them. The adapters' A and B parameters exist after this call. Choose what is
   * trained with {@link FineTuneMode#apply(VideoLm)}.
   *
   * @throws IllegalStateException if the model already has adapters
   */
  public void addAdapters(int rank, double alpha, Set<String> targets) {
    if (targets.isEmpty() || !ADAPTER_TARGETS.containsAll(targets)) {
      throw new IllegalArgumentException("LoRA targets must be a non-empty subset of " + new java.util.TreeSet<>(
          ADAPTER_TARGETS) + ", got " + targets);
    }
    if (adapterRank > 0) {
      throw new IllegalStateException("the model already has LoRA adapters of rank " + adapterRank);
    }
    if (rank < 1 || !(alpha > 0) || Double.isInfinite(alpha)) {
      throw new IllegalArgumentException("LoRA needs rank >= 1 and a finite alpha > 0, got rank " + rank + ", alpha "
          + alpha);
    }
    adapterRank = rank;
    adapterAlpha = alpha;
    adapterTargets = Set.copyOf(targets);
    closeGraphs();
    ModelBuilder b = ModelBuilder.over(store, initSeed + 1);
    buildInto(b, Kind.LOGITS, 2, 1).model().close();
  }

  /**
   * The training graph of sequences of length {@code length} whose first {@code prefix} tokens are the
   * condition (bidirectional attention); the loss covers the {@code length - prefix + 1} predictions of
   * output tokens. Cached; built on first use.
   */
  public DpModel trainingGraph(int length, int prefix) {
    return graph(Kind.TRAIN, length, prefix).model();
  }

  Graph graph(Kind kind, int length, int prefix) {
    checkShape(length, prefix, kind);
    Key key = new Key(kind, length, prefix);
    Graph g = graphs.get(key);
    if (g == null) {
      g = buildInto(ModelBuilder.over(store, initSeed), kind, length, prefix);
      graphs.put(key, g);
    }
    return g;
  }

  private void checkShape(int length, int prefix, Kind kind) {
    if (length < 1 || length > config.maxSequenceLength()) {
      throw new IllegalArgumentException("sequence length " + length + " is outside [1, " + config.maxSequenceLength()
          + "] of this model");
    }
    if (prefix < 1 || prefix > length) {
      throw new IllegalArgumentException("prefix " + prefix + " must be in [1, " + length + "]");
    }
  }

  /** The per-example loss of the training graph (mean NLL per output token when weights are 1/n_out). */
  public static String lossName(DpModel trainingGraph) {
    return trainingGraph.perExampleLoss();
  }

  private Graph buildInto(ModelBuilder b, Kind kind, int length, int prefix) {
    SameDiff sd = b.sameDiff();
    int d = config.width();
    int v = config.vocabulary().size();
    int slots = VideoLmConfig.POSITION_SLOTS;
    Map<String, String> outputs = new LinkedHashMap<>();
    int queries = kind == Kind.STEP ? 1 : length;
    SDVariable tokens = b.examplePlaceholder("tokens", DataType.INT, queries);
    SDVariable positions = b.examplePlaceholder("positions", DataType.INT, queries, slots);
    SDVariable pos = b.embedding("pos", positions, config.positionRows(), d).reshape(-1, slots, d).sum(1);
    SDVariable h = b.embedding("tok", tokens, v, d).add(pos);
    SDVariable mask = null;
    int keys = queries;
    if (kind == Kind.STEP) {
      keys = length + 1;
      mask = b.sharedPlaceholder("attention_mask", DataType.FLOAT, 1, keys);
    } else if (kind == Kind.PREFILL) {
      mask = null;
    } else {
      mask = sd.constant("attention_mask", Attention.prefixCausalMask(length, prefix));
    }
    for (int layer = 0; layer < config.layers(); layer++) {
      String p = "block" + layer;
      SDVariable x = b.layerNorm(p + ".ln1", h, d);
      SDVariable q = b.linear(p + ".q", x, spec("q", d, d));
      SDVariable k = b.linear(p + ".k", x, spec("k", d, d));
      SDVariable val = b.linear(p + ".v", x, spec("v", d, d));
      if (kind == Kind.STEP) {
        outputs.put("k" + layer, k.name());
        outputs.put("v" + layer, val.name());
        SDVariable kc = b.examplePlaceholder("k_cache" + layer, DataType.FLOAT, length, d);
        SDVariable vc = b.examplePlaceholder("v_cache" + layer, DataType.FLOAT, length, d);
        k = sd.concat(1, kc, k.reshape(-1, 1, d)).reshape(-1, d);
        val = sd.concat(1, vc, val.reshape(-1, 1, d)).reshape(-1, d);
      } else if (kind == Kind.PREFILL) {
        outputs.put("k" + layer, k.name());
        outputs.put("v" + layer, val.name());
      }
      SDVariable att = Attention.scaledDotProduct(sd, q, k, val, config.heads(), d, queries, keys, mask);
      h = h.add(b.linear(p + ".o", att, spec("o", d, d)));
      SDVariable x2 = b.layerNorm(p + ".ln2", h, d);
      SDVariable m = b.gelu(b.linear(p + ".fc", x2, spec("fc", d, (long) config.mlpRatio() * d)));
      h = h.add(b.linear(p + ".proj", m, spec("proj", (long) config.mlpRatio() * d, d)));
    }
    switch (kind) {
      case TRAIN -> {
        int outputsCount = length - prefix + 1;
        SDVariable hs = h.reshape(-1, length, d).get(SDIndex.all(), SDIndex.interval(prefix - 1, length), SDIndex.all())
            .reshape(-1, d);
        SDVariable logits = b.linear("head", b.layerNorm("lnf", hs, d), spec("head", d, v));
        SDVariable targets = b.examplePlaceholder("targets", DataType.INT, outputsCount);
        SDVariable weights = b.examplePlaceholder("weights", DataType.FLOAT, outputsCount);
        b.perExampleLoss(SequenceLosses.tokenCrossEntropy(sd, logits, targets, weights, outputsCount, v));
        outputs.put("logits", logits.name());
      }
      case LOGITS, STEP -> {
        SDVariable logits = b.linear("head", b.layerNorm("lnf", h, d), spec("head", d, v));
        outputs.put("logits", logits.name());
        b.perExampleLoss(logits.reshape(-1, (long) queries * v).sum(1).mul(0.0));
      }
      case PREFILL -> {
        SDVariable last = h.reshape(-1, length, d).get(SDIndex.all(), SDIndex.interval(length - 1, length),
            SDIndex.all()).reshape(-1, d);
        SDVariable logits = b.linear("head", b.layerNorm("lnf", last, d), spec("head", d, v));
        outputs.put("logits", logits.name());
        b.perExampleLoss(logits.sum(1).mul(0.0));
      }
      default -> throw new IllegalStateException(kind.toString());
    }
    return new Graph(b.build(), outputs);
  }

  private LinearSpec spec(String layer, long in, long out) {
    LinearSpec s = LinearSpec.of(in, out);
    return adapterRank > 0 && adapterTargets.contains(layer) ? s.withLora(adapterRank, adapterAlpha) : s;
  }

  /** Names of the parameters of block {@code i}'s layers (for selected-layer fine-tuning): prefix {@code block<i>.}. */
  public List<String> layerPrefixes() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < config.layers(); i++) {
      out.add("block" + i + ".");
    }
    out.add("lnf.");
    out.add("head.");
    return out;
  }

  private void closeGraphs() {
    for (Graph g : graphs.values()) {
      g.model().close();
    }
    graphs.clear();
  }

  /** Frees every graph's native buffers (the parameters stay valid). */
  @Override
  public void close() {
    closeGraphs();
  }
}
