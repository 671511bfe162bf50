package org.dpvideo.finetune.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import org.dpvideo.fairness.report.RunDirectory;
import org.dpvideo.finetune.generate.TaskCondition;
import org.dpvideo.finetune.generate.TaskRequests;
import org.dpvideo.finetune.generate.VideoLmDecoding;
import org.dpvideo.finetune.model.VideoLm;
import org.dpvideo.finetune.model.VideoLmConfig;
import org.dpvideo.finetune.sample.GeneratedSample;
import org.dpvideo.finetune.sample.GenerationRequest;
import org.dpvideo.finetune.sample.GridSampler;
import org.dpvideo.finetune.sample.SampleFormat;
import org.dpvideo.finetune.sample.SampleOutput;
import org.dpvideo.finetune.sample.SamplingConfig;
import org.dpvideo.finetune.sample.SamplingRandomness;
import org.dpvideo.finetune.task.Task;
import org.dpvideo.finetune.task.TaskLayout;
import org.dpvideo.finetune.task.TaskPrompts;
import org.dpvideo.tokenizer.GridShape;
import org.dpvideo.tokenizer.TokenGrid;
import org.dpvideo.tokenizer.VideoTokenizer;
import org.dpvideo.tokenizer.fit.TokenizerStore;
import org.dpvideo.tokenizer.video.Clip;
import org.dpvideo.tokenizer.video.ClipSampler;
import org.dpvideo.tokenizer.video.ClipSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dpvideo generate}: samples videos from a trained video LM for any task and writes them as GIF or
 * MP4 files with a contact sheet and {@code generation.json} (settings, timing, files and the model's
 * privacy guarantee). Generation reads only the model's parameters, so it is post-processing of a DP
 * fine-tune and adds no privacy cost; the JSON says so and repeats the guarantee the model file records.
 */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Generate videos from a trained model for any task; writes GIF/MP4 files, a contact sheet and"
        + " generation.json.",
        "Generation is post-processing of the model: it adds no privacy cost to a DP fine-tune."})
public final class GenerateCommand implements Callable<Integer> {
  /** The metadata file written next to the samples. */
  static final String RESULT_FILE = "generation.json";

  /**
   * A loaded model file: the model, the version of the video tokenizer it was trained with, and the free
   * provenance the trainer recorded (what it was trained on; epsilon and delta for a DP fine-tune).
   */
  record LoadedModel(VideoLm model, String tokenizerVersion, JsonNode info) {}

