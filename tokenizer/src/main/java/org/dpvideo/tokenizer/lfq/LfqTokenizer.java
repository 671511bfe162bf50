package org.dpvideo.tokenizer.lfq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dpvideo.tokenizer.GridShape;
import org.dpvideo.tokenizer.TokenGrid;
import org.dpvideo.tokenizer.TokenizerFile;
import org.dpvideo.tokenizer.TokenizerKind;
import org.dpvideo.tokenizer.TubeLayout;
import org.dpvideo.tokenizer.VideoTokenizer;
import org.dpvideo.tokenizer.video.Clip;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The learned video tokenizer: a fitted {@link LfqNetwork} autoencoder. A token is the K sign bits of
 * the encoder's output at one grid position, read as an integer ({@code id = sum_k [z_k > 0] 2^k});
 * decoding maps the bits back to {@code +-1} and runs the decoder.
 *
 * <p>Thread-safe: inference calls are serialized (SameDiff graphs are not re-entrant).
 */
public final class LfqTokenizer implements VideoTokenizer {
  private static final int BATCH = 32;
  private final LfqConfig config;
  private final Map<String, INDArray> params;
  private final TubeLayout layout;
  private final String version;
  private SameDiff encoder;
  private final Map<GridShape, SameDiff> decoders = new java.util.HashMap<>();

  /**
   * @param config the settings it was trained with
   * @param params the trained parameters (copied)
   */
  public LfqTokenizer(LfqConfig config, Map<String, INDArray> params) {
    this.config = config;
    this.layout = new TubeLayout(config.temporalPatch(), config.spatialPatch());
    Map<String, INDArray> expected = LfqNetwork.initParameters(config, layout.tubeDim(), 0);
    if (!expected.keySet().equals(params.keySet())) {
      throw new IllegalArgumentException("LFQ parameters " + params.keySet() + " do not match the"
          + " configuration, which needs " + expected.keySet() + ".");
    }
    Map<String, INDArray> copy = new LinkedHashMap<>();
    for (Map.Entry<String, INDArray> e : expected.entrySet()) {
      INDArray p = params.get(e.getKey());
      if (!Arrays.equals(p.shape(), e.getValue().shape())) {
        throw new IllegalArgumentException("LFQ parameter " + e.getKey() + " has shape "
            + Arrays.toString(p.shape()) + ", expected " + Arrays.toString(e.getValue().shape()) + ".");
      }
      copy.put(e.getKey(), p.castTo(DataType.FLOAT).dup('c'));
    }
    this.params = copy;
    this.version = "lfq-" + config.vocabSize() + "-" + config.temporalPatch() + "x" + config.spatialPatch() + "x"
        + config.spatialPatch() + "-" + TokenizerFile.hash(architectureJson(config), copy);
  }

  /** The settings. */
  public LfqConfig config() {
    return config;
  }

  @Override
  public TokenizerKind kind() {
    return TokenizerKind.LFQ;
  }

  @Override
  public int vocabSize() {
    return config.vocabSize();
  }

  @Override
  public int temporalPatch() {
    return config.temporalPatch();
  }

  @Override
  public int spatialPatch() {
    return config.spatialPatch();
  }

  @Override
  public String version() {
    return version;
  }

  /** Tubes of clips as the network's input: {@code [B * T' * h * w, D]} in [-1, 1], grid order. */
  static INDArray networkInput(TubeLayout layout, List<Clip> clips) {
    INDArray[] a = new INDArray[clips.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = clips.get(i).frames();
      if (!Arrays.equals(a[i].shape(), a[0].shape())) {
        throw new IllegalArgumentException("clips of one batch must have one size, got "
            + Arrays.toString(a[0].shape()) + " and " + Arrays.toString(a[i].shape()) + ".");
      }
    }
    INDArray tubes = layout.toTubes(Nd4j.stack(0, a));
    return tubes.muli(2).subi(1).reshape('c', -1, layout.tubeDim());
  }

  @Override
  public synchronized List<TokenGrid> encodeBatch(List<Clip> clips) {
    if (encoder == null) {
      encoder = LfqNetwork.encoderGraph(params, config, layout.tubeDim());
    }
    List<TokenGrid> out = new ArrayList<>(clips.size());
    int k = config.bits();
    INDArray weights = Nd4j.create(DataType.FLOAT, 1, k);
    for (int b = 0; b < k; b++) {
      weights.putScalar(new long[] {0, b}, (float) (1 << b));
    }
    for (int s = 0; s < clips.size(); s += BATCH) {
      List<Clip> batch = clips.subList(s, Math.min(clips.size(), s + BATCH));
      Clip c0 = batch.get(0);
      GridShape g = gridShape(c0.frameCount(), c0.height(), c0.width());
      INDArray z = encoder.output(Map.of("x", networkInput(layout, batch)), "z").get("z");
      INDArray bits = z.gt(0).castTo(DataType.FLOAT);
      // [N, K] -> ids [N]; exact in float32 for K <= 16 (ids < 2^24)
      INDArray ids = bits.muliRowVector(weights).sum(1);
      int[] flat = ids.castTo(DataType.INT32).dup('c').data().asInt();
      for (int i = 0; i < batch.size(); i++) {
        out.add(new TokenGrid(g, Arrays.copyOfRange(flat, i * g.size(), (i + 1) * g.size())));
      }
    }
    return out;
  }

