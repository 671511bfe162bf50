package org.dpvideo.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Consumer;
import org.dpvideo.dpsgd.accounting.AccountantKind;
import org.dpvideo.dpsgd.accounting.RdpAccountant;
import org.dpvideo.dpsgd.clipping.Dpsgd;
import org.dpvideo.dpsgd.ledger.DatasetFingerprint;
import org.dpvideo.dpsgd.ledger.DatasetRecord;
import org.dpvideo.dpsgd.ledger.LedgerLocation;
import org.dpvideo.dpsgd.ledger.PrivacyBudget;
import org.dpvideo.dpsgd.ledger.PrivacyLedger;
import org.dpvideo.dpsgd.ledger.Provenance;
import org.dpvideo.dpsgd.ledger.Reservation;
import org.dpvideo.dpsgd.ledger.ReservationRequest;
import org.dpvideo.dpsgd.noise.Randomness;
import org.dpvideo.dpsgd.optim.OptimizerConfig;
import org.dpvideo.dpsgd.sampling.PrivacyUnit;
import org.dpvideo.fairness.group.GroupKey;
import org.dpvideo.finetune.data.ClipTokenizer;
import org.dpvideo.finetune.data.TokenizedClip;
import org.dpvideo.finetune.eval.NllEvaluator;
import org.dpvideo.finetune.generate.EvaluationResult;
import org.dpvideo.finetune.generate.EvaluationSettings;
import org.dpvideo.finetune.generate.HeldOutClip;
import org.dpvideo.finetune.generate.ModelEvaluation;
import org.dpvideo.finetune.model.FineTuneMode;
import org.dpvideo.finetune.model.VideoLm;
import org.dpvideo.finetune.model.VideoLmConfig;
import org.dpvideo.finetune.sample.SamplingConfig;
import org.dpvideo.finetune.task.Task;
import org.dpvideo.finetune.task.TaskLayout;
import org.dpvideo.finetune.task.TaskPrompts;
import org.dpvideo.finetune.train.DatasetFiles;
import org.dpvideo.finetune.train.Pretrainer;
import org.dpvideo.finetune.train.PrivacySettings;
import org.dpvideo.finetune.train.PrivateFineTune;
import org.dpvideo.finetune.train.PrivatePlan;
import org.dpvideo.finetune.train.PublicNormProbe;
import org.dpvideo.finetune.train.TaskExamples;
import org.dpvideo.finetune.train.TaskMix;
import org.dpvideo.tokenizer.GridShape;
import org.dpvideo.tokenizer.TokenizerKind;
import org.dpvideo.tokenizer.VideoTokenizer;
import org.dpvideo.tokenizer.dataset.Manifest;
import org.dpvideo.tokenizer.fit.TokenizerFitter;
import org.dpvideo.tokenizer.lfq.LfqConfig;
import org.dpvideo.tokenizer.video.ClipSpec;
import org.dpvideo.tokenizer.vq.VqConfig;

/**
 * The whole private fine-tuning recipe through the SDK, top to bottom, shared by the examples: a VQ
 * tokenizer fitted on public footage, a base pretrained on it, the privacy plan reserved in a budget
 * ledger before the private files are read, a subject-level DP-SGD fine-tune of LoRA adapters on one task,
 * and the held-out NLL of base and fine-tuned model. Not thread-safe.
 */
public final class PrivateFineTuneExample {
  /**
   * Example settings.
   *
   * @param spec the clip spec
   * @param codes VQ codebook size
   * @param layers transformer blocks
   * @param width model width
   * @param pretrainSteps public pretraining steps
   * @param fineTuneSteps private steps
   * @param epsilon the target epsilon (delta is 1/N^1.1)
   * @param expectedBatch expected subjects per private step
   */
  public record Settings(ClipSpec spec, int codes, int layers, int width, long pretrainSteps, long fineTuneSteps,
      double epsilon, double expectedBatch) {
    public Settings {
      Objects.requireNonNull(spec, "spec");
    }

    /** Tiny settings for tests: 5x16x16 clips, 64 codes, one block of width 16, a few steps. */
    public static Settings tiny() {
      return new Settings(ClipSpec.parse("5x16x16@8"), 64, 1, 16, 6, 6, 8.0, 4);
    }
  }

  /**
   * What the example measured.
   *
   * @param baseNll held-out per-token NLL of the base model
   * @param fineTunedNll the same after the private fine-tune
   * @param epsilon the spent epsilon at delta
   * @param delta the delta, 1/N^1.1
   * @param subjects N, the private subjects
   * @param ledgerRun the ledger run id
   * @param evaluation samples of the fine-tuned model per group (GIFs, contact sheet) with quality and
   *     decoding-collapse figures next to the held-out clips ({@code ModelEvaluation}), in {@code run/samples}
   */
  public record Result(double baseNll, double fineTunedNll, double epsilon, double delta, int subjects,
      String ledgerRun, EvaluationResult evaluation) {}

  private PrivateFineTuneExample() {}

