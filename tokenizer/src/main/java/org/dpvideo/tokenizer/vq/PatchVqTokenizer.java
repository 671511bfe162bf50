package org.dpvideo.tokenizer.vq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.dpvideo.tokenizer.GridShape;
import org.dpvideo.tokenizer.TokenGrid;
import org.dpvideo.tokenizer.TokenizerFile;
import org.dpvideo.tokenizer.TokenizerKind;
import org.dpvideo.tokenizer.TubeLayout;
import org.dpvideo.tokenizer.VideoTokenizer;
import org.dpvideo.tokenizer.video.Clip;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The fast video tokenizer: each causal tube ({@link TubeLayout}) is replaced by the id of its nearest
 * codebook vector (squared Euclidean distance), and decoded by looking the vector up. The codebook is
 * fitted by {@link KMeansPlusPlus} on tubes of public clips; the first frame's tubes (the frame repeated)
 * and later tubes share it, so images and videos share the vocabulary.
 *
 * <p>The first token row codes the first frame alone: its patches are matched against each code's
 * <em>still image</em> (the code's tube averaged over its frames), which is also what such a token
 * decodes to. Decoding then encoding again therefore returns the same ids.
 *
 * <p>Immutable and thread-safe.
 */
public final class PatchVqTokenizer implements VideoTokenizer {
  private final VqConfig config;
  private final INDArray codebook;
  private final TubeLayout layout;
  private final INDArray stillCodebook;
  private final String version;

  /**
   * @param config the settings it was fitted with
   * @param codebook {@code [codebookSize, tp * p * p * 3]} float32
   */
  public PatchVqTokenizer(VqConfig config, INDArray codebook) {
    this.layout = new TubeLayout(config.temporalPatch(), config.spatialPatch());
    if (codebook.rank() != 2 || codebook.size(0) != config.codebookSize() || codebook.size(1) != layout.tubeDim()) {
      throw new IllegalArgumentException("codebook must be [" + config.codebookSize() + ", " + layout.tubeDim()
          + "], got " + java.util.Arrays.toString(codebook.shape()) + ".");
    }
    this.config = config;
    this.codebook = codebook.castTo(DataType.FLOAT).dup('c');
    // Each code's tube averaged over its frames: what a first-row token decodes to.
    int frameDim = layout.tubeDim() / config.temporalPatch();
    this.stillCodebook = this.codebook.reshape(config.codebookSize(), config.temporalPatch(), frameDim).mean(1);
    this.version = "vq-" + config.codebookSize() + "-" + config.temporalPatch() + "x" + config.spatialPatch()
        + "x" + config.spatialPatch() + "-" + TokenizerFile.hash(configJson(config), Map.of("codebook", this.codebook));
  }

  /**
   * Fits a codebook on {@code clips} (all of one size, public footage only: a codebook is an average of
   * training patches).
   */
  public static PatchVqTokenizer fit(List<Clip> clips, VqConfig config) {
    if (clips.isEmpty()) {
      throw new IllegalArgumentException("fitting a VQ tokenizer needs at least one clip.");
    }
    TubeLayout layout = new TubeLayout(config.temporalPatch(), config.spatialPatch());
    List<INDArray> parts = new ArrayList<>();
    for (int s = 0; s < clips.size(); s += 64) {
      INDArray tubes = layout.toTubes(stack(clips.subList(s, Math.min(clips.size(), s + 64))));
      parts.add(tubes.reshape(-1, layout.tubeDim()));
    }
    INDArray all = parts.size() == 1 ? parts.get(0) : Nd4j.concat(0, parts.toArray(new INDArray[0]));
    Random rng = new Random(config.seed());
    if (all.size(0) > config.maxTrainingVectors()) {
      int[] pick = new int[config.maxTrainingVectors()];
      for (int i = 0; i < pick.length; i++) {
        pick[i] = rng.nextInt((int) all.size(0));
      }
      all = all.getRows(pick);
    }
    INDArray codebook = KMeansPlusPlus.fit(all.dup('c'), config.codebookSize(), config.iterations(), rng);
    return new PatchVqTokenizer(config, codebook);
  }

  static INDArray stack(List<Clip> clips) {
    INDArray[] a = new INDArray[clips.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = clips.get(i).frames();
      if (!java.util.Arrays.equals(a[i].shape(), a[0].shape())) {
        throw new IllegalArgumentException("clips of one batch must have one size, got "
            + java.util.Arrays.toString(a[0].shape()) + " and " + java.util.Arrays.toString(a[i].shape()) + ".");
      }
    }
    return Nd4j.stack(0, a);
  }

  /** The settings. */
  public VqConfig config() {
    return config;
  }

  /** The codebook {@code [codebookSize, D]} (a copy). */
  public INDArray codebook() {
    return codebook.dup();
  }

  @Override
  public TokenizerKind kind() {
    return TokenizerKind.VQ;
  }

  @Override
  public int vocabSize() {
    return config.codebookSize();
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

  @Override
  public List<TokenGrid> encodeBatch(List<Clip> clips) {
    List<TokenGrid> out = new ArrayList<>(clips.size());
    for (int s = 0; s < clips.size(); s += 64) {
      List<Clip> batch = clips.subList(s, Math.min(clips.size(), s + 64));
      Clip c0 = batch.get(0);
      GridShape g = gridShape(c0.frameCount(), c0.height(), c0.width());
      INDArray tubes5 = layout.toTubes(stack(batch));
      int[] ids = KMeansPlusPlus.assign(tubes5.reshape(-1, layout.tubeDim()), codebook).ids();
      // First row: the first frame alone, matched against the codes' still images, so that decoding and
      // encoding again gives the same ids (stable round trip).
      int frameDim = layout.tubeDim() / config.temporalPatch();
      INDArray first = tubes5.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.all(),
          NDArrayIndex.interval(0, frameDim)).dup('c').reshape(-1, frameDim);
      int[] firstIds = KMeansPlusPlus.assign(first, stillCodebook).ids();
      int perRow = g.h() * g.w();
      for (int i = 0; i < batch.size(); i++) {
        System.arraycopy(firstIds, i * perRow, ids, i * g.size(), perRow);
      }
      for (int i = 0; i < batch.size(); i++) {
        out.add(new TokenGrid(g, java.util.Arrays.copyOfRange(ids, i * g.size(), (i + 1) * g.size())));
      }
    }
    return out;
  }

  @Override
  public List<Clip> decodeBatch(List<TokenGrid> grids, double fps) {
    GridShape g = grids.get(0).shape();
    int[] all = new int[grids.size() * g.size()];
    for (int i = 0; i < grids.size(); i++) {
      TokenGrid grid = grids.get(i);
      if (!grid.shape().equals(g)) {
        throw new IllegalArgumentException("grids of one batch must have one shape, got " + g + " and "
            + grid.shape() + ".");
      }
      if (grid.maxIdExclusive() > vocabSize()) {
        throw new IllegalArgumentException("token id " + (grid.maxIdExclusive() - 1) + " is outside this"
            + " tokenizer's vocabulary [0, " + vocabSize() + ").");
      }
      System.arraycopy(grid.ids(), 0, all, i * g.size(), g.size());
    }
    INDArray vectors = codebook.getRows(all).reshape(grids.size(), g.t(), g.h(), g.w(), layout.tubeDim());
    INDArray frames = layout.fromTubes(vectors);
    List<Clip> out = new ArrayList<>(grids.size());
    for (int i = 0; i < grids.size(); i++) {
      INDArray f = frames.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).dup('c');
      out.add(new Clip(org.nd4j.linalg.ops.transforms.Transforms.max(
          org.nd4j.linalg.ops.transforms.Transforms.min(f, 1.0, false), 0.0, false), fps));
    }
    return out;
  }

  @Override
  public void save(Path file) throws IOException {
    ObjectNode h = TokenizerFile.newHeader(TokenizerKind.VQ);
    h.put("version", version);
    h.set("config", configJson(config));
    Map<String, INDArray> arrays = new LinkedHashMap<>();
    arrays.put("codebook", codebook);
    new TokenizerFile(h, arrays).write(file);
  }

  /** Rebuilds a tokenizer from its file; checks the stored version. */
  public static PatchVqTokenizer fromFile(TokenizerFile f) {
    JsonNode c = f.config();
    VqConfig config = new VqConfig(c.get("codebookSize").asInt(), c.get("spatialPatch").asInt(),
        c.get("temporalPatch").asInt(), c.get("iterations").asInt(), c.get("maxTrainingVectors").asInt(),
        c.get("seed").asLong());
    PatchVqTokenizer t = new PatchVqTokenizer(config, f.arrays().get("codebook"));
    String stored = f.header().path("version").asText();
    if (!stored.equals(t.version())) {
      throw new IllegalArgumentException("tokenizer file is damaged: it says version " + stored
          + " but its contents hash to " + t.version() + ".");
    }
    return t;
  }

  private static ObjectNode configJson(VqConfig c) {
    ObjectNode n = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
    n.put("codebookSize", c.codebookSize());
    n.put("spatialPatch", c.spatialPatch());
    n.put("temporalPatch", c.temporalPatch());
    n.put("iterations", c.iterations());
    n.put("maxTrainingVectors", c.maxTrainingVectors());
    n.put("seed", c.seed());
    return n;
  }
}
