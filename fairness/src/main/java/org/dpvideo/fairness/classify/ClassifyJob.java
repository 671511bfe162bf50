package org.dpvideo.fairness.classify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.dpvideo.dpsgd.accounting.AccountantKind;
import org.dpvideo.dpsgd.accounting.DpEventJson;
import org.dpvideo.dpsgd.accounting.PldAccountant;
import org.dpvideo.dpsgd.accounting.PrivacyAccountant;
import org.dpvideo.dpsgd.accounting.RdpAccountant;
import org.dpvideo.fairness.Provenance;
import org.dpvideo.fairness.cost.MetricOrientation;
import org.dpvideo.fairness.cost.PrivacyCost;
import org.dpvideo.fairness.cost.ReferenceKind;
import org.dpvideo.fairness.cost.ReferenceModel;
import org.dpvideo.fairness.metrics.GroupEstimate;
import org.dpvideo.fairness.metrics.GroupMetricsOptions;
import org.dpvideo.fairness.metrics.GroupStatus;
import org.dpvideo.fairness.tuning.CandidateOutcome;
import org.dpvideo.fairness.tuning.HyperparameterSweep;
import org.dpvideo.fairness.tuning.SweepResult;
import org.dpvideo.fairness.tuning.TuningNoise;

/**
 * The logic of {@code dpvideo classify}: reads the CSVs, trains (one run, or a sweep with selection on a
 * validation split and a refit), evaluates on the test set per group, optionally trains the non-private
 * reference and computes privacy costs, and assembles the output (a JSON-ready map, see
 * {@link ClassifyOutcome#json()}).
 *
 * <p>Release status of what it prints: test-set figures are computed on the test file (releasable only when
 * the data owner marks it so); ε/δ are the accountant's; Global-Adapt's final Z is post-processing of
 * accounted counts; misalignment diagnostics, the reference model's figures and privacy costs are computed
 * from the private training data without a DP mechanism and are marked internal.
 *
 * <p>Not thread-safe; one job per instance.
 */
public final class ClassifyJob {
  private final ClassifyRequest request;

  /** A job for a request. */
  public ClassifyJob(ClassifyRequest request) {
    this.request = Objects.requireNonNull(request, "request");
  }

  /** The interval of about 20 logged steps per run: ⌈T/20⌉. */
  public static int autoDiagnosticsInterval(long steps) {
    return (int) Math.max(1, (steps + 19) / 20);
  }

  /** A new accountant of a kind. */
  public static PrivacyAccountant accountant(AccountantKind kind) {
    return kind == AccountantKind.PLD ? new PldAccountant() : new RdpAccountant();
  }

  /**
   * Runs the job.
   *
   * @throws IllegalArgumentException for bad input (CSV problems, invalid settings)
   * @throws IllegalStateException if training fails (divergence)
   */
  public ClassifyOutcome run() {
    ClassifyRequest r = request;
    TabularData train = TabularData.load(r.train(), r.schema());
    TabularData test = TabularData.loadLike(r.test(), train);
    PrivacyAccountant accountant = accountant(r.accountant());
    ClassifierConfig config = r.config();
    double delta = config.delta(train.size());
    config = config.withDelta(delta);
    if (r.diagnosticsAuto() && config.method().isPrivate()) {
      config = config.withDiagnosticsEvery(autoDiagnosticsInterval(config.steps(train.size())));
    }
    SweepResult<TrainedClassifier> sweep = null;
    TrainedClassifier model;
    if (r.isSweep()) {
      sweep = sweep(train, config, accountant, delta);
      model = sweep.finalRun();
    } else {
      model = ClassifierTrainer.train(train, config, accountant);
    }
    try {
      Provenance testProvenance = r.testPublic() ? Provenance.EVAL_PUBLIC : Provenance.TRAIN_UNPROTECTED;
      GroupMetricsOptions options = GroupMetricsOptions.of(testProvenance).withMinGroupSize(r.minGroupSize());
      ClassifierEvaluation evaluation = ClassifierEvaluation.of(test, model.predict(test), options);
      ClassifierEvaluation referenceEvaluation = null;
      if (r.reference()) {
        double lr = Double.isNaN(r.referenceLearningRate()) ? model.config().learningRate() : r.referenceLearningRate();
        ClassifierConfig refConfig = model.config().withMethod(ClassifierMethod.NONPRIVATE, new NoiseSetting.None())
            .withLearningRate(lr).withDiagnosticsEvery(0);
        try (TrainedClassifier ref = ClassifierTrainer.train(train, refConfig, accountant)) {
          referenceEvaluation = ClassifierEvaluation.of(test, ref.predict(test), options);
        }
      }
      Map<String, Object> json = json(train, test, model, evaluation, referenceEvaluation, sweep, delta, options);
      return new ClassifyOutcome(json, evaluation, referenceEvaluation, sweep == null ? null : sweep.statement());
    } finally {
      model.close();
    }
  }

