package org.dpvideo.finetune.cli;

import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.dpvideo.dpsgd.accounting.AccountantKind;
import org.dpvideo.dpsgd.clipping.JointAccounting;
import org.dpvideo.fairness.classify.Activation;
import org.dpvideo.fairness.classify.ClassifierConfig;
import org.dpvideo.fairness.classify.ClassifierEvaluation;
import org.dpvideo.fairness.classify.ClassifierMethod;
import org.dpvideo.fairness.classify.ClassifyJob;
import org.dpvideo.fairness.classify.ClassifyOutcome;
import org.dpvideo.fairness.classify.ClassifyRequest;
import org.dpvideo.fairness.classify.ClippingSettings;
import org.dpvideo.fairness.classify.FeatureRange;
import org.dpvideo.fairness.classify.NoiseSetting;
import org.dpvideo.fairness.classify.NoiseSource;
import org.dpvideo.fairness.classify.Predictions;
import org.dpvideo.fairness.classify.SelectionMetric;
import org.dpvideo.fairness.classify.TabularData;
import org.dpvideo.fairness.classify.TabularSchema;
import org.dpvideo.fairness.report.ReportJson;
import org.dpvideo.fairness.tuning.SweepAxis;
import org.dpvideo.fairness.tuning.SweepGrid;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dpvideo classify}: trains an MLP classifier on a CSV data set with the DP engine (or non-privately)
 * and prints overall and per-group test accuracy and loss, the privacy guarantee, and the misalignment
 * diagnostics; optionally a hyper-parameter sweep whose privacy cost is accounted, and the privacy cost of
 * each group against a non-private reference. The logic is {@link ClassifyJob} (module fairness); this class
 * only parses options. With {@code --json} the output is one JSON object (keys {@code accuracy},
 * {@code accuracy_by_group}, {@code loss_by_group}, {@code epsilon}, {@code delta} and more, see
 * {@code docs/fairness.md}); NaN figures are JSON null, and so is the ε of the non-private method.
 */
@Command(name = "classify", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Train an MLP classifier on tabular CSV data, privately (dpsgd, dpsgd-global,"
        + " dpsgd-global-adapt, dpsgd-f) or not (nonprivate), and report test accuracy and loss per group,"
        + " epsilon/delta and the gradient-misalignment diagnostics.",
        "Private methods use Poisson sampling with q = B/N for ceil(epochs/q) steps and plain SGD; --epsilon"
            + " calibrates the noise so the whole run (counts of Global-Adapt/DPSGD-F included) meets it."})
public final class ClassifyCommand implements Callable<Integer> {

  @Option(names = "--train", required = true, paramLabel = "T.csv", description = "Training data (CSV with a header).")
  Path train;

  @Option(names = "--test", required = true, paramLabel = "S.csv",
      description = "Test data with the same columns; its labels must be among the training classes.")
  Path test;

  @Option(names = "--label", required = true, paramLabel = "COL", description = "The class label column.")
  String label;

  @Option(names = "--group", required = true, paramLabel = "COL",
      description = "The group column (may be the label column).")
  String group;

  @Option(names = "--features", split = ",", paramLabel = "COL",
      description = "Feature columns (default: every column except the label and group).")
  List<String> features = new ArrayList<>();

  @Option(names = "--feature-range", paramLabel = "LO,HI",
      description = "A PUBLIC range of the feature values, mapped to [0, 1] (e.g. 0,16 for the digits pixels)."
          + " Never derive it from the private training data. Default: features as they are.")
  String featureRange;

  @Option(names = "--group-levels", split = ",", paramLabel = "V",
      description = "Declared (public) group values; default: the values found in the data.")
  List<String> groupLevels = new ArrayList<>();

  @Option(names = "--method", required = true, paramLabel = "M",
      description = "nonprivate, dpsgd, dpsgd-global, dpsgd-global-adapt or dpsgd-f.")
  String method;

