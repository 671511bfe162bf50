package org.dpvideo.finetune.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import org.dpvideo.dpsgd.accounting.AccountantKind;
import org.dpvideo.dpsgd.accounting.ComposedEvent;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.accounting.GaussianEvent;
import org.dpvideo.dpsgd.accounting.PldAccountant;
import org.dpvideo.dpsgd.accounting.PoissonSampledEvent;
import org.dpvideo.dpsgd.accounting.PrivacyAccountant;
import org.dpvideo.dpsgd.accounting.SelfComposedEvent;
import org.dpvideo.dpsgd.clipping.DpsgdGlobalAdapt;
import org.dpvideo.dpsgd.ledger.DatasetFingerprint;
import org.dpvideo.dpsgd.ledger.DatasetRecord;
import org.dpvideo.dpsgd.ledger.LedgerLocation;
import org.dpvideo.dpsgd.ledger.PrivacyBudget;
import org.dpvideo.dpsgd.ledger.PrivacyLedger;
import org.dpvideo.dpsgd.ledger.Provenance;
import org.dpvideo.dpsgd.ledger.Reservation;
import org.dpvideo.dpsgd.ledger.ReservationRequest;
import org.dpvideo.dpsgd.noise.Randomness;
import org.dpvideo.dpsgd.noise.RandomnessLabel;
import org.dpvideo.dpsgd.optim.OptimizerConfig;
import org.dpvideo.dpsgd.sampling.PrivacyUnit;
import org.dpvideo.fairness.group.GroupKey;
import org.dpvideo.fairness.group.SensitiveFeatures;
import org.dpvideo.fairness.metrics.BootstrapOptions;
import org.dpvideo.fairness.metrics.GroupMetrics;
import org.dpvideo.fairness.metrics.GroupMetricsOptions;
import org.dpvideo.fairness.metrics.Metric;
import org.dpvideo.fairness.cost.MetricOrientation;
import org.dpvideo.fairness.cost.PrivacyCost;
import org.dpvideo.fairness.cost.PrivacyCostSummary;
import org.dpvideo.fairness.cost.ReferenceKind;
import org.dpvideo.fairness.cost.ReferenceModel;
import org.dpvideo.fairness.misalignment.MisalignmentDiagnostics;
import org.dpvideo.fairness.misalignment.MisalignmentObserver;
import org.dpvideo.fairness.misalignment.MisalignmentOptions;
import org.dpvideo.fairness.release.ReleaseAccount;
import org.dpvideo.fairness.report.GroupTable;
import org.dpvideo.fairness.report.MisalignmentSection;
import org.dpvideo.fairness.report.NoiseLabel;
import org.dpvideo.fairness.report.PrivacyCostTable;
import org.dpvideo.fairness.report.PrivacySection;
import org.dpvideo.fairness.report.ReleaseScope;
import org.dpvideo.fairness.report.ReportFormat;
import org.dpvideo.fairness.report.RunDirectory;
import org.dpvideo.fairness.report.RunReport;
import org.dpvideo.fairness.report.SampleSet;
import org.dpvideo.finetune.checkpoint.ModelFile;
import org.dpvideo.finetune.generate.EvaluationResult;
import org.dpvideo.finetune.generate.EvaluationSettings;
import org.dpvideo.finetune.generate.HeldOutClip;
import org.dpvideo.finetune.generate.ModelEvaluation;
import org.dpvideo.finetune.sample.SamplingConfig;
import org.dpvideo.finetune.metrics.CollapseReport;
import org.dpvideo.finetune.metrics.MetricComparison;
import org.dpvideo.finetune.data.TokenizedClip;
import org.dpvideo.finetune.eval.NllEvaluator;
import org.dpvideo.finetune.model.VideoLm;
import org.dpvideo.finetune.model.VideoLmConfig;
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
import org.dpvideo.tokenizer.GridShape;
import org.dpvideo.tokenizer.VideoTokenizer;
import org.dpvideo.tokenizer.video.ClipSpec;