  private SweepResult<TrainedClassifier> sweep(TabularData train, ClassifierConfig config, PrivacyAccountant accountant,
      double delta) {
    ClassifyRequest r = request;
    TabularData candidates;
    TabularData selection;
    String description;
    if (r.validationFile() != null) {
      candidates = train;
      selection = TabularData.loadLike(r.validationFile(), train);
      description = "the validation file " + r.validationFile() + " (" + selection.size() + " rows, "
          + (r.validationPublic() ? "public" : "private") + ")";
    } else {
      TabularData[] parts = train.split(r.validationFraction(), r.splitSeed());
      candidates = parts[0];
      selection = parts[1];
      description = "a validation split of the private training data (" + selection.size() + " of " + train.size()
          + " rows, " + fmt(100 * r.validationFraction()) + "% per class, split seed " + r.splitSeed()
          + "; candidates trained on the other " + candidates.size() + ")";
    }
    TuningNoise noise;
    if (!config.method().isPrivate()) {
      noise = new TuningNoise.NotPrivate();
    } else if (config.noise() instanceof NoiseSetting.Multiplier m) {
      noise = new TuningNoise.FixedMultiplier(m.sigma());
    } else {
      double eps = ((NoiseSetting.TargetEpsilon) config.noise()).epsilon();
      noise = r.epsilonForWholeSweep() ? new TuningNoise.EpsilonTotal(eps) : new TuningNoise.EpsilonPerRun(eps);
    }
    // A refit only makes sense when the candidates left out a carved validation split: with a separate
    // validation file they already trained on all the training data, and a refit would be one more release.
    boolean refit = r.refit() && r.validationFile() == null;
    // With a refit, only the refit (the final model) computes diagnostics; without one, every candidate does.
    ClassifierTuning target = new ClassifierTuning(config, train, candidates, selection, description,
        r.validationFile() != null && r.validationPublic(), r.selection(), accountant, delta)
        .withCandidateDiagnostics(!refit);
    return new HyperparameterSweep(r.sweep(), noise, delta, accountant, refit).run(target);
  }