  @Option(names = "--epsilon", paramLabel = "E",
      description = "Target epsilon: the noise multiplier is calibrated so the run meets it (PLD by default).")
  Double epsilon;

  @Option(names = "--noise-multiplier", paramLabel = "S", description = "A given noise multiplier instead of --epsilon.")
  Double noiseMultiplier;

  @Option(names = "--delta", paramLabel = "D", description = "Target delta (default 1/N^1.1, N training examples).")
  Double delta;

  @Option(names = "--accountant", paramLabel = "pld|rdp", defaultValue = "pld",
      description = "Accountant of every epsilon (default pld).")
  String accountant;

  @Option(names = "--clip", paramLabel = "C", description = "Clip norm C (C0 for dpsgd-f); required for private methods.")
  Double clip;

  @Option(names = "--epochs", required = true, paramLabel = "N", description = "Passes over the training data.")
  int epochs;

  @Option(names = "--batch-size", required = true, paramLabel = "B", description = "(Expected) batch size.")
  int batchSize;

  @Option(names = "--lr", required = true, paramLabel = "L", description = "Learning rate of plain SGD.")
  double lr;

  @Option(names = "--hidden", split = ",", paramLabel = "W", description = "Hidden layer widths (default 256,256).")
  List<Integer> hidden;

  @Option(names = "--activation", paramLabel = "tanh|relu", defaultValue = "tanh",
      description = "Hidden activation (default tanh).")
  String activation;

  @Option(names = "--seed", paramLabel = "K", defaultValue = "0",
      description = "Seed of the initial weights, the non-private shuffling and the validation split (default 0).")
  long seed;

  @Option(names = "--noise", paramLabel = "secure|seeded", defaultValue = "secure",
      description = "secure (default): sampling and noise from a CSPRNG. seeded: from --seed, reproducible and NOT"
          + " private.")
  String noiseSource;

  @Option(names = "--strict-bound", paramLabel = "Z", description = "Z of dpsgd-global (default 100).")
  Double strictBound;

  @Option(names = "--initial-bound", paramLabel = "Z0", description = "Z0 of dpsgd-global-adapt (default 50).")
  Double initialBound;

  @Option(names = "--count-noise", paramLabel = "S",
      description = "Noise multiplier of Global-Adapt's count (sigma_b) or DPSGD-F's counts (sigma_c) (default 10).")
  Double countNoise;

  @Option(names = "--bound-lr", paramLabel = "ETA", description = "eta_Z of dpsgd-global-adapt (default 0.1).")
  Double boundLr;

  @Option(names = "--threshold", paramLabel = "GAMMA", description = "gamma of dpsgd-global-adapt (default 1).")
  Double threshold;

  @Option(names = "--bound-floor", paramLabel = "Z", description = "Smallest Z of dpsgd-global-adapt (default 0: none).")
  Double boundFloor;

  @Option(names = "--joint-accounting", paramLabel = "gradient|effective", defaultValue = "gradient",
      description = "How sigma is read when the method also releases counts: gradient (sigma is the gradient's; the"
          + " joint multiplier is a little smaller) or effective (sigma is the joint multiplier).")
  String jointAccounting;

  @Option(names = "--diagnostics-every", paramLabel = "N|auto|off", defaultValue = "auto",
      description = "Misalignment diagnostics every N private steps; auto: about 20 per run; off: none.")
  String diagnosticsEvery;

  @Option(names = "--sweep", paramLabel = "NAME=V1,V2", description = "A hyper-parameter sweep axis (repeatable):"
      + " lr, clip, epochs, batch-size, strict-bound, initial-bound, threshold, bound-lr. Every candidate run is a"
      + " release and is accounted.")
  List<String> sweep = new ArrayList<>();

  @Option(names = "--validation-fraction", paramLabel = "F",
      description = "Sweep selection data: this fraction of the training rows per class (default 0.2).")
  Double validationFraction;