/**
 * The whole demo, top to bottom: data (fetch, tokenizer on public stickers, tokens), the public base
 * (pretrained and cached), then for every seed a private sticker-animation fine-tune with
 * DPSGD-Global-Adapt at epsilon 8 and delta 1/N^1.1 (subject-level: one toned animation is one unit)
 * with its ledger run, the held-out NLL per skin tone of base and fine-tuned models, sample GIFs, and the
 * run directory with {@code report-data.json}, the rendered reports and {@code metrics.json}.
 */
public final class StickerDemo {
  /** Caption budget of the demo's prompts. */
  static final int CAPTION_TOKENS = TaskPrompts.DEFAULT_CAPTION_TOKENS;
  private static final ObjectMapper JSON = new ObjectMapper();
  /**
   * Examples per forward/backward pass of the private steps. Poisson batches vary in size, and the engine
   * keeps buffers for every micro-batch size it has seen, so small micro-batches bound the native memory
   * (about 2 GB for the demo model at 8; 32 grew past 18 GB over 50 steps).
   */
  static final int MICRO_BATCH = 8;

  /**
   * What the demo produced.
   *
   * @param runDir the run directory
   * @param epsilonPerRun epsilon of each fine-tuning run
   * @param epsilonTotal epsilon of all runs together (what the report's figures rest on)
   * @param delta the delta
   * @param baseNll held-out NLL of the base model (per token, all tones)
   * @param fineTunedNll held-out NLL of each seed's fine-tuned model
   * @param baseNllPerTone per tone
   * @param fineTunedNllPerTone per tone, mean over seeds
   * @param seconds wall time of the whole demo
   */
  public record Result(Path runDir, double epsilonPerRun, double epsilonTotal, double delta, double baseNll,
      double[] fineTunedNll, Map<String, Double> baseNllPerTone, Map<String, Double> fineTunedNllPerTone,
      double seconds) {}

  private StickerDemo() {}