  @Override
  public synchronized List<Clip> decodeBatch(List<TokenGrid> grids, double fps) {
    List<Clip> out = new ArrayList<>(grids.size());
    int k = config.bits();
    for (int s = 0; s < grids.size(); s += BATCH) {
      List<TokenGrid> batch = grids.subList(s, Math.min(grids.size(), s + BATCH));
      GridShape g = batch.get(0).shape();
      SameDiff decoder = decoders.computeIfAbsent(g, s2 -> LfqNetwork.decoderGraph(params, config, s2));
      int n = g.size();
      float[] q = new float[batch.size() * k * n];
      for (int i = 0; i < batch.size(); i++) {
        TokenGrid grid = batch.get(i);
        if (!grid.shape().equals(g)) {
          throw new IllegalArgumentException("grids of one batch must have one shape, got " + g + " and "
              + grid.shape() + ".");
        }
        if (grid.maxIdExclusive() > vocabSize()) {
          throw new IllegalArgumentException("token id " + (grid.maxIdExclusive() - 1) + " is outside this"
              + " tokenizer's vocabulary [0, " + vocabSize() + ").");
        }
        int[] ids = grid.ids();
        for (int j = 0; j < n; j++) {
          int base = (i * n + j) * k;
          for (int b = 0; b < k; b++) {
            q[base + b] = ((ids[j] >> b) & 1) == 1 ? 1f : -1f;
          }
        }
      }
      INDArray qa = Nd4j.create(q, new long[] {(long) batch.size() * n, k}, DataType.FLOAT);
      INDArray y = decoder.output(Map.of("q", qa), "y").get("y");
      INDArray tubes = y.addi(1).muli(0.5).reshape('c', batch.size(), g.t(), g.h(), g.w(), layout.tubeDim());
      INDArray frames = layout.fromTubes(tubes);
      for (int i = 0; i < batch.size(); i++) {
        INDArray f = frames.get(NDArrayIndex.point(i)).dup('c');
        out.add(new Clip(Transforms.max(Transforms.min(f, 1.0, false), 0.0, false), fps));
      }
    }
    return out;
  }

  @Override
  public void save(Path file) throws IOException {
    ObjectNode h = TokenizerFile.newHeader(TokenizerKind.LFQ);
    h.put("version", version);
    ObjectNode c = architectureJson(config);
    c.put("entropyWeight", config.entropyWeight());
    c.put("commitWeight", config.commitWeight());
    c.put("learningRate", config.learningRate());
    c.put("batchSize", config.batchSize());
    c.put("maxSteps", config.maxSteps());
    c.put("timeBudgetSeconds", config.timeBudget().toSeconds());
    c.put("seed", config.seed());
    h.set("config", c);
    new TokenizerFile(h, params).write(file);
  }

  /** Rebuilds a tokenizer from its file; checks the stored version. */
  public static LfqTokenizer fromFile(TokenizerFile f) {
    JsonNode c = f.config();
    LfqConfig config = new LfqConfig(c.get("bits").asInt(), c.get("hidden").asInt(), c.get("residualBlocks").asInt(),
        c.get("spatialPatch").asInt(), c.get("temporalPatch").asInt(), c.get("entropyWeight").asDouble(),
        c.get("commitWeight").asDouble(), c.get("learningRate").asDouble(), c.get("batchSize").asInt(),
        c.get("maxSteps").asInt(), Duration.ofSeconds(Math.max(1, c.get("timeBudgetSeconds").asLong())),
        c.get("seed").asLong());
    LfqTokenizer t = new LfqTokenizer(config, f.arrays());
    String stored = f.header().path("version").asText();
    if (!stored.equals(t.version())) {
      throw new IllegalArgumentException("tokenizer file is damaged: it says version " + stored
          + " but its contents hash to " + t.version() + ".");
    }
    return t;
  }

  /** The fields that define the function computed (training settings do not enter the version). */
  private static ObjectNode architectureJson(LfqConfig c) {
    ObjectNode n = new ObjectMapper().createObjectNode();
    n.put("bits", c.bits());
    n.put("hidden", c.hidden());
    n.put("residualBlocks", c.residualBlocks());
    n.put("spatialPatch", c.spatialPatch());
    n.put("temporalPatch", c.temporalPatch());
    return n;
  }
}