  /**
   * Runs the recipe.
   *
   * @param work where the tokenizer, caches, ledger and checkpoints go
   * @param publicVideos public footage (tokenizer and pretraining)
   * @param privateTrain private footage (fine-tuning), one subject per row or several rows per subject
   * @param heldOut held-out clips of the private kind (evaluation only)
   * @param task the fine-tuning task (sticker animation, personalization, ...)
   */
  public static Result run(Path work, Manifest publicVideos, Manifest privateTrain, Manifest heldOut, Task task,
      Settings s, Consumer<String> log) throws IOException {
    Files.createDirectories(work);
    // 1. Tokenizer and base model: public data only.
    VideoTokenizer tok = TokenizerFitter.fit(publicVideos, new TokenizerFitter.FitPlan(TokenizerKind.VQ, s.spec(),
        VqConfig.DEFAULT.withCodebookSize(s.codes()).withIterations(4), LfqConfig.DEFAULT, 1, 200), log);
    GridShape grid = tok.gridShape(s.spec());
    VideoLmConfig cfg = Pretrainer.modelConfig(tok.vocabSize(), grid, s.layers(), s.width(), 2);
    TaskLayout layout = new TaskLayout(task, grid, TaskPrompts.DEFAULT_CAPTION_TOKENS);
    Path cache = work.resolve("cache");
    List<TokenizedClip> pub = ClipTokenizer.loadOrBuild(cache, publicVideos, s.spec(), tok, 2, log);
    VideoLm model = VideoLm.create(cfg, 1);
    TaskExamples pubExamples = TaskMix.examples(layout, cfg.vocabulary(), pub, c -> 0);
    Pretrainer.run(model, List.of(new Pretrainer.Group(pubExamples, false, 1, 8)),
        Pretrainer.Settings.videoPoet(s.pretrainSteps(), 3), null);

    // 2. The plan from public facts: N subjects from the manifest, C from public gradient norms.
    int n = new HashSet<>(privateTrain.rows().stream().map(r -> r.subject()).toList()).size();
    int maxPerSubject = privateTrain.rows().stream().collect(java.util.stream.Collectors.groupingBy(
        r -> r.subject(), java.util.stream.Collectors.counting())).values().stream().mapToInt(Long::intValue).max()
        .orElse(1);
    double delta = 1.0 / Math.pow(n, 1.1);
    FineTuneMode mode = FineTuneMode.parse("lora");
    mode.apply(model);
    double clip = PublicNormProbe.quantile(PublicNormProbe.norms(model, pubExamples, 32), 0.5);
    PrivacySettings ps = new PrivacySettings(OptionalDouble.of(s.epsilon()), OptionalDouble.empty(), delta,
        PrivacyUnit.SUBJECT, new Dpsgd(clip), Math.min(1, s.expectedBatch() / n), s.fineTuneSteps(), maxPerSubject,
        AccountantKind.RDP);
    RdpAccountant acc = new RdpAccountant();
    PrivatePlan plan = PrivatePlan.of(ps, List.of(task.label()), new double[] {1}, acc);

    // 3. The ledger reserves the plan before any private file is read.
    try (PrivacyLedger ledger = PrivacyLedger.open(LedgerLocation.parse(work.resolve("ledger.db").toString()), acc)) {
      Provenance who = Provenance.current("examples " + task.label());
      DatasetRecord ds = ledger.registerDataset(DatasetFingerprint.compute(privateTrain.source(), DatasetFiles.expand(
          privateTrain.rows().stream().map(r -> r.path()).toList())), privateTrain.source().toString(), who);
      if (ledger.balance(ds.id()).budget().isEmpty()) {
        ledger.setBudget(ds.id(), new PrivacyBudget(4 * s.epsilon(), delta),
            Optional.of(org.dpvideo.dpsgd.PrivacyUnit.SUBJECT), "example budget", who);
      }
      Reservation res = ledger.reserve(new ReservationRequest(ds.id(), plan.planned(), delta,
          org.dpvideo.dpsgd.PrivacyUnit.SUBJECT, who));

      // 4. Private data, the fine-tune, and the evaluation on held-out clips.
      List<TokenizedClip> priv = ClipTokenizer.loadOrBuild(cache, privateTrain, s.spec(), tok, 2, log);
      List<TokenizedClip> held = ClipTokenizer.loadOrBuild(cache, heldOut, s.spec(), tok, 2, log);
      TaskExamples heldExamples = TaskMix.examples(layout, cfg.vocabulary(), held, c -> 0);
      double base = NllEvaluator.mean(NllEvaluator.perExample(model, heldExamples, 16));
      PrivateFineTune.Result r = PrivateFineTune.train(model, plan, List.of(TaskMix.examples(layout, cfg.vocabulary(),
          priv, c -> 0)), new PrivateFineTune.Options(OptimizerConfig.adam(3e-3), mode, 0.1, 1, 1000, 8, false),
          work.resolve("run"), PrivateFineTune.LedgerRecorder.of(ledger, res), null, Randomness.secure(), null, null,
          acc);
      double tuned = NllEvaluator.mean(NllEvaluator.perExample(model, heldExamples, 16));

      // 5. Samples per group and their quality and collapse next to the held-out clips. Sampling is
      // post-processing of the DP model; the held-out clips are private-kind data without a DP mechanism,
      // so these figures are internal (TRAIN_UNPROTECTED).
      List<HeldOutClip> clips = new ArrayList<>();
      for (TokenizedClip c : held) {
        clips.add(new HeldOutClip(c.grid(), c.row().caption(), groupOf(c), task == Task.PERSONALIZATION ? c.grid()
            : null));
      }
      EvaluationResult eval = ModelEvaluation.evaluate(model, tok, clips, EvaluationSettings.of(layout,
          org.dpvideo.fairness.Provenance.TRAIN_UNPROTECTED).withSamplesPerGroup(2)
          .withSampling(SamplingConfig.DEFAULT.withTemperature(0.9).withTopK(32)).withVideo(s.spec().fps(), 4),
          work.resolve("run"));
      model.close();
      return new Result(base, tuned, r.guarantee().epsilon(), delta, n, res.runId().value(), eval);
    }
  }
  /** A clip's fairness group: its first group label in the manifest, else one group of all held-out clips. */
  static GroupKey groupOf(TokenizedClip c) {
    for (var e : c.row().groups().entrySet()) {
      return GroupKey.of(e.getKey(), e.getValue());
    }
    return GroupKey.of("set", "held_out");
  }
}