  /**
   * Runs the demo.
   *
   * @param ledgerLocation the budget ledger to record the runs in, or null for a new ledger in the run
   *     directory
   * @param out the summary (stdout)
   * @param log progress (stderr)
   */
  public static Result run(DemoSettings s, LedgerLocation ledgerLocation, String commandLine, PrintWriter out,
      PrintStream log) throws IOException {
    long t0 = System.nanoTime();
    String runId = "demo-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC)
        .format(Instant.now()) + "-" + Long.toHexString(System.nanoTime() & 0xFFFF);
    Path runDir = s.runsDir().resolve(runId);
    Files.createDirectories(runDir);
    log.println("dpvideo demo" + (s.quick() ? " --quick" : "") + ": run directory " + runDir);

    // 1. Data: public stickers (untoned animations, 3-D stills) and private ones (skin-toned), tokenized.
    ClipSpec spec = ClipSpec.DEMO;
    StickerDataset.Prepared data = StickerDataset.prepare(s.data(), spec, log::println);
    VideoTokenizer tok = data.tokenizer();
    GridShape grid = tok.gridShape(spec);
    VideoLmConfig cfg = VideoLmConfig.demo(tok.vocabSize()).withLayers(s.layers()).withWidth(s.width(), s.heads());
    TaskLayout i2v = new TaskLayout(Task.IMAGE_TO_VIDEO, grid, CAPTION_TOKENS);

    // 2. The public base model: pretrained on public data only, cached by its data and settings.
    Base baseModel = baseModel(s, data, cfg, grid, log);
    VideoLm base = baseModel.model();
    Path basePath = baseModel.file();

    // 3. Held-out private clips of every tone (never trained on): the base model's NLL.
    TaskExamples heldOut = DemoData.examples(i2v, cfg.vocabulary(), data.privateHeldOut());
    double[] baseNll = NllEvaluator.perExample(base, heldOut, 16);
    base.close();

    // 4. Private fine-tunes, one ledger run each.
    TaskExamples privateTrain = DemoData.examples(i2v, cfg.vocabulary(), data.privateTrain());
    TaskExamples publicI2v = DemoData.examples(i2v, cfg.vocabulary(), data.publicVideos());
    int n = data.privateTrainRows().size();
    double delta = 1.0 / Math.pow(n, 1.1);
    double q = Math.min(1.0, s.expectedBatch() / n);
    PrivacyAccountant pld = new PldAccountant();
    List<double[]> ftNll = new ArrayList<>();
    List<DpEvent> spent = new ArrayList<>();
    List<PrivacyCost> costs = new ArrayList<>();
    MisalignmentDiagnostics diagnostics = null;
    PrivatePlan firstPlan = null;
    double[] clipping = null;
    List<GroupKey> levels = DemoData.TONES.stream().map(t -> GroupKey.of("skin_tone", t)).toList();
    LedgerLocation location = ledgerLocation != null ? ledgerLocation
        : LedgerLocation.parse(runDir.resolve("ledger.db").toString());
    VideoLm first = null;
    long trainedParameters = 0;
    ObjectNode seedRuns = JSON.createObjectNode();
    for (int seed = 0; seed < s.seeds(); seed++) {
      VideoLm model = ModelFile.load(basePath).model();
      trainedParameters = s.mode().apply(model);
      if (clipping == null) {
        // C and Z0 from PUBLIC examples' gradient norms: median and 90th percentile.
        double[] norms = PublicNormProbe.norms(model, publicI2v, 64);
        clipping = new double[] {PublicNormProbe.quantile(norms, 0.5), PublicNormProbe.quantile(norms, 0.9)};
        log.printf(Locale.ROOT, "clipping from public gradient norms: C = %.4f (median), Z0 = %.4f (90th pct)%n",
            clipping[0], clipping[1]);
      }
      DpsgdGlobalAdapt rule = DpsgdGlobalAdapt.withDefaults(clipping[0]).withInitialBound(clipping[1]);
      PrivacySettings ps = new PrivacySettings(OptionalDouble.of(s.targetEpsilon()), OptionalDouble.empty(), delta,
          PrivacyUnit.SUBJECT, rule, q, s.fineTuneSteps(), 1, AccountantKind.PLD);
      PrivatePlan plan = PrivatePlan.of(ps, List.of(i2v.label()), new double[] {1}, pld);
      if (firstPlan == null) {
        firstPlan = plan;
        log.printf(Locale.ROOT, "private fine-tune: %d subjects, q = %.4f (expected batch %.0f), %d steps, sigma = %.4f"
            + " -> epsilon %.3f at delta %.3g (PLD), %s%n", n, q, q * n, plan.totalSteps(), plan.noiseMultiplier(),
            plan.guarantee().epsilon(), delta, s.mode().label());
      }
      Path seedDir = runDir.resolve("finetune-seed" + seed);
      Files.createDirectories(seedDir);
      MisalignmentDiagnostics diag = new MisalignmentDiagnostics(MisalignmentOptions.training(10));
      MisalignmentObserver observer = new MisalignmentObserver(diag, levels, clipping[1], s.learningRate(), clipping[0],
          plan.noiseMultiplier(), null);
      PrivateFineTune.Result r;
      try (PrivacyLedger ledger = PrivacyLedger.open(location, pld)) {
        Provenance who = Provenance.current(commandLine);
        List<Path> files = DatasetFiles.expand(data.privateTrainRows().stream().map(row -> row.path()).toList());
        DatasetRecord ds = ledger.registerDataset(DatasetFingerprint.compute(data.privateManifest(), files),
            data.privateManifest().toString(), who);
        if (ledger.balance(ds.id()).budget().isEmpty()) {
          ledger.setBudget(ds.id(), new PrivacyBudget(s.targetEpsilon() * s.seeds(), delta),
              Optional.of(org.dpvideo.dpsgd.PrivacyUnit.SUBJECT), data.privateManifest().toString(), who);
        }
        Reservation res = ledger.reserve(new ReservationRequest(ds.id(), plan.planned(), delta,
            org.dpvideo.dpsgd.PrivacyUnit.SUBJECT, who));
        PrivateFineTune.Options opt = new PrivateFineTune.Options(OptimizerConfig.adam(s.learningRate()), s.mode(),
            0.1, 1000 + seed, Math.max(10, (int) (s.fineTuneSteps() / 4)),
            MICRO_BATCH, false);
        r = PrivateFineTune.train(model, plan, List.of(privateTrain), opt, seedDir,
            PrivateFineTune.LedgerRecorder.of(ledger, res), null,
            Randomness.secure(), observer, log, pld);
        observer.finish();
        seedRuns.putObject("seed" + seed).put("ledger_run", res.runId().value()).put("epsilon", r.guarantee().epsilon())
            .put("seconds", r.seconds()).put("final_strict_bound", r.clipping().toString());
      }
      double[] nll = NllEvaluator.perExample(model, heldOut, 16);
      ftNll.add(nll);
      spent.add(r.spent());
      log.printf(Locale.ROOT, "seed %d: held-out NLL %.4f (base %.4f), epsilon %.3f%n", seed, NllEvaluator.mean(nll),
          NllEvaluator.mean(baseNll), r.guarantee().epsilon());
      costs.add(PrivacyCost.evaluate(Metric.mean("nll", nll), Metric.mean("nll", baseNll),
          MetricOrientation.LOWER_IS_BETTER, tones(data.privateHeldOut()).assignment(), evalOptions(s, false),
          new ReferenceModel(ReferenceKind.BASE_MODEL, "the public base model before fine-tuning")));
      if (seed == 0) {
        diagnostics = diag;
        first = model;
        ModelFile.save(model, new ModelFile.Info(tok.version(), JSON.createObjectNode().put("run", runId)
            .put("trained", "DPSGD-Global-Adapt fine-tune of the public base on private stickers")
            .put("epsilon", r.guarantee().epsilon()).put("delta", delta)), runDir.resolve("model.dpvlm"));
      }
      // Frees the graphs' native buffers now (the parameters stay; sampling rebuilds what it needs).
      model.close();
    }

    // 5. Samples: held-out first frames and captions of every tone, animated by the fine-tuned model.
    // The sampling module's evaluation: held-out likelihood, samples per tone (GIFs, contact sheet), pixel
    // statistics and decoding collapse next to the held-out clips, per tone and overall.
    EvaluationResult evaluation = null;
    List<SampleSet> samples = List.of();
    CollapseReport collapse = null;
    if (s.samplesPerTone() > 0) {
      List<HeldOutClip> held = new ArrayList<>();
      for (TokenizedClip c : data.privateHeldOut()) {
        held.add(new HeldOutClip(c.grid(), c.row().caption(), GroupKey.of("skin_tone",
            DemoData.TONES.get(DemoData.toneIndex(c))), null));
      }
      EvaluationSettings es = EvaluationSettings.of(i2v, org.dpvideo.fairness.Provenance.EVAL_PUBLIC)
          .withSampling(SamplingConfig.DEFAULT.withTemperature(0.9).withTopK(64))
          .withSamplesPerGroup(s.samplesPerTone()).withSeed(31).withMinGroupSize(s.samplesPerTone())
          .withName("samples");
      evaluation = ModelEvaluation.evaluate(first, tok, held, es, runDir);
      samples = evaluation.sampleSets();
      collapse = evaluation.collapse();
    }
    first.close();

    // 6. The report.
    double[] meanNll = new double[baseNll.length];
    for (double[] v : ftNll) {
      for (int i = 0; i < v.length; i++) {
        meanNll[i] += v[i] / ftNll.size();
      }
    }
    DpEvent total = spent.size() == 1 ? spent.get(0) : new ComposedEvent(spent);
    double epsRun = pld.epsilon(spent.get(0), delta).epsilon();
    double epsTotal = pld.epsilon(total, delta).epsilon();
    SensitiveFeatures sf = tones(data.privateHeldOut());
    GroupMetrics ftFrame = GroupMetrics.compute(sf, List.of(Metric.mean("nll", meanNll)), evalOptions(s, true));
    GroupMetrics baseFrame = GroupMetrics.compute(sf, List.of(Metric.mean("nll", baseNll)), evalOptions(s, true));
    List<PrivacySection.StepEvent> curve = new ArrayList<>();
    for (long k = 1; k <= firstPlan.totalSteps(); k += Math.max(1, firstPlan.totalSteps() / 10)) {
      curve.add(new PrivacySection.StepEvent(k, new SelfComposedEvent(new PoissonSampledEvent(q,
          new GaussianEvent(firstPlan.effectiveMultiplier())), (int) k)));
    }
    PrivacySection privacy = PrivacySection.of(pld, delta, "subject", total, new ReleaseAccount("private sticker"
        + " training set"), curve);
    String dataset = "held-out toned stickers (val + test splits, " + baseNll.length + " clips; never trained on)";
    RunReport.Builder report = RunReport.builder(runId, NoiseLabel.of(RandomnessLabel.SECURE))
        .title("dpvideo demo " + runId + ": sticker animation, DPSGD-Global-Adapt, epsilon " + fmt(s.targetEpsilon())
            + " per run")
        .createdAt(Instant.now().toString())
        .privacy(privacy)
        .fairness(GroupTable.from(ftFrame, "nll", "Held-out negative log-likelihood per output token of the"
            + " fine-tuned models (mean over " + s.seeds() + " seed(s)); lower is better.", dataset, false))
        .fairness(GroupTable.from(baseFrame, "nll", "The same for the public base model before fine-tuning.",
            dataset, false))
        .privacyCost(PrivacyCostTable.from(costs.get(0), dataset, List.<GroupKey[]>of(new GroupKey[] {
            GroupKey.of("skin_tone", "light"), GroupKey.of("skin_tone", "dark")}),
            costs.size() > 1 ? PrivacyCostSummary.acrossSeeds(costs) : null))
        .misalignment(MisalignmentSection.from(diagnostics))
        .tuning("No hyper-parameter was tuned on private data: C and Z0 are the median and 90th percentile of"
            + " per-example gradient norms on public stickers; learning rate, steps and batch size are fixed"
            + " settings of the demo.");
    for (SampleSet set : samples) {
      report.samples(set);
    }
    if (evaluation != null) {
      for (GroupTable t : collapse.tables()) {
        report.collapse(t);
      }
      for (GroupTable t : evaluation.pixels().tables()) {
        report.quality(t);
      }
    }
    for (String note : notes(s, data, cfg, n, q, delta, firstPlan, epsRun, epsTotal, clipping)) {
      report.note(note);
    }
    RunDirectory dir = new RunDirectory(runDir);
    dir.writeReportData(report.build());
    dir.writeReports(EnumSet.allOf(ReportFormat.class), ReleaseScope.RELEASE);

    // 7. metrics.json and the summary.
    Map<String, Double> basePerTone = perTone(baseFrame);
    Map<String, Double> ftPerTone = perTone(ftFrame);
    double[] seedMeans = ftNll.stream().mapToDouble(NllEvaluator::mean).toArray();
    double seconds = (System.nanoTime() - t0) / 1e9;
    ObjectNode m = JSON.createObjectNode();
    m.put("run_id", runId).put("quick", s.quick()).put("epsilon_per_run", epsRun).put("epsilon_total", epsTotal)
        .put("delta", delta).put("accountant", "pld").put("privacy_unit", "subject").put("private_subjects", n)
        .put("sampling_rate", q).put("steps", firstPlan.totalSteps()).put("noise_multiplier", firstPlan.noiseMultiplier())
        .put("clip_norm", clipping[0]).put("initial_strict_bound", clipping[1])
        .put("trained_parameters", trainedParameters).put("mode", s.mode().label())
        .put("base_nll", NllEvaluator.mean(baseNll)).put("held_out_clips", baseNll.length)
        .put("seconds", seconds).put("stickers_drawn_in_java", data.drawn());
    ArrayNode seeds = m.putArray("fine_tuned_nll_per_seed");
    for (double v : seedMeans) {
      seeds.add(v);
    }
    m.put("fine_tuned_nll_mean", mean(seedMeans)).put("fine_tuned_nll_sd", sd(seedMeans));
    m.set("base_nll_per_tone", JSON.valueToTree(basePerTone));
    m.set("fine_tuned_nll_per_tone", JSON.valueToTree(ftPerTone));
    m.set("private_training_subjects_per_tone", JSON.valueToTree(data.privateTrainPerTone()));
    m.set("runs", seedRuns);
    m.set("pretraining", baseModel.pretraining());
    if (collapse != null) {
      ObjectNode c = m.putObject("collapse_vs_real_held_out");
      for (MetricComparison mc : collapse.overall()) {
        c.putObject(mc.metric()).put("samples", mc.value()).put("real", mc.baseline());
      }
    }
    RunDirectory.writeAtomically(runDir.resolve("metrics.json"), JSON.writerWithDefaultPrettyPrinter()
        .writeValueAsString(m));
    summary(out, runDir, s, data, epsRun, epsTotal, delta, baseNll, seedMeans, basePerTone, ftPerTone, location,
        seconds);
    return new Result(runDir, epsRun, epsTotal, delta, NllEvaluator.mean(baseNll), seedMeans, basePerTone, ftPerTone,
        seconds);
  }