  @Option(names = "--validation", paramLabel = "V.csv", description = "Sweep selection data from a separate file.")
  Path validation;

  @Option(names = "--validation-public", description = "The --validation file is public data.")
  boolean validationPublic;

  @Option(names = "--select", paramLabel = "METRIC", defaultValue = "accuracy",
      description = "What the sweep maximises: accuracy (default), worst-group-accuracy or loss.")
  String select;

  @Option(names = "--no-refit", description = "Keep the selected candidate instead of refitting it on all the training"
      + " data.")
  boolean noRefit;

  @Option(names = "--sweep-epsilon", paramLabel = "run|total", defaultValue = "run",
      description = "With --epsilon and --sweep: run (default) calibrates every run to epsilon (the composed total is"
          + " reported); total calibrates one sigma so the whole sweep meets epsilon.")
  String sweepEpsilon;

  @Option(names = "--reference", description = "Also train the non-private reference (same seed, epochs, batch size)"
      + " and report each group's privacy cost against it (internal figures).")
  boolean reference;

  @Option(names = "--reference-lr", paramLabel = "L", description = "The reference's learning rate (default: --lr).")
  Double referenceLr;

  @Option(names = "--test-public", description = "The test file is releasable evaluation data.")
  boolean testPublic;

  @Option(names = "--min-group-size", paramLabel = "N", defaultValue = "30",
      description = "Test groups with fewer rows are suppressed from the figures (default 30).")
  int minGroupSize;

