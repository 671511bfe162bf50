package org.dpvideo.finetune.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.dpvideo.dpsgd.layers.Parameter;
import org.dpvideo.finetune.model.VideoLm;
import org.dpvideo.finetune.model.VideoLmConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A trained video LM on disk: a JSON header (format, architecture, LoRA adapters, the tokenizer version it
 * was trained with, free-form provenance) and every parameter. Written atomically.
 *
 * <p>Format {@code dpvideo-videolm-v1}: the bytes {@code DPVLM1\n}, the header as UTF-8 JSON (length
 * first), then the named float arrays.
 */
public final class ModelFile {
  /** The header's format tag. */
  public static final String FORMAT = "dpvideo-videolm-v1";
  private static final String MAGIC = "DPVLM1\n";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelFile() {}

  /**
   * What a model file says about its model besides the weights.
   *
   * @param tokenizerVersion the video tokenizer's version the model's codes belong to
   * @param info free-form provenance (how it was trained, on what, with which privacy), as JSON
   */
  public record Info(String tokenizerVersion, JsonNode info) {}

  /** A loaded model and its info. */
  public record Loaded(VideoLm model, Info info) {}

  /** Writes the model. */
  public static void save(VideoLm model, Info info, Path file) throws IOException {
    ObjectNode h = JSON.createObjectNode();
    h.put("format", FORMAT);
    h.set("config", JSON.valueToTree(model.config()));
    h.put("adapter_rank", model.adapterRank());
    h.put("adapter_alpha", model.adapterAlpha());
    h.set("adapter_targets", JSON.valueToTree(new java.util.TreeSet<>(model.adapterTargets())));
    h.put("tokenizer_version", info.tokenizerVersion());
    h.set("info", info.info() == null ? JSON.createObjectNode() : info.info());
    byte[] header = JSON.writeValueAsBytes(h);
    Map<String, INDArray> params = new LinkedHashMap<>();
    for (Parameter p : model.parameters().all()) {
      params.put(p.name(), p.value());
    }
    AtomicFiles.write(file, out -> {
      out.write(MAGIC.getBytes(StandardCharsets.US_ASCII));
      out.writeInt(header.length);
      out.write(header);
      NamedArrays.write(out, params);
    });
  }

  /**
   * Reads a model.
   *
   * @throws IOException if the file is not a dpvideo model file or does not fit its header
   */
  public static Loaded load(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("there is no model file at " + file + "; train one with `dpvideo pretrain` or `dpvideo"
          + " finetune`");
    }
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      byte[] magic = in.readNBytes(MAGIC.length());
      if (!MAGIC.equals(new String(magic, StandardCharsets.US_ASCII))) {
        throw new IOException(file + " is not a dpvideo model file (wrong magic bytes)");
      }
      int len = in.readInt();
      if (len < 2 || len > (1 << 24)) {
        throw new IOException(file + " has an implausible header length " + len);
      }
      JsonNode h = JSON.readTree(in.readNBytes(len));
      if (!FORMAT.equals(h.path("format").asText())) {
        throw new IOException(file + " has format '" + h.path("format").asText() + "', expected " + FORMAT);
      }
      VideoLmConfig config = JSON.treeToValue(h.get("config"), VideoLmConfig.class);
      VideoLm lm = VideoLm.create(config, 0);
      int rank = h.path("adapter_rank").asInt();
      if (rank > 0) {
        java.util.Set<String> targets = new java.util.HashSet<>();
        h.path("adapter_targets").forEach(n -> targets.add(n.asText()));
        lm.addAdapters(rank, h.path("adapter_alpha").asDouble(), targets);
      }
      Map<String, INDArray> values = NamedArrays.read(in);
      restore(lm, values, file.toString());
      return new Loaded(lm, new Info(h.path("tokenizer_version").asText(), h.path("info")));
    }
  }

  /** Assigns saved values to every parameter; names and shapes must match exactly. */
  static void restore(VideoLm lm, Map<String, INDArray> values, String source) throws IOException {
    List<String> problems = new ArrayList<>();
    TreeSet<String> expected = new TreeSet<>();
    for (Parameter p : lm.parameters().all()) {
      expected.add(p.name());
      INDArray v = values.get(p.name());
      if (v == null) {
        problems.add("missing " + p.name());
      } else if (!java.util.Arrays.equals(v.shape(), p.shape())) {
        problems.add(p.name() + " has shape " + java.util.Arrays.toString(v.shape()) + ", the model "
            + java.util.Arrays.toString(p.shape()));
      }
    }
    for (String n : values.keySet()) {
      if (!expected.contains(n)) {
        problems.add("unknown parameter " + n);
      }
    }
    if (!problems.isEmpty()) {
      throw new IOException(source + " does not fit its model: " + String.join("; ", problems));
    }
    for (Parameter p : lm.parameters().all()) {
      p.value().assign(values.get(p.name()));
    }
  }
}