  /**
   * The public base model.
   *
   * @param model the model
   * @param file where it is cached
   * @param pretraining what pretraining did (or that it was cached)
   */
  record Base(VideoLm model, Path file, ObjectNode pretraining) {}

  /** Loads the cached base model for these data and settings, or pretrains and caches it. */
  static Base baseModel(DemoSettings s, StickerDataset.Prepared data, VideoLmConfig cfg, GridShape grid,
      PrintStream log) throws IOException {
    List<Pretrainer.Group> groups = new ArrayList<>();
    List<TokenizedClip> videos = data.publicVideos();
    groups.add(new Pretrainer.Group(DemoData.examples(new TaskLayout(Task.IMAGE_TO_VIDEO, grid, CAPTION_TOKENS),
        cfg.vocabulary(), videos), false, 0.5, s.pretrainBatch()));
    groups.add(new Pretrainer.Group(DemoData.examples(new TaskLayout(Task.TEXT_TO_VIDEO, grid, CAPTION_TOKENS),
        cfg.vocabulary(), videos), false, 0.2, s.pretrainBatch()));
    groups.add(new Pretrainer.Group(DemoData.examples(new TaskLayout(Task.FRAME_CONTINUATION, grid, CAPTION_TOKENS),
        cfg.vocabulary(), videos), false, 0.15, s.pretrainBatch()));
    groups.add(new Pretrainer.Group(DemoData.examples(new TaskLayout(Task.UNCONDITIONAL, grid, CAPTION_TOKENS),
        cfg.vocabulary(), videos), false, 0.15, s.pretrainBatch()));
    if (!data.images().isEmpty()) {
      GridShape image = new GridShape(1, grid.h(), grid.w());
      groups.add(new Pretrainer.Group(DemoData.examples(new TaskLayout(Task.TEXT_TO_VIDEO, image, CAPTION_TOKENS),
          cfg.vocabulary(), data.images()), true, 1.0, 4 * s.pretrainBatch()));
    }
    Pretrainer.Settings ps = Pretrainer.Settings.videoPoet(s.pretrainSteps(), 7);
    Hasher h = Hashing.sha256().newHasher();
    h.putString(JSON.writeValueAsString(cfg) + "|" + ps + "|" + data.tokenizer().version(),
        java.nio.charset.StandardCharsets.UTF_8);
    for (Pretrainer.Group g : groups) {
      h.putString(g.examples().layout().label() + "|" + g.weight() + "|" + g.batchSize(),
          java.nio.charset.StandardCharsets.UTF_8);
      for (int[] seq : g.examples().sequences()) {
        for (int t : seq) {
          h.putInt(t);
        }
      }
    }
    Path file = s.data().cacheDir().resolve("base").resolve("base-" + h.hash().toString().substring(0, 16) + ".dpvlm");
    if (Files.isRegularFile(file)) {
      log.println("base model: cached " + file);
      return new Base(ModelFile.load(file).model(), file, JSON.createObjectNode().put("cached", file.toString()));
    }
    VideoLm lm = VideoLm.create(cfg, 11);
    log.printf(Locale.ROOT, "base model: %s, %,d parameters; pretraining %d steps on public data (%d animations, %d"
        + " stills)%n", cfg.describe(), lm.parameters().trainableCount(), s.pretrainSteps(), videos.size(),
        data.images().size());
    Pretrainer.Result r = Pretrainer.run(lm, groups, ps, log);
    log.printf(Locale.ROOT, "base model: %.0f s, %.0f tokens/s, padding %.2f%%, final loss %.4f; image steps in stage"
        + " one %d of %d%n", r.seconds(), r.tokensPerSecond(), 100 * r.paddingRatio(), r.finalLoss(),
        r.imageStepsStageOne(), r.stageOneSteps());
    ObjectNode info = JSON.createObjectNode().put("steps", r.steps()).put("seconds", r.seconds())
        .put("tokens_per_second", r.tokensPerSecond()).put("padding_ratio", r.paddingRatio())
        .put("final_loss", r.finalLoss()).put("image_steps_stage_one", r.imageStepsStageOne())
        .put("stage_one_steps", r.stageOneSteps());
    ModelFile.save(lm, new ModelFile.Info(data.tokenizer().version(), JSON.createObjectNode()
        .put("trained", "non-private pretraining on public stickers").put("steps", r.steps())), file);
    return new Base(lm, file, info);
  }

