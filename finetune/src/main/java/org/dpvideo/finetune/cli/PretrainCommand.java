package org.dpvideo.finetune.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.dpvideo.dpsgd.optim.OptimizerConfig;
import org.dpvideo.finetune.checkpoint.ModelFile;
import org.dpvideo.finetune.data.ClipTokenizer;
import org.dpvideo.finetune.data.TokenizedClip;
import org.dpvideo.finetune.model.VideoLm;
import org.dpvideo.finetune.model.VideoLmConfig;
import org.dpvideo.finetune.model.Vocabulary;
import org.dpvideo.finetune.task.Task;
import org.dpvideo.finetune.task.TaskLayout;
import org.dpvideo.finetune.task.TaskPrompts;
import org.dpvideo.finetune.train.Pretrainer;
import org.dpvideo.finetune.train.TaskMix;
import org.dpvideo.tokenizer.GridShape;
import org.dpvideo.tokenizer.VideoTokenizer;
import org.dpvideo.tokenizer.dataset.Manifest;
import org.dpvideo.tokenizer.dataset.ManifestOptions;
import org.dpvideo.tokenizer.dataset.ManifestRow;
import org.dpvideo.tokenizer.dataset.Provenance;
import org.dpvideo.tokenizer.dataset.Split;
import org.dpvideo.tokenizer.fit.TokenizerStore;
import org.dpvideo.tokenizer.video.ClipSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dpvideo pretrain}: non-private pretraining of a video LM on PUBLIC footage (a manifest whose
 * train rows are all public; a private row is refused), with AGD task groups, VideoPoet's two-stage
 * image/video mixing and condition dropout for classifier-free guidance. Writes a model file that
 * {@code dpvideo finetune --base} continues from.
 */
@Command(name = "pretrain", mixinStandardHelpOptions = true, description = {
    "Pretrain a video language model on public footage (no privacy: every train row must be public).",
    "AGD: one task group (one sequence length, no padding between sequences) per step; two-stage mixing:"
        + " images are chosen with --stage-one-image-share for the first --stage-one-fraction of the steps,"
        + " then with --stage-two-image-share (VideoPoet: 0.9, 0.25, 0.1); condition dropout for guidance."})