  private Map<String, Object> json(TabularData train, TabularData test, TrainedClassifier model,
      ClassifierEvaluation evaluation, ClassifierEvaluation reference, SweepResult<TrainedClassifier> sweep,
      double delta, GroupMetricsOptions options) {
    ClassifierConfig c = model.config();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("method", c.method().cliName());
    out.put("accuracy", evaluation.accuracy());
    out.put("loss", evaluation.loss());
    out.put("accuracy_by_group", byGroup(evaluation.accuracyByGroup()));
    out.put("loss_by_group", byGroup(evaluation.lossByGroup()));
    Map<String, Object> counts = new LinkedHashMap<>();
    List<String> suppressed = new ArrayList<>();
    for (GroupEstimate e : evaluation.accuracyByGroup()) {
      counts.put(value(e), e.count());
      if (e.status() != GroupStatus.REPORTED) {
        suppressed.add(value(e));
      }
    }
    out.put("count_by_group", counts);
    out.put("suppressed_groups", suppressed);
    out.put("group_column", train.groupColumn());
    boolean isPrivate = c.method().isPrivate();
    out.put("private", isPrivate);
    if (isPrivate) {
      double eps = sweep != null ? sweep.totalGuarantee().orElseThrow().epsilon()
          : model.privacy().orElseThrow().guarantee().epsilon();
      out.put("epsilon", eps);
      out.put("epsilon_scope", sweep != null ? "the whole sweep (every candidate run and the refit, composed)"
          : "this training run");
    } else {
      out.put("epsilon", Double.NaN);
      out.put("epsilon_scope", "none: the non-private method has no privacy guarantee");
    }
    out.put("delta", delta);
    out.put("accountant", request.accountant().cliName());
    model.privacy().ifPresent(p -> out.put("privacy", privacy(p, c)));
    out.put("training", training(train, model));
    Map<String, Object> ev = new LinkedHashMap<>();
    ev.put("file", test.source().toString());
    ev.put("examples", test.size());
    ev.put("provenance", options.provenance().name());
    ev.put("release", request.testPublic()
        ? "the test file is marked releasable: these figures may be released as they are"
        : "the test file is not marked releasable (--test-public): its figures are personal data of the test"
            + " subjects, outside the training guarantee; keep them internal");
    ev.put("min_group_size", options.minGroupSize());
    out.put("evaluation", ev);
    model.diagnostics().ifPresentOrElse(d -> out.put("misalignment",
        MisalignmentSummary.toJson(d, model.diagnosticsThreshold().orElse(""))),
        () -> out.put("misalignment", Map.of("available", false, "reason", isPrivate
            ? "diagnostics were off (--diagnostics-every 0)"
            : "the non-private method clips nothing: no misalignment to diagnose")));
    if (sweep != null) {
      out.put("tuning", tuning(sweep));
    }
    if (reference != null) {
      out.put("privacy_cost", privacyCost(evaluation, reference, options));
    }
    List<String> notes = new ArrayList<>();
    if (isPrivate && model.privacy().orElseThrow().randomness().name().equals("SEEDED")) {
      notes.add("Sampling and noise were SEEDED (--noise seeded): the run is reproducible and NOT private against"
          + " anyone who knows the seed.");
    }
    if (train.schema().groupLevels().isEmpty()) {
      notes.add("Group levels were read off the data (declare them with --group-levels to keep the set of groups"
          + " public).");
    }
    out.put("notes", notes);
    return out;
  }

  private static Map<String, Object> privacy(PrivateRunRecord p, ClassifierConfig c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("epsilon_of_this_run", p.guarantee().epsilon());
    m.put("noise_multiplier", p.noiseMultiplier());
    m.put("noise_calibrated_to_epsilon", c.noise() instanceof NoiseSetting.TargetEpsilon t ? t.epsilon() : Double.NaN);
    m.put("gradient_noise_multiplier", p.gradientNoiseMultiplier());
    m.put("effective_noise_multiplier", p.effectiveNoiseMultiplier());
    m.put("joint_accounting", c.jointAccounting().name().toLowerCase(Locale.ROOT));
    m.put("sampling_rate", p.samplingRate());
    m.put("steps", p.steps());
    m.put("randomness", p.randomness().jsonName());
    m.put("randomness_note", p.randomness().reportText());
    m.put("final_strict_bound", p.finalStrictBound());
    m.put("event", DpEventJson.toJson(p.event()));
    return m;
  }

