package org.dpvideo.finetune.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.concurrent.Callable;
import org.dpvideo.dpsgd.accounting.AccountantKind;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.accounting.RdpAccountant;
import org.dpvideo.dpsgd.clipping.DpsgdGlobalAdapt;
import org.dpvideo.dpsgd.noise.Randomness;
import org.dpvideo.dpsgd.optim.OptimizerConfig;
import org.dpvideo.dpsgd.sampling.PrivacyUnit;
import org.dpvideo.finetune.model.FineTuneMode;
import org.dpvideo.finetune.model.VideoLm;
import org.dpvideo.finetune.model.VideoLmConfig;
import org.dpvideo.finetune.task.Task;
import org.dpvideo.finetune.task.TaskLayout;
import org.dpvideo.finetune.task.TaskPrompts;
import org.dpvideo.finetune.train.Pretrainer;
import org.dpvideo.finetune.train.PrivacySettings;
import org.dpvideo.finetune.train.PrivateFineTune;
import org.dpvideo.finetune.train.PrivatePlan;
import org.dpvideo.finetune.train.TaskExamples;
import org.dpvideo.tokenizer.GridShape;
import org.dpvideo.tokenizer.TokenGrid;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dpvideo bench train}: input tokens per second of the demo model (3 blocks x 96, the demo's
 * sticker-animation sequences of the 5x8x8 token grid) for non-private pretraining and for DP fine-tuning
 * with DPSGD-Global-Adapt, LoRA (the default) and full. Synthetic random token sequences (no data is read);
 * each measurement follows an untimed warm-up run that builds the graphs and gradient functions.
 */
@Command(name = "train", mixinStandardHelpOptions = true, description = {
    "Tokens/s of the demo model: non-private pretraining, and DP fine-tuning (DPSGD-Global-Adapt, subject-level"
        + " Poisson sampling, LoRA and full).",
    "Synthetic token sequences of the demo's sticker-animation layout; warm-up runs are not timed."})
