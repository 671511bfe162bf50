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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.dpvideo.dpsgd.layers.Parameter;
import org.dpvideo.dpsgd.train.DpTrainer;
import org.dpvideo.dpsgd.train.TrainerState;
import org.dpvideo.finetune.model.VideoLm;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The state of a private fine-tune after a number of steps: every parameter, the optimizer's state and
 * iteration count, the engine's {@link TrainerState} (steps, every event spent so far, the clipping
 * state Z of Global-Adapt, the randomness label and, for seeded runs, the streams' positions), and the
 * ledger run id. Secure noise and sampling streams are never stored: a resumed run is re-keyed.
 *
 * <p>Format {@code dpvideo-checkpoint-v1}: {@code DPVCKPT1\n}, a JSON header (length first) with the step,
 * run id, trainer state and optimizer iterations, then the parameters and the optimizer state as named
 * float arrays. Written atomically to {@code RUN_DIR/checkpoint.bin}.
 *
 * @param step steps taken
 * @param runId the ledger's run id
 * @param trainerState the engine's state
 * @param optimizerIterations updates the optimizer applied
 * @param parameters every parameter's value
 * @param optimizerState the optimizer's arrays (momentum, or Adam's moments)
 */
public record Checkpoint(long step, String runId, TrainerState trainerState, long optimizerIterations,
    Map<String, INDArray> parameters, Map<String, INDArray> optimizerState) {
  /** The file name inside a run directory. */
  public static final String FILE = "checkpoint.bin";
  private static final String MAGIC = "DPVCKPT1\n";
  private static final ObjectMapper JSON = new ObjectMapper();

  public Checkpoint {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(trainerState, "trainerState");
    if (step != trainerState.steps()) {
      throw new IllegalArgumentException("checkpoint step " + step + " differs from the trainer's "
          + trainerState.steps());
    }
  }

  /** The state of a trainer over a model now (arrays are copied). */
  public static Checkpoint of(DpTrainer trainer, VideoLm model, String runId) {
    Map<String, INDArray> params = new LinkedHashMap<>();
    for (Parameter p : model.parameters().all()) {
      params.put(p.name(), p.value().dup());
    }
    Map<String, INDArray> opt = new LinkedHashMap<>();
    for (var e : trainer.optimizer().state().entrySet()) {
      opt.put(e.getKey(), e.getValue().dup());
    }
    TrainerState st = trainer.state();
    return new Checkpoint(st.steps(), runId, st, trainer.optimizer().iterations(), params, opt);
  }

  /** Writes {@code dir/checkpoint.bin} atomically. */
  public void save(Path dir) throws IOException {
    ObjectNode h = JSON.createObjectNode();
    h.put("format", "dpvideo-checkpoint-v1");
    h.put("step", step);
    h.put("run_id", runId);
    h.set("trainer_state", JSON.readTree(trainerState.toJson()));
    h.put("optimizer_iterations", optimizerIterations);
    byte[] header = JSON.writeValueAsBytes(h);
    AtomicFiles.write(dir.resolve(FILE), out -> {
      out.write(MAGIC.getBytes(StandardCharsets.US_ASCII));
      out.writeInt(header.length);
      out.write(header);
      NamedArrays.write(out, parameters);
      NamedArrays.write(out, optimizerState);
    });
  }

  /** Whether {@code dir} holds a checkpoint. */
  public static boolean exists(Path dir) {
    return Files.isRegularFile(dir.resolve(FILE));
  }

  /**
   * Reads {@code dir/checkpoint.bin}.
   *
   * @throws IOException if it is missing or damaged
   */
  public static Checkpoint load(Path dir) throws IOException {
    Path file = dir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      throw new IOException("there is no checkpoint in " + dir + " (" + FILE + " is missing)");
    }
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      if (!MAGIC.equals(new String(in.readNBytes(MAGIC.length()), StandardCharsets.US_ASCII))) {
        throw new IOException(file + " is not a dpvideo checkpoint (wrong magic bytes)");
      }
      int len = in.readInt();
      if (len < 2 || len > (1 << 26)) {
        throw new IOException(file + " has an implausible header length " + len);
      }
      JsonNode h = JSON.readTree(in.readNBytes(len));
      TrainerState st = TrainerState.fromJson(JSON.writeValueAsString(h.get("trainer_state")));
      Map<String, INDArray> params = NamedArrays.read(in);
      Map<String, INDArray> opt = NamedArrays.read(in);
      return new Checkpoint(h.path("step").asLong(), h.path("run_id").asText(), st,
          h.path("optimizer_iterations").asLong(), params, opt);
    }
  }

  /** Copies the parameters into {@code model} (names and shapes must match). */
  public void restoreInto(VideoLm model) throws IOException {
    ModelFile.restore(model, parameters, "checkpoint at step " + step);
  }
}