  private static Map<String, Object> training(TabularData train, TrainedClassifier model) {
    ClassifierConfig c = model.config();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("file", train.source().toString());
    m.put("examples", train.size());
    m.put("features", train.featureCount());
    m.put("classes", train.classes());
    m.put("epochs", c.epochs());
    m.put("batch_size", c.batchSize());
    m.put("learning_rate", c.learningRate());
    m.put("optimizer", "sgd (no momentum)");
    m.put("hidden", c.hidden());
    m.put("activation", c.activation().cliName());
    m.put("parameters", model.spec().parameterCount());
    m.put("seed", c.seed());
    if (c.method().isPrivate()) {
      ClippingSettings s = c.clipping();
      Map<String, Object> clip = new LinkedHashMap<>();
      clip.put("clip_norm", s.clipNorm());
      switch (c.method()) {
        case DPSGD_GLOBAL -> clip.put("strict_bound", s.strictBound());
        case DPSGD_GLOBAL_ADAPT -> {
          clip.put("initial_bound", s.initialBound());
          clip.put("count_noise_multiplier", s.countNoiseMultiplier());
          clip.put("bound_learning_rate", s.boundLearningRate());
          clip.put("threshold", s.threshold());
          clip.put("bound_floor", s.boundFloor());
        }
        case DPSGD_F -> clip.put("count_noise_multiplier", s.countNoiseMultiplier());
        default -> { }
      }
      m.put("clipping", clip);
    }
    return m;
  }

  private static Map<String, Object> tuning(SweepResult<TrainedClassifier> s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("sweep", s.grid().toString());
    m.put("selection_metric", s.scoreDescription());
    m.put("selection_data", s.selectionData());
    m.put("selection_data_public", s.selectionDataPublic());
    m.put("selected", s.selected().candidate().values());
    m.put("refit", s.refit().isPresent());
    List<Map<String, Object>> runs = new ArrayList<>();
    for (CandidateOutcome o : s.candidates()) {
      runs.add(outcome(o));
    }
    s.refit().ifPresent(o -> runs.add(outcome(o)));
    m.put("runs", runs);
    s.totalGuarantee().ifPresent(g -> {
      m.put("epsilon_total", g.epsilon());
      m.put("epsilon_final_run", s.finalOutcome().epsilon());
      m.put("delta", s.delta());
      m.put("event_total", DpEventJson.toJson(s.totalEvent().orElseThrow()));
    });
    m.put("statement", s.statement());
    return m;
  }

  private static Map<String, Object> outcome(CandidateOutcome o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("phase", o.phase().name().toLowerCase(Locale.ROOT));
    m.put("hyperparameters", o.candidate().values());
    m.put("score", o.score());
    m.put("noise_multiplier", o.noiseMultiplier());
    m.put("epsilon", o.epsilon());
    if (o.failed()) {
      m.put("failure", o.failure());
    }
    return m;
  }

  private static Map<String, Object> privacyCost(ClassifierEvaluation priv, ClassifierEvaluation ref,
      GroupMetricsOptions options) {
    ReferenceModel reference = new ReferenceModel(ReferenceKind.NON_PRIVATE_SHADOW,
        "the same MLP trained non-privately on the same training data (seed, epochs, batch size as the private run)");
    PrivacyCost acc = PrivacyCost.evaluate(priv.accuracyMetric(), ref.accuracyMetric(),
        MetricOrientation.HIGHER_IS_BETTER, priv.data().groupAssignment(), options, reference);
    PrivacyCost loss = PrivacyCost.evaluate(priv.lossMetric(), ref.lossMetric(), MetricOrientation.LOWER_IS_BETTER,
        priv.data().groupAssignment(), options, reference);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("reference", reference.description());
    m.put("reference_accuracy", ref.accuracy());
    m.put("reference_accuracy_by_group", byGroup(ref.accuracyByGroup()));
    m.put("accuracy_cost_by_group", byGroup(acc.costs()));
    m.put("accuracy_cost_max_gap", acc.maxGap().value());
    m.put("excessive_risk_by_group", byGroup(loss.costs()));
    m.put("excessive_risk_max_gap", loss.maxGap().value());
    m.put("provenance", acc.provenance().name());
    m.put("release", acc.provenance().description() + ": the reference is a non-private model of the private training"
        + " data");
    return m;
  }

  static Map<String, Object> byGroup(List<GroupEstimate> estimates) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (GroupEstimate e : estimates) {
      m.put(value(e), e.value());
    }
    return m;
  }

  private static String value(GroupEstimate e) {
    return e.group().valuesLabel();
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