  static SensitiveFeatures tones(List<TokenizedClip> clips) {
    String[] t = new String[clips.size()];
    for (int i = 0; i < t.length; i++) {
      t[i] = DemoData.TONES.get(DemoData.toneIndex(clips.get(i)));
    }
    return SensitiveFeatures.builder().column("skin_tone", t, DemoData.TONES).build();
  }

  static GroupMetricsOptions evalOptions(DemoSettings s, boolean bootstrap) {
    // Package 1 holds about 11 held-out clips per tone; smaller groups are flagged and suppressed.
    GroupMetricsOptions o = GroupMetricsOptions.of(org.dpvideo.fairness.Provenance.EVAL_PUBLIC)
        .withMinGroupSize(5);
    return bootstrap ? o.withBootstrap(BootstrapOptions.central95(200, 7)) : o;
  }

  private static Map<String, Double> perTone(GroupMetrics frame) {
    Map<String, Double> out = new TreeMap<>();
    for (var e : frame.byGroup("nll")) {
      out.put(e.group().value("skin_tone"), e.value());
    }
    return out;
  }

  private static List<String> notes(DemoSettings s, StickerDataset.Prepared data, VideoLmConfig cfg, int n, double q,
      double delta, PrivatePlan plan, double epsRun, double epsTotal, double[] clipping) {
    List<String> notes = new ArrayList<>();
    notes.add((data.drawn() ? "Data: stickers DRAWN IN JAVA (fetching the Fluent Emoji failed). " : "Data: Fluent Emoji"
        + " animated stickers (MIT). ") + "Public: untoned animations and 3-D stills (base pretraining, tokenizer)."
        + " Private: the skin-toned people and gesture animations, one subject per animation; the emoji skin-tone"
        + " modifiers stand in for demographic groups and say nothing about real people.");
    notes.add(String.format(Locale.ROOT, "Under-representation: the '%s' tone keeps %.0f%% of its training subjects"
        + " (a public rule on the subject id), as in real in-house data; training subjects per tone: %s. Held-out"
        + " clips keep every tone.", s.data().underrepresentedTone(), 100 * s.data().underrepresentedKeep(),
        data.privateTrainPerTone()));
    notes.add("Evaluation data: the held-out toned stickers (val and test splits) are never trained on and stand in"
        + " for a consented audit set the data owner marked releasable, so their figures are EVAL_PUBLIC. With a"
        + " real private evaluation set, release per-group figures through the accounted mechanisms"
        + " (PrivateGroupStatistics) instead.");
    notes.add(String.format(Locale.ROOT, "Privacy: %d runs, each %d DPSGD-Global-Adapt steps (%s), subject-level, q ="
        + " %.4f over N = %d subjects, sigma = %.4f (count noise sigma_b = 10, accounted jointly), delta = 1/N^1.1 ="
        + " %.3g; epsilon %.3f per run and %.3f for all runs together (PLD). The report's per-group figures use every"
        + " run's model, so the privacy section states the composition.", s.seeds(), plan.totalSteps(),
        s.mode().label(), q, n, plan.noiseMultiplier(), delta, epsRun, epsTotal));
    notes.add(String.format(Locale.ROOT, "Clipping: C = %.4f and Z0 = %.4f from public gradient norms. Quality filter"
        + " (fixed in advance): %s; it removed %d private training clips.", clipping[0], clipping[1],
        data.filter().describe(), data.filteredOut()));
    notes.add("Model: " + cfg.describe() + "; tokenizer " + data.tokenizer().version() + " fitted on public"
        + " stickers only; sticker animation task (caption + first frame -> 4 more token frames).");
    return notes;
  }