public final class TrainBenchCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--steps", paramLabel = "N", defaultValue = "20", description = "Timed steps per measurement"
      + " (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "3", description = "Untimed steps first (default:"
      + " ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--batch", paramLabel = "B", defaultValue = "24", description = "Pretraining batch and expected DP"
      + " batch (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (steps < 1 || warmup < 1 || batch < 1) {
      throw new IllegalArgumentException("--steps, --warmup and --batch must be >= 1, got " + steps + ", " + warmup
          + " and " + batch);
    }
    VideoLmConfig cfg = VideoLmConfig.demo(1024);
    GridShape grid = new GridShape(5, 8, 8);
    TaskLayout layout = new TaskLayout(Task.IMAGE_TO_VIDEO, grid, TaskPrompts.DEFAULT_CAPTION_TOKENS);
    int units = 200;
    TaskExamples ex = synthetic(layout, cfg, units);

    VideoLm pre = VideoLm.create(cfg, 1);
    List<Pretrainer.Group> groups = List.of(new Pretrainer.Group(ex, false, 1, batch));
    Pretrainer.run(pre, groups, Pretrainer.Settings.videoPoet(warmup, 1), null);
    Pretrainer.Result p = Pretrainer.run(pre, groups, Pretrainer.Settings.videoPoet(steps, 2), null);
    long params = pre.parameters().trainableCount();

    double[] lora = dp(pre, ex, FineTuneMode.defaultPrivate(), units);
    double[] full = dp(pre, ex, new FineTuneMode.Full(), units);
    pre.close();

    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ObjectNode j = new ObjectMapper().createObjectNode();
      j.put("model", cfg.describe()).put("parameters", params).put("sequence_tokens", layout.inputLength())
          .put("batch", batch).put("steps", steps).put("pretrain_tokens_per_second", p.tokensPerSecond())
          .put("dp_lora_tokens_per_second", lora[0]).put("dp_lora_trained_parameters", (long) lora[1])
          .put("dp_full_tokens_per_second", full[0]).put("dp_full_trained_parameters", (long) full[1]);
      out.println(j);
    } else {
      out.printf(Locale.ROOT, "model: %s, %,d parameters; sticker animation sequences of %d input tokens%n",
          cfg.describe(), params, layout.inputLength());
      out.printf(Locale.ROOT, "pretraining (non-private, batch %d):          %8.0f input tokens/s%n", batch,
          p.tokensPerSecond());
      out.printf(Locale.ROOT, "DP fine-tune, LoRA (%,d trained params):   %8.0f input tokens/s (expected batch %d)%n",
          (long) lora[1], lora[0], batch);
      out.printf(Locale.ROOT, "DP fine-tune, full (%,d trained params): %8.0f input tokens/s%n", (long) full[1],
          full[0]);
      out.printf(Locale.ROOT, "DP/non-private: LoRA %.2fx, full %.2fx (same run; timed steps %d after %d warm-up)%n",
          lora[0] / p.tokensPerSecond(), full[0] / p.tokensPerSecond(), steps, warmup);
    }
    out.flush();
    return 0;
  }

  /** Tokens/s and trained parameters of a DP fine-tune of a copy of {@code base} in {@code mode}. */
  private double[] dp(VideoLm base, TaskExamples ex, FineTuneMode mode, int units) throws Exception {
    Path dir = Files.createTempDirectory("dpvideo-bench-train");
    try {
      double[] result = new double[2];
      for (int round = 0; round < 2; round++) {
        int n = round == 0 ? warmup : steps;
        VideoLm lm = VideoLm.create(base.config(), 1);
        long trained = mode.apply(lm);
        PrivacySettings s = new PrivacySettings(OptionalDouble.empty(), OptionalDouble.of(1.0), 1e-5,
            PrivacyUnit.SUBJECT, DpsgdGlobalAdapt.withDefaults(1.0), (double) batch / units, n, 1, AccountantKind.RDP);
        RdpAccountant acc = new RdpAccountant();
        PrivatePlan plan = PrivatePlan.of(s, List.of("image_to_video"), new double[] {1}, acc);
        PrivateFineTune.Options o = new PrivateFineTune.Options(OptimizerConfig.adam(1e-3), mode, 0.1, 1, n + 1, 32,
            false);
        PrivateFineTune.Result r = PrivateFineTune.train(lm, plan, List.of(ex), o, dir, NO_LEDGER, null,
            Randomness.secure(), null, null, acc);
        result[0] = r.inputTokens() / r.seconds();
        result[1] = trained;
        lm.close();
      }
      return result;
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  /** Synthetic data is not private: nothing to record. */
  private static final PrivateFineTune.LedgerRecorder NO_LEDGER = new PrivateFineTune.LedgerRecorder() {
    @Override
    public String runId() {
      return "bench";
    }

    @Override
    public void progress(DpEvent spentSoFar) {}

    @Override
    public void complete(DpEvent finalEvent) {}
  };

  static TaskExamples synthetic(TaskLayout layout, VideoLmConfig cfg, int n) {
    Random r = new Random(5);
    List<int[]> seqs = new ArrayList<>();
    int[] subjects = new int[n];
    String[] words = {"waving", "hand", "smiling", "face", "red", "ball", "spinning", "star", "thumbs", "up"};
    for (int i = 0; i < n; i++) {
      int[] ids = new int[layout.grid().t() * layout.grid().h() * layout.grid().w()];
      for (int k = 0; k < ids.length; k++) {
        ids[k] = r.nextInt(cfg.videoVocabulary());
      }
      TokenGrid g = new TokenGrid(layout.grid(), ids);
      String caption = words[r.nextInt(words.length)] + " " + words[r.nextInt(words.length)];
      seqs.add(TaskPrompts.sequence(layout, cfg.vocabulary(), g, caption, g));
      subjects[i] = i;
    }
    return new TaskExamples(layout, seqs, subjects, new int[n]);
  }
}
