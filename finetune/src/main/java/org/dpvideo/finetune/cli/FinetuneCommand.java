package org.dpvideo.finetune.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.Callable;
import org.dpvideo.dpsgd.accounting.AccountantKind;
import org.dpvideo.dpsgd.accounting.DpEventJson;
import org.dpvideo.dpsgd.accounting.PrivacyAccountant;
import org.dpvideo.dpsgd.clipping.ClippingRule;
import org.dpvideo.dpsgd.clipping.Dpsgd;
import org.dpvideo.dpsgd.clipping.DpsgdF;
import org.dpvideo.dpsgd.clipping.DpsgdGlobal;
import org.dpvideo.dpsgd.clipping.DpsgdGlobalAdapt;
import org.dpvideo.dpsgd.ledger.DatasetFingerprint;
import org.dpvideo.dpsgd.ledger.DatasetRecord;
import org.dpvideo.dpsgd.ledger.PrivacyBudget;
import org.dpvideo.dpsgd.ledger.PrivacyLedger;
import org.dpvideo.dpsgd.ledger.Provenance;
import org.dpvideo.dpsgd.ledger.Reservation;
import org.dpvideo.dpsgd.ledger.ReservationRequest;
import org.dpvideo.dpsgd.ledger.RunId;
import org.dpvideo.dpsgd.noise.Randomness;
import org.dpvideo.dpsgd.noise.RandomnessLabel;
import org.dpvideo.dpsgd.optim.OptimizerConfig;
import org.dpvideo.dpsgd.sampling.PrivacyUnit;
import org.dpvideo.finetune.checkpoint.AtomicFiles;
import org.dpvideo.finetune.checkpoint.Checkpoint;
import org.dpvideo.finetune.checkpoint.ModelFile;
import org.dpvideo.finetune.data.ClipTokenizer;
import org.dpvideo.finetune.data.QualityFilter;
import org.dpvideo.finetune.data.TokenizedClip;
import org.dpvideo.finetune.model.FineTuneMode;
import org.dpvideo.finetune.model.VideoLm;
import org.dpvideo.finetune.task.TaskLayout;
import org.dpvideo.finetune.task.TaskPrompts;
import org.dpvideo.finetune.train.DatasetFiles;
import org.dpvideo.finetune.train.PrivacySettings;
import org.dpvideo.finetune.train.PrivateFineTune;
import org.dpvideo.finetune.train.PrivatePlan;
import org.dpvideo.finetune.train.SparkFineTune;
import org.dpvideo.finetune.train.TaskExamples;
import org.dpvideo.finetune.train.TaskMix;
import org.dpvideo.tokenizer.GridShape;
import org.dpvideo.tokenizer.VideoTokenizer;
import org.dpvideo.tokenizer.dataset.Manifest;
import org.dpvideo.tokenizer.dataset.ManifestOptions;
import org.dpvideo.tokenizer.dataset.ManifestRow;
import org.dpvideo.tokenizer.dataset.Split;
import org.dpvideo.tokenizer.fit.TokenizerStore;
import org.dpvideo.tokenizer.video.ClipSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dpvideo finetune}: differentially private fine-tuning of a pretrained video LM on the train rows
 * of a manifest (every row is treated as private), through the engine's DpTrainer.
 *
 * <p>Order of operations (the privacy protocol): (1) every setting that changes epsilon is validated and
 * the plan (sigma, steps per task group, the composed planned event) is fixed from the settings and the
 * manifest's row and subject counts, which dpvideo treats as public; (2) the budget ledger reserves the
 * planned event (or resumes the checkpoint's open run with the same plan) and refuses a run that would
 * overspend; (3) only then are the private files decoded and tokenized; (4) training with checkpoints
 * every N steps, each followed by a ledger progress record; (5) the ledger completes the run with the
 * spent event, and only then is the model written.
 */
@Command(name = "finetune", mixinStandardHelpOptions = true, description = {
    "Fine-tune a pretrained video LM with differential privacy (DP-SGD through the engine) on the train rows of a"
        + " manifest; every row is treated as private.",
    "The plan (sigma, steps, the planned event) is fixed and reserved in the budget ledger before any private file"
        +  " is read; checkpoints every --checkpoint-every steps; --resume continues the same ledger run.",
    "--spark MASTER runs the private steps data-parallel on Spark (one task group, no checkpoints yet)."})
public final class FinetuneCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The result file in the run directory. */
  public static final String RESULT_FILE = "result.json";
  /** The fine-tuned model in the run directory. */
  public static final String MODEL_FILE = "model.dpvlm";

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  LedgerOption ledgerOption;

  @Option(names = "--base", required = true, paramLabel = "FILE", description = "The pretrained model"
      + " (`dpvideo pretrain`).")
  Path base;

  @Option(names = "--tokenizer", required = true, paramLabel = "FILE", description = "The tokenizer the base model"
      + " was trained with.")
  Path tokenizer;

  @Option(names = "--manifest", required = true, paramLabel = "CSV", description = "Manifest of the private footage"
      + " (its train rows are trained on).")
  Path manifest;

  @Option(names = "--run-dir", required = true, paramLabel = "DIR", description = "Where checkpoints, the model and"
      + " result.json go.")
  Path runDir;

  @Option(names = "--resume", description = "Continue the run whose checkpoint is in --run-dir (same settings).")
  boolean resume;

  @Option(names = "--rule", paramLabel = "RULE", defaultValue = "dpsgd",
      description = "Clipping rule: dpsgd, dpsgd-global, dpsgd-global-adapt or dpsgd-f (default: ${DEFAULT-VALUE}).")
  String rule;

  @Option(names = "--clip-norm", required = true, paramLabel = "C", description = "Clip norm C (DPSGD-F: C0);"
      + " choose it from public data, e.g. the median per-example gradient norm.")
  double clipNorm;

  @Option(names = "--strict-bound", paramLabel = "Z", description = "dpsgd-global: the strict bound Z (required);"
      + " dpsgd-global-adapt: the initial bound Z0 (default 50).")
  Double strictBound;

  @Option(names = "--count-noise", paramLabel = "SIGMA_B", defaultValue = "10", description = "dpsgd-global-adapt"
      + " and dpsgd-f: noise multiplier of the private count (default: ${DEFAULT-VALUE}).")
  double countNoise;

  @Option(names = "--group", paramLabel = "NAME", description = "Manifest group column of the fairness groups"
      + " (needed by dpsgd-f).")
  String group;

  @Option(names = "--epsilon", paramLabel = "E", description = "Target epsilon (sigma is calibrated). Exactly one of"
      + " --epsilon and --noise-multiplier.")
  Double epsilon;

  @Option(names = "--noise-multiplier", paramLabel = "SIGMA", description = "Noise multiplier sigma.")
  Double noiseMultiplier;

  @Option(names = "--delta", required = true, paramLabel = "D", description = "Delta of the guarantee; below 1/N,"
      + " e.g. 1/N^1.1.")
  double delta;

  @Option(names = "--unit", paramLabel = "example|subject", defaultValue = "subject", description = "Privacy unit:"
      + " one clip, or one subject with all its clips (default: ${DEFAULT-VALUE}).")
  String unit;

  @Option(names = "--batch", paramLabel = "B", defaultValue = "32", description = "Expected units per step; the"
      + " Poisson rate is q = B / N (default: ${DEFAULT-VALUE}).")
  double batch;

  @Option(names = "--steps", paramLabel = "N", description = "Private steps in total (or --epochs).")
  Long steps;

  @Option(names = "--epochs", paramLabel = "E", description = "Passes over the units: steps = ceil(E / q).")
  Double epochs;

  @Option(names = "--mode", paramLabel = "MODE", defaultValue = "lora", description = "What is trained: full, lora,"
      + " lora:RANK, lora:RANK:T1+T2 or layers:PREFIX,... (default: ${DEFAULT-VALUE}: rank 4 on q, v and the head).")
  String mode;

  @Option(names = "--tasks", paramLabel = "TASK[=W],...", defaultValue = "i2v", description = "Task groups (AGD) and"
      + " their shares of the steps, e.g. i2v=0.7,fc=0.3 (default: ${DEFAULT-VALUE}).")
  String tasks;

  @Option(names = "--quality-filter", paramLabel = "stickers|none|SIDE,FRAMES,MOTION", defaultValue = "none",
      description = "Thresholds fixed in advance (never quantiles of the private data): minimum source side,"
          + " distinct frames and motion (default: ${DEFAULT-VALUE}).")
  String qualityFilter;

  @Option(names = "--lr", paramLabel = "RATE", defaultValue = "3e-3", description = "Adam learning rate.")
  double learningRate;

  @Option(names = "--condition-dropout", paramLabel = "P", defaultValue = "0.1", description = "Probability of the"
      + " null condition per example and step (classifier-free guidance).")
  double conditionDropout;

  @Option(names = "--accountant", paramLabel = "pld|rdp", defaultValue = "pld", description = "Accountant of the"
      + " calibration, the ledger and the reports (default: ${DEFAULT-VALUE}).")
  String accountant;

  @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "50", description = "Checkpoint (and ledger"
      + " progress) every N steps, and at the end (default: ${DEFAULT-VALUE}).")
  int checkpointEvery;

  @Option(names = "--micro-batch", paramLabel = "N", defaultValue = "32", description = "Examples per"
      + " forward/backward pass (memory only; no effect on privacy).")
  int microBatch;

  @Option(names = "--budget-epsilon", paramLabel = "E", description = "Set the dataset's total budget (at --delta)"
      + " if the ledger has none for it yet.")
  Double budgetEpsilon;

  @Option(names = "--seed", paramLabel = "N", description = "SEEDED noise and sampling (reproducible, NOT private:"
      + " for tests and reproduction only; every output says so). Default: secure randomness.")
  Long seed;

  @Option(names = "--show-private-loss", description = "Show the training loss of each step's sampled examples on"
      + " the progress line: a statistic of private data without differential privacy (never written to a file).")
  boolean showPrivateLoss;

  @Option(names = "--cache", paramLabel = "DIR", description = "Where the private clips' tokens are cached"
      + " (default: RUN_DIR/cache).")
  Path cache;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "2", description = "Decoding threads.")
  int threads;

  @Option(names = "--spark", paramLabel = "MASTER", description = "Run the private steps data-parallel on Spark"
      + " (local[N], spark://host:7077, ...) through the distributed module: one task group, no checkpoints or"
      + " --resume yet (the ledger still records progress every --checkpoint-every steps).")
  String spark;

  @Option(names = "--partitions", paramLabel = "N", description = "With --spark: partitions the privacy units are"
      + " split into (default: 2).")
  Integer partitions;

  @Option(names = "--keyed-sampling", description = "Sample units with the keyed PRF of (run key, step, unit), the"
      + " sampler of --spark (same distribution): with --seed, the single-process run takes the same steps as a"
      + " --spark run. A checkpoint does not record it: resume with the same choice.")
  boolean keyedSampling;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    // 1. Settings that change epsilon, validated before anything is read.
    AccountantKind kind = AccountantKind.parse(accountant);
    PrivacyAccountant acc = LedgerOption.accountant(kind);
    PrivacyUnit privacyUnit = PrivacyUnit.valueOf(org.dpvideo.dpsgd.PrivacyUnit.parse(unit).name());
    TaskMix mix = TaskMix.parse(tasks);
    FineTuneMode fineTuneMode = FineTuneMode.parse(mode);
    QualityFilter filter = parseFilter(qualityFilter);
    if (checkpointEvery < 1 || microBatch < 1 || threads < 1) {
      throw new IllegalArgumentException("--checkpoint-every, --micro-batch and --threads must be >= 1, got "
          + checkpointEvery + ", " + microBatch + " and " + threads);
    }
    if ((epsilon == null) == (noiseMultiplier == null)) {
      throw new IllegalArgumentException("give exactly one of --epsilon E (sigma is calibrated for it) and"
          + " --noise-multiplier SIGMA; got " + (epsilon == null ? "neither" : "both"));
    }
    if (spark == null && partitions != null) {
      throw new IllegalArgumentException("--partitions " + partitions + " needs --spark MASTER");
    }
    if (spark != null) {
      if (resume) {
        throw new IllegalArgumentException("--resume is not supported with --spark yet: checkpoints are not written in"
            + " Spark mode; start a new run (with a new --run-dir), or run without --spark to get checkpoints");
      }
      if (showPrivateLoss) {
        throw new IllegalArgumentException("--show-private-loss is not supported with --spark (the executors' losses"
            + " are not collected); drop it or run without --spark");
      }
      new SparkFineTune.Cluster(spark, partitions == null ? 2 : partitions);
    }
    if ((steps == null) == (epochs == null)) {
      throw new IllegalArgumentException("give exactly one of --steps N and --epochs E; got "
          + (steps == null ? "neither" : "both"));
    }
    ModelFile.Loaded loaded = ModelFile.load(base);
    VideoTokenizer tok = TokenizerStore.load(tokenizer);
    if (!tok.version().equals(loaded.info().tokenizerVersion())) {
      throw new IllegalArgumentException("the base model was trained with tokenizer " + loaded.info()
          .tokenizerVersion() + " but --tokenizer " + tokenizer + " is " + tok.version() + "; pass the tokenizer the"
          + " base model was pretrained with");
    }
    String specText = loaded.info().info().path("clip_spec").asText("9x32x32@8");
    ClipSpec clip = ClipSpec.parse(specText);
    GridShape grid = tok.gridShape(clip);
    List<TaskLayout> layouts = mix.layouts(grid, TaskPrompts.DEFAULT_CAPTION_TOKENS);

    // The manifest's train rows: their count, subjects and the group column are treated as public.
    Manifest all = Manifest.load(manifest, ManifestOptions.DEFAULT);
    List<ManifestRow> rows = all.rows().stream().filter(r -> r.split() == Split.TRAIN).toList();
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("--manifest " + manifest + " has no train rows; fine-tuning trains on the"
          + " rows with split=train");
    }
    Map<String, Integer> clipsPerSubject = new HashMap<>();
    for (ManifestRow r : rows) {
      clipsPerSubject.merge(r.subject(), 1, Integer::sum);
    }
    int n = privacyUnit == PrivacyUnit.SUBJECT ? clipsPerSubject.size() : rows.size();
    int maxPerUnit = privacyUnit == PrivacyUnit.SUBJECT
        ? clipsPerSubject.values().stream().mapToInt(Integer::intValue).max().orElse(1) : 1;
    if (!(delta > 0 && delta < 1.0 / n)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "--delta must be in (0, 1/N) for N = %d %ss,"
          + " got %s; use e.g. 1/N^1.1 = %.3g", n, privacyUnit.name().toLowerCase(Locale.ROOT), delta,
          1.0 / Math.pow(n, 1.1)));
    }
    if (!(batch > 0 && batch <= n)) {
      throw new IllegalArgumentException("--batch must be in (0, N] for N = " + n + " units, got " + batch);
    }
    double q = batch / n;
    long totalSteps = steps != null ? steps : (long) Math.ceil(epochs / q);
    if (epochs != null && !(epochs > 0)) {
      throw new IllegalArgumentException("--epochs must be > 0, got " + epochs);
    }
    List<String> levels = groupLevels(all, rows);
    ClippingRule clipping = clippingRule(levels.size());
    PrivacySettings settings = new PrivacySettings(epsilon == null ? OptionalDouble.empty() : OptionalDouble.of(epsilon),
        noiseMultiplier == null ? OptionalDouble.empty() : OptionalDouble.of(noiseMultiplier), delta, privacyUnit,
        clipping, q, totalSteps, maxPerUnit, kind);
    PrivatePlan plan = PrivatePlan.of(settings, mix.names(), mix.weightArray(), acc);
    SparkFineTune.Cluster cluster = null;
    if (spark != null) {
      // Before the ledger reserves anything: refuses several task groups, and a missing distributed module.
      SparkFineTune.checkSupported(plan);
      cluster = new SparkFineTune.Cluster(spark, partitions == null ? 2 : partitions);
    }
    Randomness randomness = seed == null ? Randomness.secure() : Randomness.seeded(seed);
    if (seed != null) {
      log(err, "finetune: NOISE AND SAMPLING ARE SEEDED (--seed " + seed + "): reproducible and NOT private; for tests"
          + " and reproduction only.");
    }
    log(err, String.format(Locale.ROOT, "finetune: plan: %s, %s-level, N = %d, q = %.4f, %d steps (%s), sigma = %.4f,"
        + " epsilon %.4f at delta %.3g (%s)", clipping, privacyUnit.name().toLowerCase(Locale.ROOT), n, q,
        plan.totalSteps(), stepsPerGroup(plan), plan.noiseMultiplier(), plan.guarantee().epsilon(), delta,
        kind.cliName()));

    // 2. The ledger: reserve the planned event (or resume the checkpoint's run) before reading private files.
    Checkpoint checkpoint = null;
    if (resume) {
      if (!Checkpoint.exists(runDir)) {
        throw new IllegalArgumentException("--resume: there is no checkpoint in " + runDir + " (" + Checkpoint.FILE
            + " is missing); start the run without --resume");
      }
      checkpoint = Checkpoint.load(runDir);
    } else if (Checkpoint.exists(runDir)) {
      throw new IllegalArgumentException("--run-dir " + runDir + " already holds a checkpoint; continue it with"
          + " --resume, or choose a new run directory");
    }
    Files.createDirectories(runDir);
    String commandLine = "dpvideo finetune " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    Provenance who = Provenance.current(commandLine);
    List<Path> files = DatasetFiles.expand(rows.stream().map(ManifestRow::path).toList());
    PrivateFineTune.Result result;
    Reservation reservation;
    VideoLm model = loaded.model();
    try (PrivacyLedger ledger = ledgerOption.openForWriting(acc)) {
      DatasetRecord ds = ledger.registerDataset(DatasetFingerprint.compute(manifest, files), manifest.toString(), who);
      if (budgetEpsilon != null && ledger.balance(ds.id()).budget().isEmpty()) {
        ledger.setBudget(ds.id(), new PrivacyBudget(budgetEpsilon, delta),
            Optional.of(org.dpvideo.dpsgd.PrivacyUnit.valueOf(privacyUnit.name())), manifest.toString(), who);
      }
      if (checkpoint == null) {
        reservation = ledger.reserve(new ReservationRequest(ds.id(), plan.planned(), delta,
            org.dpvideo.dpsgd.PrivacyUnit.valueOf(privacyUnit.name()), who));
        log(err, "finetune: ledger " + ledgerOption.location().display() + ": reserved run " + reservation.runId()
            .value() + " on dataset " + ds.id().abbreviated());
      } else {
        reservation = ledger.resume(RunId.of(checkpoint.runId()), plan.planned(), who);
        log(err, "finetune: ledger " + ledgerOption.location().display() + ": resumed run " + reservation.runId()
            .value() + " (attempt " + reservation.attempt() + ") from the checkpoint at step " + checkpoint.step());
      }

      // 3. Only now are the private files read.
      Manifest train = Manifest.of(manifest, all.groupNames(), rows);
      Path cacheDir = cache != null ? cache : runDir.resolve("cache");
      List<TokenizedClip> clips = ClipTokenizer.loadOrBuild(cacheDir, train, clip, tok, threads, line -> log(err,
          line));
      List<TokenizedClip> kept = clips.stream().filter(c -> filter.accepts(c.quality())).toList();
      if (kept.isEmpty()) {
        throw new IllegalArgumentException("the quality filter (" + filter.describe() + ") removed every clip; relax"
            + " --quality-filter");
      }
      List<TaskExamples> groups = new ArrayList<>();
      for (TaskLayout layout : layouts) {
        TaskExamples ex = TaskMix.examples(layout, model.vocabulary(), kept, c -> levels.isEmpty() ? 0
            : Math.max(0, levels.indexOf(c.row().group(group))));
        groups.add(ex);
        log(err, String.format(Locale.ROOT, "finetune: task group %s: %d examples of %d tokens, padding %.2f%%",
            layout.label(), ex.size(), layout.inputLength(), 100 * ex.paddingRatio()));
      }
      PrivateFineTune.Options options = new PrivateFineTune.Options(OptimizerConfig.adam(learningRate), fineTuneMode,
          conditionDropout, 1, checkpointEvery, microBatch, showPrivateLoss, keyedSampling);

      // 4. Training (checkpoints and ledger progress inside), 5. completion in the ledger.
      PrivateFineTune.LedgerRecorder recorder = PrivateFineTune.LedgerRecorder.of(ledger, reservation);
      if (cluster != null) {
        log(err, "finetune: data-parallel on Spark " + cluster.master() + " with " + cluster.partitions()
            + " partitions (no checkpoints in Spark mode; ledger progress every " + checkpointEvery + " steps)");
        result = SparkFineTune.train(model, base, plan, groups, options, cluster, recorder, randomness, System.err,
            acc);
      } else {
        result = PrivateFineTune.train(model, plan, groups, options, runDir, recorder, checkpoint, randomness, null,
            System.err, acc);
      }
      ModelFile.save(model, new ModelFile.Info(tok.version(), JSON.createObjectNode()
          .put("trained", "DP fine-tune of " + base).put("clip_spec", specText).put("ledger_run",
              reservation.runId().value()).put("epsilon", result.guarantee().epsilon()).put("delta", delta)
          .put("randomness", result.randomness().name().toLowerCase(Locale.ROOT))), runDir.resolve(MODEL_FILE));
      writeResult(plan, result, reservation, groups, fineTuneMode, model, n, q, cluster);
    } finally {
      model.close();
    }
    boolean seeded = result.randomness() == RandomnessLabel.SEEDED;
    out.printf(Locale.ROOT, "fine-tuned %d steps (%d in this process, %.1f s): epsilon %.4f at delta %.3g (%s,"
        + " %s-level)%s%n", result.steps(), result.stepsThisProcess(), result.seconds(), result.guarantee().epsilon(),
        delta, kind.cliName(), privacyUnit.name().toLowerCase(Locale.ROOT), seeded ? "; SEEDED NOISE: NOT PRIVATE" : "");
    out.println("model: " + runDir.resolve(MODEL_FILE) + "; ledger run " + reservation.runId().value()
        + " completed; details in " + runDir.resolve(RESULT_FILE));
    out.flush();
    return 0;
  }

  private void writeResult(PrivatePlan plan, PrivateFineTune.Result r, Reservation res, List<TaskExamples> groups,
      FineTuneMode m, VideoLm model, int n, double q, SparkFineTune.Cluster cluster) throws java.io.IOException {
    ObjectNode j = JSON.createObjectNode();
    if (cluster == null) {
      j.put("backend", "single-process").put("sampling", keyedSampling ? "keyed-prf" : "poisson");
    } else {
      j.put("backend", "spark").put("master", cluster.master()).put("partitions", cluster.partitions())
          .put("sampling", "keyed-prf");
    }
    j.put("ledger_run", res.runId().value()).put("epsilon", r.guarantee().epsilon()).put("delta", delta)
        .put("accountant", accountant).put("privacy_unit", unit).put("units", n).put("sampling_rate", q)
        .put("noise_multiplier", plan.noiseMultiplier()).put("effective_noise_multiplier", plan.effectiveMultiplier())
        .put("clipping_rule", rule).put("steps", r.steps()).put("steps_this_process", r.stepsThisProcess())
        .put("randomness", r.randomness().name().toLowerCase(Locale.ROOT))
        .put("mode", m.label()).put("trained_parameters", model.parameters().trainableCount())
        .put("final_clipping_state", r.clipping().toString());
    j.set("spent_event", JSON.readTree(DpEventJson.toJson(r.spent())));
    j.set("planned_event", JSON.readTree(DpEventJson.toJson(plan.planned())));
    ArrayNode g = j.putArray("task_groups");
    for (int i = 0; i < groups.size(); i++) {
      g.addObject().put("task", plan.groupNames().get(i)).put("steps", plan.stepsPerGroup()[i])
          .put("sequence_length", groups.get(i).layout().inputLength())
          .put("padding_ratio", groups.get(i).paddingRatio());
    }
    AtomicFiles.writeString(runDir.resolve(RESULT_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(j));
  }

  private static String stepsPerGroup(PrivatePlan plan) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < plan.groupNames().size(); i++) {
      parts.add(plan.groupNames().get(i) + " " + plan.stepsPerGroup()[i]);
    }
    return String.join(", ", parts);
  }

  private List<String> groupLevels(Manifest all, List<ManifestRow> rows) {
    if (group == null) {
      return List.of();
    }
    if (!all.groupNames().contains(group)) {
      throw new IllegalArgumentException("--group " + group + " is not a group column of " + manifest + "; it has "
          + all.groupNames());
    }
    Set<String> seen = new HashSet<>();
    List<String> levels = new ArrayList<>();
    for (ManifestRow r : rows) {
      String v = r.group(group);
      if (v != null && seen.add(v)) {
        levels.add(v);
      }
    }
    java.util.Collections.sort(levels);
    return levels;
  }

  private ClippingRule clippingRule(int groupCount) {
    String r = rule.trim().toLowerCase(Locale.ROOT);
    return switch (r) {
      case "dpsgd" -> new Dpsgd(clipNorm);
      case "dpsgd-global" -> {
        if (strictBound == null) {
          throw new IllegalArgumentException("--rule dpsgd-global needs --strict-bound Z (Z >= C), e.g. a high"
              + " percentile of per-example gradient norms on public data");
        }
        yield new DpsgdGlobal(clipNorm, strictBound);
      }
      case "dpsgd-global-adapt" -> {
        DpsgdGlobalAdapt a = DpsgdGlobalAdapt.withDefaults(clipNorm).withCountNoiseMultiplier(countNoise);
        yield strictBound == null ? a : a.withInitialBound(strictBound);
      }
      case "dpsgd-f" -> {
        if (group == null) {
          throw new IllegalArgumentException("--rule dpsgd-f needs --group NAME, the manifest column of the groups"
              + " whose clip bounds it adapts");
        }
        yield new DpsgdF(clipNorm, countNoise, Math.max(1, groupCount));
      }
      default -> throw new IllegalArgumentException("--rule must be one of dpsgd, dpsgd-global, dpsgd-global-adapt,"
          + " dpsgd-f; got '" + rule + "'");
    };
  }

  static QualityFilter parseFilter(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("none")) {
      return QualityFilter.NONE;
    }
    if (t.equals("stickers")) {
      return QualityFilter.STICKERS;
    }
    String[] p = t.split(",");
    try {
      if (p.length == 3) {
        return new QualityFilter(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()),
            Double.parseDouble(p[2].trim()));
      }
    } catch (NumberFormatException e) {
      // falls through to the message below
    }
    throw new IllegalArgumentException("--quality-filter must be none, stickers or MIN_SIDE,MIN_FRAMES,MIN_MOTION"
        + " (e.g. 128,5,0.002), got '" + text + "'");
  }

  private static void log(PrintWriter err, String line) {
    err.println(line);
    err.flush();
  }
}