public final class PretrainCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--manifest", required = true, paramLabel = "CSV", description = "Manifest of public videos"
      + " (its train rows are used).")
  Path manifest;

  @Option(names = "--images", paramLabel = "CSV", description = "Manifest of public still images (train rows),"
      + " trained as one-frame clips in the image share of the steps.")
  Path images;

  @Option(names = "--tokenizer", required = true, paramLabel = "FILE", description = "A video tokenizer fitted on"
      + " public footage (`dpvideo tokenizer fit`).")
  Path tokenizer;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the model file.")
  Path out;

  @Option(names = "--spec", paramLabel = "FxHxW@FPS", defaultValue = "9x32x32@8",
      description = "Clip spec (default: ${DEFAULT-VALUE}); fine-tunes of the model use the same.")
  String clipSpec;

  @Option(names = "--tasks", paramLabel = "TASK[=W],...", defaultValue = "i2v=0.5,t2v=0.2,fc=0.15,unconditional=0.15",
      description = "Video task groups and their shares of the video steps (default: ${DEFAULT-VALUE}).")
  String tasks;

  @Option(names = "--steps", paramLabel = "N", defaultValue = "500", description = "Optimizer steps (default:"
      + " ${DEFAULT-VALUE}).")
  long steps;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "12", description = "Video sequences per step; image"
      + " steps take four times as many (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--layers", paramLabel = "N", defaultValue = "3", description = "Transformer blocks.")
  int layers;

  @Option(names = "--width", paramLabel = "D", defaultValue = "96", description = "Model width.")
  int width;

  @Option(names = "--heads", paramLabel = "H", defaultValue = "4", description = "Attention heads (divide the width).")
  int heads;

  @Option(names = "--lr", paramLabel = "RATE", defaultValue = "3e-3", description = "Adam learning rate.")
  double learningRate;

  @Option(names = "--stage-one-fraction", paramLabel = "F", defaultValue = "0.25",
      description = "Fraction of the steps in the image-heavy first stage (default: ${DEFAULT-VALUE}).")
  double stageOneFraction;

  @Option(names = "--stage-one-image-share", paramLabel = "P", defaultValue = "0.9",
      description = "Probability of an image step in stage one (default: ${DEFAULT-VALUE}).")
  double stageOneImageShare;

  @Option(names = "--stage-two-image-share", paramLabel = "P", defaultValue = "0.1",
      description = "Probability of an image step in stage two (default: ${DEFAULT-VALUE}).")
  double stageTwoImageShare;

  @Option(names = "--condition-dropout", paramLabel = "P", defaultValue = "0.1",
      description = "Probability of the null condition per example, so classifier-free guidance works (default:"
          + " ${DEFAULT-VALUE}).")
  double conditionDropout;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "7", description = "Seed of initialization, batches"
      + " and dropout (public data; no privacy role).")
  long seed;

  @Option(names = "--cache", paramLabel = "DIR", defaultValue = "runs/.cache", description = "Where tokenized clips"
      + " are cached (default: ${DEFAULT-VALUE}).")
  Path cache;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "2", description = "Decoding threads.")
  int threads;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    if (batch < 1 || threads < 1) {
      throw new IllegalArgumentException("--batch and --threads must be >= 1, got " + batch + " and " + threads);
    }
    TaskMix mix = TaskMix.parse(tasks);
    Pretrainer.Settings settings = new Pretrainer.Settings(steps, OptimizerConfig.adam(learningRate), stageOneFraction,
        stageOneImageShare, stageTwoImageShare, conditionDropout, seed);
    ClipSpec clip = ClipSpec.parse(clipSpec);
    VideoTokenizer tok = TokenizerStore.load(tokenizer);
    GridShape grid = tok.gridShape(clip);
    List<TaskLayout> layouts = mix.layouts(grid, TaskPrompts.DEFAULT_CAPTION_TOKENS);
    VideoLmConfig cfg = Pretrainer.modelConfig(tok.vocabSize(), grid, layers, width, heads);

    Manifest videos = publicTrainRows(manifest, "--manifest");
    Manifest stills = images == null ? null : publicTrainRows(images, "--images");
    List<TokenizedClip> videoClips = ClipTokenizer.loadOrBuild(cache.resolve("clips"), videos, clip, tok, threads,
        line -> log(err, line));
    List<Pretrainer.Group> groups = new ArrayList<>();
    Vocabulary vocab = cfg.vocabulary();
    double[] w = mix.weightArray();
    for (int i = 0; i < layouts.size(); i++) {
      groups.add(new Pretrainer.Group(TaskMix.examples(layouts.get(i), vocab, videoClips, c -> 0), false, w[i],
          batch));
    }
    int stillCount = 0;
    if (stills != null) {
      List<TokenizedClip> imageClips = ClipTokenizer.loadOrBuild(cache.resolve("clips"), stills, clip.withFrames(1),
          tok, threads, line -> log(err, line));
      stillCount = imageClips.size();
      groups.add(new Pretrainer.Group(TaskMix.examples(new TaskLayout(Task.TEXT_TO_VIDEO, new GridShape(1, grid.h(),
          grid.w()), TaskPrompts.DEFAULT_CAPTION_TOKENS), vocab, imageClips, c -> 0), true, 1.0, 4 * batch));
    } else if (stageOneImageShare > 0 || stageTwoImageShare > 0) {
      log(err, "pretrain: no --images given, so every step is a video step (the two-stage mixing needs images)");
    }
    VideoLm lm = VideoLm.create(cfg, seed);
    log(err, String.format(Locale.ROOT, "pretrain: %s, %,d parameters; %d videos, %d stills; tasks %s", cfg.describe(),
        lm.parameters().trainableCount(), videoClips.size(), stillCount, mix.describe()));
    Pretrainer.Result r = Pretrainer.run(lm, groups, settings, System.err);
    ObjectNode info = JSON.createObjectNode().put("trained", "non-private pretraining on public data")
        .put("manifest", manifest.toString()).put("clip_spec", clipSpec).put("steps", r.steps())
        .put("tasks", mix.describe()).put("final_loss", r.finalLoss()).put("padding_ratio", r.paddingRatio());
    Files.createDirectories(out.toAbsolutePath().getParent());
    ModelFile.save(lm, new ModelFile.Info(tok.version(), info), out);
    lm.close();
    PrintWriter o = spec.commandLine().getOut();
    o.printf(Locale.ROOT, "pretrained %d steps in %.1f s (%.0f input tokens/s); final loss %.4f; padding %.2f%%;"
        + " image steps in stage one: %d of %d%n", r.steps(), r.seconds(), r.tokensPerSecond(), r.finalLoss(),
        100 * r.paddingRatio(), r.imageStepsStageOne(), r.stageOneSteps());
    o.println("model: " + out + " (tokenizer " + tok.version() + ", clip spec " + clipSpec + ")");
    o.flush();
    return 0;
  }

  /** The train rows of a manifest, refusing private ones (all listed). */
  static Manifest publicTrainRows(Path csv, String option) {
    Manifest m = Manifest.load(csv, ManifestOptions.DEFAULT);
    List<String> bad = new ArrayList<>();
    List<ManifestRow> rows = new ArrayList<>();
    for (ManifestRow r : m.rows()) {
      if (r.split() != Split.TRAIN) {
        continue;
      }
      if (r.provenance() != Provenance.PUBLIC) {
        bad.add("line " + r.line() + " (" + r.path().getFileName() + ")");
      } else {
        rows.add(r);
      }
    }
    if (!bad.isEmpty()) {
      throw new IllegalArgumentException(option + " " + csv + " has " + bad.size() + " private train row(s): "
          + String.join(", ", bad.subList(0, Math.min(20, bad.size()))) + (bad.size() > 20 ? ", ..." : "")
          + "; pretraining is not private, so it takes public rows only. Fine-tune on private rows with"
          + " `dpvideo finetune`, or mark the rows public if they are.");
    }
    if (rows.isEmpty()) {
      throw new IllegalArgumentException(option + " " + csv + " has no train rows; pretraining needs public rows"
          + " with split=train.");
    }
    return Manifest.of(csv, m.groupNames(), rows);
  }

  private static void log(PrintWriter err, String line) {
    err.println(line);
    err.flush();
  }
}
