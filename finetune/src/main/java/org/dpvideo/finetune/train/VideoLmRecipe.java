package org.dpvideo.finetune.train;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import org.dpvideo.dpsgd.dataparallel.ModelRecipe;
import org.dpvideo.dpsgd.layers.DpModel;
import org.dpvideo.finetune.checkpoint.ModelFile;
import org.dpvideo.finetune.model.FineTuneMode;
import org.dpvideo.finetune.model.VideoLm;

/**
 * The video LM's training graph as a data-parallel {@link ModelRecipe}: the base model file (a path every
 * machine of the run can read: the driver's file in local mode, shared storage on a cluster), its SHA-256
 * (checked on every machine, so all of them start from the same weights), the fine-tune mode (adapters and
 * trainable flags) and the task layout's input and prefix lengths. It carries a path, not the weights,
 * because Spark ships the recipe inside every task's closure.
 *
 * <p>Immutable and deterministic: loading the file and applying the mode gives the same parameter names,
 * trainable flags and values everywhere (LoRA adapters are initialised from the model's fixed seed).
 *
 * @param baseFile absolute path of the base model file ({@code dpvideo pretrain})
 * @param sha256 the file's SHA-256 in hex
 * @param mode what is trained
 * @param inputLength the training graph's sequence length
 * @param prefixLength its condition prefix
 */
public record VideoLmRecipe(String baseFile, String sha256, FineTuneMode mode, int inputLength, int prefixLength)
    implements ModelRecipe {
  private static final long serialVersionUID = 1L;

  public VideoLmRecipe {
    Objects.requireNonNull(baseFile, "baseFile");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(mode, "mode");
    if (inputLength < 1 || prefixLength < 1 || prefixLength > inputLength) {
      throw new IllegalArgumentException("need 1 <= prefix <= length, got prefix " + prefixLength + " and length "
          + inputLength);
    }
  }

  /** The recipe of {@code file} as it is now (its digest is computed here). */
  public static VideoLmRecipe of(Path file, FineTuneMode mode, int inputLength, int prefixLength) throws IOException {
    Path abs = file.toAbsolutePath().normalize();
    return new VideoLmRecipe(abs.toString(), sha256(abs), mode, inputLength, prefixLength);
  }

  /**
   * Loads the base model, checks its digest, applies the mode and returns the training graph. The graph
   * shares the loaded model's parameters; closing it frees the graph's buffers, the parameters go with GC.
   *
   * @throws UncheckedIOException if the file cannot be read here
   * @throws IllegalStateException if the file here differs from the driver's
   */
  @Override
  public DpModel build() {
    Path file = Path.of(baseFile);
    try {
      String found = sha256(file);
      if (!found.equals(sha256)) {
        throw new IllegalStateException("the base model " + file + " on this machine has SHA-256 " + found + " but the"
            + " driver's has " + sha256 + "; every machine of a data-parallel fine-tune must read the same base model"
            + " file (put it on shared storage)");
      }
      VideoLm lm = ModelFile.load(file).model();
      mode.apply(lm);
      return lm.trainingGraph(inputLength, prefixLength);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the base model " + file + " on this machine (a data-parallel"
          + " fine-tune needs it at the same path on every machine): " + e.getMessage(), e);
    }
  }

  @Override
  public String describe() {
    return "video LM " + Path.of(baseFile).getFileName() + " (" + mode.label() + ") T=" + inputLength + " prefix="
        + prefixLength;
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int r; (r = in.read(buf)) > 0; ) {
        md.update(buf, 0, r);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }
}