  private static void summary(PrintWriter out, Path runDir, DemoSettings s, StickerDataset.Prepared data,
      double epsRun, double epsTotal, double delta, double[] baseNll, double[] seedMeans,
      Map<String, Double> basePerTone, Map<String, Double> ftPerTone, LedgerLocation ledger, double seconds) {
    out.println();
    out.printf(Locale.ROOT, "dpvideo demo%s finished in %.0f s: %s%n", s.quick() ? " --quick" : "", seconds, runDir);
    out.printf(Locale.ROOT, "  privacy: epsilon %.3f per run at delta %.3g (subject-level, PLD); %d run(s) together:"
        + " %.3f; ledger %s%n", epsRun, delta, s.seeds(), epsTotal, ledger);
    out.printf(Locale.ROOT, "  held-out NLL per token (lower is better): base %.4f, fine-tuned %.4f", mean(baseNll),
        mean(seedMeans));
    if (seedMeans.length > 1) {
      out.printf(Locale.ROOT, " +- %.4f (sd over %d seeds)", sd(seedMeans), seedMeans.length);
    }
    out.println();
    out.print("  per skin tone (base -> fine-tuned):");
    for (String t : DemoData.TONES) {
      out.printf(Locale.ROOT, " %s %.3f->%.3f", t, basePerTone.getOrDefault(t, Double.NaN),
          ftPerTone.getOrDefault(t, Double.NaN));
    }
    out.println();
    out.println("  " + s.data().underrepresentedTone() + " kept at " + Math.round(100 * s.data().underrepresentedKeep())
        + "% of its training subjects; report: " + runDir.resolve("report.html")
        + (data.drawn() ? "  (stickers drawn in Java: fetching failed)" : ""));
    out.flush();
  }

  static double mean(double[] v) {
    return NllEvaluator.mean(v);
  }

  static double sd(double[] v) {
    if (v.length < 2) {
      return Double.NaN;
    }
    double m = mean(v);
    double s = 0;
    for (double x : v) {
      s += (x - m) * (x - m);
    }
    return Math.sqrt(s / (v.length - 1));
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }
}