  /** Reads a model file. */
  @FunctionalInterface
  interface ModelLoader {
    /**
     * @throws IOException when the file is not a model file or is damaged (the message says which)
     */
    LoadedModel load(Path file) throws IOException;
  }

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "FILE",
      description = "Model file written by `dpvideo pretrain` or `dpvideo finetune`.")
  Path modelFile;

  @Option(names = "--tokenizer", required = true, paramLabel = "FILE",
      description = "The video tokenizer the model was trained with (decodes the samples, encodes --condition).")
  Path tokenizerFile;

  @Option(names = "--task", defaultValue = "image_to_video", paramLabel = "TASK",
      description = "text_to_video, image_to_video (sticker animation), frame_continuation, inpainting, outpainting,"
          + " personalization or unconditional (short forms t2v, i2v, fc, inpaint, outpaint, personalize, uncond);"
          + " default ${DEFAULT-VALUE}.")
  String task;

  @Option(names = "--caption", defaultValue = "", paramLabel = "TEXT",
      description = "The caption (every task but unconditional).")
  String caption;

  @Option(names = "--condition", paramLabel = "VIDEO",
      description = "Condition clip: its first frame (image_to_video), first half (frame_continuation), or the clip"
          + " to in/outpaint; sampled at the model's clip size.")
  Path condition;

  @Option(names = "--reference", paramLabel = "IMAGE",
      description = "Reference image of the subject (personalization).")
  Path reference;

  @Option(names = "--samples", defaultValue = "4", description = "Number of samples (default ${DEFAULT-VALUE}).")
  int samples;

  @Option(names = "--temperature", defaultValue = "1.0",
      description = "Softmax temperature; 0 = greedy (default ${DEFAULT-VALUE}).")
  double temperature;

  @Option(names = "--top-k", defaultValue = "0", description = "Keep the k most likely codes; 0 = all (default"
      + " ${DEFAULT-VALUE}).")
  int topK;

  @Option(names = "--top-p", defaultValue = "1.0", description = "Nucleus sampling mass; 1 = off (default"
      + " ${DEFAULT-VALUE}).")
  double topP;

  @Option(names = "--cfg-scale", defaultValue = "1.0",
      description = "Classifier-free guidance scale; 1 = off, e.g. 3 (default ${DEFAULT-VALUE}).")
  double cfgScale;

  @Option(names = "--seed", paramLabel = "N", description = "Seed the samples (reproducible); default: fresh"
      + " randomness from the operating system.")
  Long seed;

  @Option(names = "--no-kv-cache", description = "Recompute every position at every step instead of using the"
      + " key/value cache (same samples, much slower; for comparison).")
  boolean noKvCache;

  @Option(names = "--batch", defaultValue = "8", description = "Samples decoded together with the KV cache (speed"
      + " only; default ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--token-frames", paramLabel = "N",
      description = "Token rows of time of the clip (default: the model's maximum).")
  Integer tokenFrames;

  @Option(names = "--caption-tokens", defaultValue = "" + TaskPrompts.DEFAULT_CAPTION_TOKENS,
      description = "Caption budget the model was trained with, including BOT/EOT (default ${DEFAULT-VALUE}).")
  int captionTokens;

  @Option(names = "--fps", paramLabel = "FPS", description = "Frame rate of the output (default: the model's clip"
      + " spec, else 8).")
  Double fps;

  @Option(names = "--format", defaultValue = "gif", description = "gif or mp4 (default ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--scale", defaultValue = "4", description = "Integer upscaling of the frames, 1..16 (default"
      + " ${DEFAULT-VALUE}).")
  int scale;

  @Option(names = "--out", defaultValue = "generated", paramLabel = "DIR",
      description = "Output directory (default ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--json", description = "Print the generation's JSON (as written to generation.json) on one"
      + " line instead of text.")
  boolean json;

  private final ModelLoader loader;

  /** The command with the model-file reader of this build. */
  public GenerateCommand() {
    this(GenerateCommand::readModelFile);
  }

  GenerateCommand(ModelLoader loader) {
    this.loader = Objects.requireNonNull(loader, "loader");
  }

  /** The model-file reader of this build. */
  static LoadedModel readModelFile(Path file) throws IOException {
    throw new UserFacingException("this build cannot read model files yet (the checkpoint format lands with the"
        + " fine-tuning code); " + file + " was not read.");
  }

  @Override
  public Integer call() throws IOException {
    Task t = Task.parse(task);
    SampleFormat fmt = parseFormat(format);
    if (samples < 1 || batch < 1) {
      throw new IllegalArgumentException("--samples and --batch must be >= 1, got " + samples + " and " + batch + ".");
    }
    if (scale < 1 || scale > 16) {
      throw new IllegalArgumentException("--scale must be in 1..16, got " + scale + ".");
    }
    if (fps != null && !(fps > 0 && fps <= 120)) {
      throw new IllegalArgumentException("--fps must be in (0, 120], got " + fps + ".");
    }
    SamplingConfig sampling = new SamplingConfig(temperature, topK, topP, cfgScale, null);
    checkInputs(t);
    if (!Files.isRegularFile(modelFile)) {
      throw new UserFacingException("there is no model file at " + modelFile + "; pass --model with a file written by"
          + " `dpvideo pretrain` or `dpvideo finetune`.");
    }
    if (!Files.isRegularFile(tokenizerFile)) {
      throw new UserFacingException("there is no tokenizer file at " + tokenizerFile + "; pass --tokenizer with the"
          + " tokenizer the model was trained with (`dpvideo tokenizer fit` writes one).");
    }
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    VideoTokenizer tok;
    try {
      tok = TokenizerStore.load(tokenizerFile);
    } catch (IOException e) {
      throw new UserFacingException("cannot read the tokenizer " + tokenizerFile + ": " + e.getMessage(), e);
    }
    LoadedModel loaded;
    try {
      loaded = loader.load(modelFile);
    } catch (java.io.EOFException e) {
      throw new UserFacingException("cannot read the model file " + modelFile + ": it ends before its data does"
          + " (truncated, or still being written); use a complete model file.", e);
    } catch (IOException | RuntimeException e) {
      throw new UserFacingException("cannot read the model file " + modelFile + " (damaged or not a dpvideo model): "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
    }
    try (VideoLm lm = loaded.model()) {
      if (loaded.tokenizerVersion() != null && !loaded.tokenizerVersion().isEmpty()
          && !loaded.tokenizerVersion().equals(tok.version())) {
        throw new UserFacingException("the model was trained with tokenizer " + loaded.tokenizerVersion() + " but "
            + tokenizerFile + " is tokenizer " + tok.version() + "; pass the tokenizer the model was trained with.");
      }
      VideoLmConfig cfg = lm.config();
      int rows = tokenFrames == null ? cfg.maxTokenFrames() : tokenFrames;
      if (rows < 1) {
        throw new IllegalArgumentException("--token-frames must be >= 1, got " + rows + ".");
      }
      TaskLayout layout = new TaskLayout(t, new GridShape(rows, cfg.gridHeight(), cfg.gridWidth()), captionTokens);
      TaskRequests.requireExpressible(layout, cfg, tok.vocabSize());
      ClipSpec clipSpec = clipSpec(loaded.info(), tok, layout);
      TaskCondition cond = new TaskCondition(caption, condition == null ? null : encode(tok, condition, clipSpec),
          reference == null ? null : encode(tok, reference, clipSpec.withFrames(1)));
      GenerationRequest request = TaskRequests.request(layout, lm.vocabulary(), cond, sampling);
      SamplingConfig restricted = sampling.withAllowed(request.videoCodes());
      SamplingRandomness randomness = SamplingRandomness.of(seed == null ? OptionalLong.empty()
          : OptionalLong.of(seed));
      GridSampler sampler = new GridSampler(VideoLmDecoding.of(lm, layout.sequenceLength(), !noKvCache), restricted,
          noKvCache ? 1 : batch);
      if (!json) {
        err.printf(Locale.ROOT, "generate: %s, %d sample(s) of %d tokens, %s, %s, %s%n", layout.label(), samples,
            request.shape().size(), restricted.describe(), noKvCache ? "no KV cache" : "KV cache",
            randomness.describe());
        err.flush();
      }
      long t0 = System.nanoTime();
      List<GeneratedSample> generated = sampler.generate(request, samples, randomness);
      double seconds = (System.nanoTime() - t0) / 1e9;
      List<TokenGrid> grids = new ArrayList<>();
      for (GeneratedSample s : generated) {
        grids.add(TaskRequests.clipGrid(layout, lm.vocabulary(), request, s));
      }
      List<Clip> clips = SampleOutput.decodeGrids(tok, grids, clipSpec.fps());
      List<String> labels = new ArrayList<>();
      for (int i = 0; i < clips.size(); i++) {
        labels.add("sample " + i);
      }
      Files.createDirectories(out);
      String title = t.label() + (caption.isEmpty() ? "" : " '" + caption + "'") + " " + restricted.describe();
      SampleOutput.Files files = SampleOutput.write(out, "sample-", clips, labels, title, fmt, scale);
      ObjectNode result = result(loaded, layout, restricted, randomness, generated.size(), request.shape().size(),
          seconds, files, clipSpec);
      RunDirectory.writeAtomically(out.resolve(RESULT_FILE), DataCommand.json().writerWithDefaultPrettyPrinter()
          .writeValueAsString(result));
      if (json) {
        o.println(DataCommand.json().writeValueAsString(result));
      } else {
        o.printf(Locale.ROOT, "generated %d sample(s) in %.2f s (%.0f tokens/s): %s, contact sheet %s%n",
            generated.size(), seconds, generated.size() * request.shape().size() / seconds, out,
            files.contactSheet().getFileName());
        o.println("privacy: " + result.get("privacy").get("statement").asText());
      }
      o.flush();
    }
    return 0;
  }

  private void checkInputs(Task t) {
    List<String> problems = new ArrayList<>();
    boolean needsClip = t.hasVideoCondition() && t != Task.PERSONALIZATION;
    if (needsClip && condition == null) {
      problems.add("--task " + t.label() + " needs --condition VIDEO (" + switch (t) {
        case IMAGE_TO_VIDEO -> "the clip whose first frame is animated";
        case FRAME_CONTINUATION -> "the clip whose first half is continued";
        default -> "the clip to fill in";
      } + ")");
    }
    if (!needsClip && condition != null) {
      problems.add("--task " + t.label() + " takes no --condition clip");
    }
    if (t == Task.PERSONALIZATION && reference == null) {
      problems.add("--task personalization needs --reference IMAGE (the subject)");
    }
    if (t != Task.PERSONALIZATION && reference != null) {
      problems.add("--reference is only for --task personalization");
    }
    if (t == Task.UNCONDITIONAL && !caption.isEmpty()) {
      problems.add("--task unconditional takes no --caption");
    }
    for (Path p : new Path[] {condition, reference}) {
      if (p != null && !Files.isRegularFile(p)) {
        problems.add("there is no file at " + p);
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems) + ".");
    }
  }

  private static SampleFormat parseFormat(String s) {
    for (SampleFormat f : SampleFormat.values()) {
      if (f.extension().equalsIgnoreCase(s.trim())) {
        return f;
      }
    }
    throw new IllegalArgumentException("--format must be gif or mp4, got '" + s + "'.");
  }

  /** The clip size the model's grid decodes to; frame rate from --fps, else the model's clip spec, else 8. */
  private ClipSpec clipSpec(JsonNode info, VideoTokenizer tok, TaskLayout layout) {
    GridShape g = layout.grid();
    int frames = 1 + (g.t() - 1) * tok.temporalPatch();
    double rate = 8.0;
    int background = 0xFFFFFF;
    if (info != null && info.hasNonNull("clip_spec")) {
      try {
        ClipSpec trained = ClipSpec.parse(info.get("clip_spec").asText());
        rate = trained.fps();
        background = trained.background();
      } catch (IllegalArgumentException e) {
        // an unreadable recorded spec only loses the frame rate and background
      }
    }
    if (fps != null) {
      rate = fps;
    }
    return new ClipSpec(frames, rate, g.h() * tok.spatialPatch(), g.w() * tok.spatialPatch(), background);
  }

  private static TokenGrid encode(VideoTokenizer tok, Path file, ClipSpec spec) {
    Clip c = ClipSampler.sample(file, spec);
    return tok.encode(c);
  }

  private ObjectNode result(LoadedModel loaded, TaskLayout layout, SamplingConfig s, SamplingRandomness r, int count,
      int tokens, double seconds, SampleOutput.Files files, ClipSpec clipSpec) {
    ObjectNode n = DataCommand.json().createObjectNode();
    n.put("model", modelFile.toString());
    n.put("tokenizer", tokenizerFile.toString());
    n.put("task", layout.task().label());
    n.put("layout", layout.label());
    n.put("caption", caption);
    n.put("condition", condition == null ? null : condition.toString());
    n.put("reference", reference == null ? null : reference.toString());
    n.put("clip_spec", clipSpec.toString());
    n.put("samples", count);
    n.put("generated_tokens_per_sample", tokens);
    n.put("temperature", s.temperature());
    n.put("top_k", s.topK());
    n.put("top_p", s.topP());
    n.put("cfg_scale", s.cfgScale());
    n.put("randomness", r.label().name().toLowerCase(Locale.ROOT));
    if (r.seed().isPresent()) {
      n.put("seed", r.seed().getAsLong());
    } else {
      n.putNull("seed");
    }
    n.put("decoder", noKvCache ? "recompute" : "kv_cache");
    n.put("seconds", seconds);
    n.put("tokens_per_second", count * tokens / seconds);
    ArrayNode f = n.putArray("files");
    for (Path p : files.videos()) {
      f.add(p.getFileName().toString());
    }
    n.put("contact_sheet", files.contactSheet().getFileName().toString());
    n.set("privacy", privacy(loaded.info()));
    n.set("model_info", loaded.info() == null ? DataCommand.json().createObjectNode() : loaded.info());
    return n;
  }

  /**
   * The privacy statement of the samples: the model file's recorded guarantee, and that generation is
   * post-processing (Dwork and Roth 2014, Proposition 2.1: a function of a DP output is DP with the same
   * parameters), so sampling adds no cost.
   */
  static ObjectNode privacy(JsonNode info) {
    ObjectNode p = DataCommand.json().createObjectNode();
    p.put("generation_privacy_cost", "none: post-processing of the model");
    boolean dp = info != null && info.hasNonNull("epsilon") && info.hasNonNull("delta");
    p.put("differentially_private_model", dp);
    String trained = info != null && info.hasNonNull("trained") ? info.get("trained").asText() : "not recorded";
    p.put("trained", trained);
    if (dp) {
      double eps = info.get("epsilon").asDouble();
      double delta = info.get("delta").asDouble();
      p.put("epsilon", eps);
      p.put("delta", delta);
      for (String k : new String[] {"accountant", "privacy_unit", "ledger_run", "randomness"}) {
        if (info.hasNonNull(k)) {
          p.set(k, info.get(k));
        }
      }
      boolean seeded = info.hasNonNull("randomness") && info.get("randomness").asText().equalsIgnoreCase("seeded");
      p.put("statement", String.format(Locale.ROOT, "the model is a DP fine-tune with epsilon %.4g at delta %.3g%s;"
          + " generating from it is post-processing and adds no privacy cost.", eps, delta, seeded
          ? " BUT ITS NOISE WAS SEEDED (replayable): it is NOT private" : ""));
    } else {
      p.put("statement", "the model file records no differential-privacy guarantee (trained: " + trained + "); its"
          + " samples carry whatever its training data allows. Generation itself adds no privacy cost.");
    }
    return p;
  }
}