  @Option(names = "--predictions", paramLabel = "FILE.csv",
      description = "Write the final model's test predictions (line, group, label, predicted, loss) to this file.")
  Path predictions;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    ClassifyRequest request = request();
    ClassifyOutcome outcome = new ClassifyJob(request).run();
    if (predictions != null) {
      writePredictions(predictions, outcome.evaluation());
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      try {
        out.println(ReportJson.mapper().writer().without(SerializationFeature.INDENT_OUTPUT)
            .writeValueAsString(outcome.json()));
      } catch (IOException e) {
        throw new IllegalStateException("cannot write the result as JSON: " + e.getMessage(), e);
      }
    } else {
      printText(out, outcome);
    }
    out.flush();
    return 0;
  }

  ClassifyRequest request() {
    ClassifierMethod m = ClassifierMethod.parse(method);
    NoiseSetting noise;
    if (m.isPrivate()) {
      if ((epsilon == null) == (noiseMultiplier == null)) {
        throw new IllegalArgumentException("method " + m.cliName() + " is private: give exactly one of --epsilon E"
            + " (calibrate the noise to it) or --noise-multiplier S.");
      }
      noise = epsilon != null ? new NoiseSetting.TargetEpsilon(epsilon) : new NoiseSetting.Multiplier(noiseMultiplier);
      if (clip == null) {
        throw new IllegalArgumentException("method " + m.cliName() + " clips per-example gradients: give --clip C (the"
            + " spec's experiments use 1; dpsgd-global's MNIST script uses 20 with --strict-bound 100).");
      }
    } else {
      if (epsilon != null || noiseMultiplier != null) {
        throw new IllegalArgumentException("--method nonprivate adds no noise and has no privacy guarantee; drop"
            + " --epsilon/--noise-multiplier, or pick a private method.");
      }
      noise = new NoiseSetting.None();
    }
    ClippingSettings clipping = ClippingSettings.withDefaults(clip == null ? 1.0 : clip);
    if (strictBound != null) {
      clipping = clipping.withStrictBound(strictBound);
    }
    if (initialBound != null) {
      clipping = clipping.withInitialBound(initialBound);
    }
    if (countNoise != null) {
      clipping = clipping.withCountNoiseMultiplier(countNoise);
    }
    if (boundLr != null) {
      clipping = clipping.withBoundLearningRate(boundLr);
    }
    if (threshold != null) {
      clipping = clipping.withThreshold(threshold);
    }
    if (boundFloor != null) {
      clipping = clipping.withBoundFloor(boundFloor);
    }
    int every = 0;
    boolean auto = false;
    String d = diagnosticsEvery.trim().toLowerCase(Locale.ROOT);
    if (d.equals("auto")) {
      auto = true;
    } else if (!d.equals("off")) {
      try {
        every = Integer.parseInt(d);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--diagnostics-every must be a number of steps, auto or off, got '"
            + diagnosticsEvery + "'.");
      }
      if (every < 0) {
        throw new IllegalArgumentException("--diagnostics-every must be >= 0 (0 or off: none), got " + every + ".");
      }
    }
    ClassifierConfig config = new ClassifierConfig(m, clipping, noise, delta == null ? Double.NaN : delta,
        parseJoint(jointAccounting), epochs, batchSize, lr, hidden == null ? ClassifierConfig.DEFAULT_HIDDEN : hidden,
        Activation.parse(activation), seed, NoiseSource.parse(noiseSource), every);
    TabularSchema schema = TabularSchema.of(label, group).withFeatures(features)
        .withFeatureRange(featureRange == null ? FeatureRange.IDENTITY : FeatureRange.parse(featureRange))
        .withGroupLevels(groupLevels);
    List<SweepAxis> axes = new ArrayList<>();
    for (String s : sweep) {
      axes.add(SweepAxis.parse(s));
    }
    if (axes.isEmpty() && (validation != null || validationFraction != null || validationPublic || noRefit
        || !"accuracy".equals(select) || !"run".equals(sweepEpsilon))) {
      throw new IllegalArgumentException("--validation, --validation-fraction, --validation-public, --select, --no-refit"
          + " and --sweep-epsilon only apply to a sweep; add --sweep NAME=V1,V2 or drop them.");
    }
    if (validation != null && validationFraction != null) {
      throw new IllegalArgumentException("give either --validation FILE or --validation-fraction F, not both.");
    }
    if (validationPublic && validation == null) {
      throw new IllegalArgumentException("--validation-public marks a --validation file public; a split carved from the"
          + " private training data cannot be public.");
    }
    boolean whole = switch (sweepEpsilon.trim().toLowerCase(Locale.ROOT)) {
      case "run" -> false;
      case "total" -> true;
      default -> throw new IllegalArgumentException("--sweep-epsilon must be run or total, got '" + sweepEpsilon + "'.");
    };
    if (whole && epsilon == null) {
      throw new IllegalArgumentException("--sweep-epsilon total needs --epsilon (it calibrates one noise multiplier so"
          + " the whole sweep meets it).");
    }
    if (referenceLr != null && !reference) {
      throw new IllegalArgumentException("--reference-lr needs --reference.");
    }
    double fraction = validation != null ? Double.NaN
        : validationFraction == null ? ClassifyRequest.DEFAULT_VALIDATION_FRACTION : validationFraction;
    return new ClassifyRequest(train, test, schema, config, new SweepGrid(axes), fraction, validation, validationPublic,
        SelectionMetric.parse(select), !noRefit, whole, testPublic, minGroupSize, AccountantKind.parse(accountant),
        reference, referenceLr == null ? Double.NaN : referenceLr, seed, auto);
  }

  private static JointAccounting parseJoint(String s) {
    return switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "gradient" -> JointAccounting.GRADIENT_MULTIPLIER;
      case "effective" -> JointAccounting.EFFECTIVE_MULTIPLIER;
      default -> throw new IllegalArgumentException("--joint-accounting must be gradient or effective, got '" + s + "'.");
    };
  }

  private static void writePredictions(Path file, ClassifierEvaluation e) {
    TabularData data = e.data();
    Predictions p = e.predictions();
    int[] predicted = p.predicted();
    double[] loss = p.loss();
    int[] groups = data.groupCodes();
    Path parent = file.toAbsolutePath().getParent();
    try {
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        w.write("line,group,label,predicted,loss\n");
        for (int i = 0; i < data.size(); i++) {
          w.write(data.lineNumber(i) + "," + csv(data.groupLevels().get(groups[i])) + ","
              + csv(data.classes().get(data.label(i))) + "," + csv(data.classes().get(predicted[i])) + ","
              + loss[i] + "\n");
        }
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot write predictions to " + file + ": " + ex.getMessage(), ex);
    }
  }

  private static String csv(String s) {
    return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }

  @SuppressWarnings("unchecked")
  private static void printText(PrintWriter out, ClassifyOutcome o) {
    Map<String, Object> j = o.json();
    Map<String, Object> training = (Map<String, Object>) j.get("training");
    out.println(j.get("method") + " on " + training.get("file") + " (" + training.get("examples") + " examples, "
        + training.get("parameters") + " parameters)");
    out.println(String.format(Locale.ROOT, "test accuracy %.4f, loss %.4f", (Double) j.get("accuracy"),
        (Double) j.get("loss")));
    Map<String, Object> acc = (Map<String, Object>) j.get("accuracy_by_group");
    Map<String, Object> loss = (Map<String, Object>) j.get("loss_by_group");
    Map<String, Object> count = (Map<String, Object>) j.get("count_by_group");
    for (String g : acc.keySet()) {
      out.println(String.format(Locale.ROOT, "  %s=%s: accuracy %s, loss %s (n=%s)", j.get("group_column"), g,
          num(acc.get(g)), num(loss.get(g)), count.get(g)));
    }
    if (Boolean.TRUE.equals(j.get("private"))) {
      Map<String, Object> p = (Map<String, Object>) j.get("privacy");
      out.println(String.format(Locale.ROOT, "epsilon %s at delta %s (%s accountant; %s); noise multiplier %s,"
              + " q %s, %s steps; randomness %s", num(j.get("epsilon")), j.get("delta"), j.get("accountant"),
          j.get("epsilon_scope"), num(p.get("noise_multiplier")), num(p.get("sampling_rate")), p.get("steps"),
          p.get("randomness")));
    } else {
      out.println("no privacy guarantee (non-private method)");
    }
    if (o.tuningStatement() != null) {
      out.println(o.tuningStatement());
    }
    Map<String, Object> mis = (Map<String, Object>) j.get("misalignment");
    if (Boolean.TRUE.equals(mis.get("available"))) {
      out.println("misalignment diagnostics (INTERNAL, not differentially private), mean over "
          + ((List<?>) mis.get("logged_steps")).size() + " logged steps:");
      Map<String, Object> groups = (Map<String, Object>) mis.get("groups");
      for (var e : groups.entrySet()) {
        Map<String, Object> g = (Map<String, Object>) e.getValue();
        out.println(String.format(Locale.ROOT, "  %s: norm %s, clipped %s, cos(g_D, clipped batch) %s, direction"
                + " error %s", e.getKey(), num(g.get("mean_norm")), num(g.get("fraction_clipped")),
            num(g.get("cos_full_vs_clipped_batch")), num(g.get("direction_error"))));
      }
    }
    if (o.reference() != null) {
      Map<String, Object> pc = (Map<String, Object>) j.get("privacy_cost");
      out.println("privacy cost per group (accuracy, INTERNAL: against a non-private reference): "
          + pc.get("accuracy_cost_by_group") + "; largest gap " + num(pc.get("accuracy_cost_max_gap")));
    }
    for (Object n : (List<?>) j.get("notes")) {
      out.println("note: " + n);
    }
  }

  private static String num(Object v) {
    if (v instanceof Double d) {
      return Double.isNaN(d) ? "n/a" : String.format(Locale.ROOT, "%.4g", d);
    }
    return String.valueOf(v);
  }
}
