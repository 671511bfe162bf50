package org.dpvideo.fairness.classify;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.dpvideo.dpsgd.accounting.PldAccountant;
import org.dpvideo.dpsgd.accounting.PrivacyAccountant;
import org.dpvideo.dpsgd.clipping.JointAccounting;
import org.dpvideo.fairness.Provenance;
import org.dpvideo.fairness.group.GroupKey;
import org.dpvideo.fairness.metrics.GroupMetricsOptions;
import org.dpvideo.fairness.tuning.HyperparameterSweep;
import org.dpvideo.fairness.tuning.SweepAxis;
import org.dpvideo.fairness.tuning.SweepGrid;
import org.dpvideo.fairness.tuning.SweepResult;
import org.dpvideo.fairness.tuning.TuningNoise;

/**
 * The reproduction of the paper's MNIST experiment (Esipova et al., ICLR 2023, Table 2; fairness spec §3) on a
 * classification table with one rare group: per seed, a non-private reference θ* and every private method at
 * one ε, under two protocols:
 * <ol>
 *   <li><b>paper</b>: each private method at the learning rate and clipping of the authors' MNIST scripts
 *       (DPSGD C = 1, η = 0.01; DPSGD-F C0 = 1, σ_c = 8, η = 0.01; DPSGD-Global C = 20, Z = 100, η = 0.01;
 *       Global-Adapt C = 1, Z0 = 50, γ = 0.7, σ_b = 10, η_Z = 0.1, η = 0.1; spec §2.7);</li>
 *   <li><b>tuned</b>: each method (the same clipping) at the learning rate that maximises validation accuracy
 *       on a stratified split of the training data (candidates trained on the rest, the winner refitted on all
 *       the training data; every candidate is calibrated to ε on its own and the sweep's composed cost is
 *       reported).</li>
 * </ol>
 * The reference of both protocols is the non-private model tuned the same way (the paper's default η = 0.01 is
 * reported too). For each run: accuracy overall, of the rare and of a common group, their losses, the privacy
 * costs π = acc(θ*) − acc(θ̃) per group against the reference of the same seed, and the gap
 * PCG = |π_rare − π_common|; then mean and sample standard deviation over seeds.
 *
 * <p>Everything here is an experiment: seeded noise makes it reproducible (and not private), and the figures
 * mix test data with non-private references. Not thread-safe.
 */
public final class PaperReproduction {

  /** A method with the paper's clipping and learning rate. */
  public record MethodSetting(String label, ClassifierMethod method, ClippingSettings clipping,
      double paperLearningRate) {
    /** Validates. */
    public MethodSetting {
      Objects.requireNonNull(label, "label");
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(clipping, "clipping");
    }
  }

  /** The private methods with the settings of the authors' MNIST scripts (spec §2.7). */
  public static List<MethodSetting> paperMethods() {
    return List.of(
        new MethodSetting("DPSGD", ClassifierMethod.DPSGD, ClippingSettings.withDefaults(1.0), 0.01),
        new MethodSetting("DPSGD-F", ClassifierMethod.DPSGD_F,
            ClippingSettings.withDefaults(1.0).withCountNoiseMultiplier(8), 0.01),
        new MethodSetting("DPSGD-Global", ClassifierMethod.DPSGD_GLOBAL,
            ClippingSettings.withDefaults(20.0).withStrictBound(100), 0.01),
        new MethodSetting("DPSGD-Global-Adapt", ClassifierMethod.DPSGD_GLOBAL_ADAPT,
            ClippingSettings.withDefaults(1.0).withInitialBound(50).withThreshold(0.7), 0.1));
  }

  /**
   * The experiment.
   *
   * @param train training CSV
   * @param test test CSV
   * @param schema columns (the group column defines the rare and common groups)
   * @param rareGroup the rare group's value
   * @param commonGroup a common group's value
   * @param epsilon ε of every private run
   * @param delta δ of every run
   * @param epochs epochs of every run
   * @param batchSize B of every run
   * @param hidden MLP widths
   * @param activation MLP activation
   * @param seeds the seeds (initial weights, sampling and noise, validation split)
   * @param learningRates the tuning grid
   * @param validationFraction the validation split's fraction
   * @param noiseSource seeded (reproducible, not private) or secure
   * @param methods the private methods
   * @param paperReferenceLearningRate the paper's default non-private learning rate, reported as an extra row
   */
  public record Setup(Path train, Path test, TabularSchema schema, String rareGroup, String commonGroup, double epsilon,
      double delta, int epochs, int batchSize, List<Integer> hidden, Activation activation, List<Long> seeds,
      List<Double> learningRates, double validationFraction, NoiseSource noiseSource, List<MethodSetting> methods,
      double paperReferenceLearningRate) {
    /** Validates. */
    public Setup {
      Objects.requireNonNull(train, "train");
      Objects.requireNonNull(test, "test");
      Objects.requireNonNull(schema, "schema");
      seeds = List.copyOf(seeds);
      learningRates = List.copyOf(learningRates);
      methods = List.copyOf(methods);
      hidden = List.copyOf(hidden);
      if (seeds.isEmpty()) {
        throw new IllegalArgumentException("the reproduction needs at least one seed (the paper uses 5)");
      }
      if (learningRates.isEmpty()) {
        throw new IllegalArgumentException("the tuning grid needs at least one learning rate");
      }
      if (rareGroup.equals(commonGroup)) {
        throw new IllegalArgumentException("the rare and the common group must differ, both are '" + rareGroup + "'");
      }
    }
  }

  /** The two protocols. */
  public enum Protocol {
    /** The paper's learning rates. */
    PAPER,
    /** Each method at its validation-tuned learning rate. */
    TUNED
  }

  /**
   * One run's figures.
   *
   * @param protocol paper or tuned ("reference" rows are the non-private runs)
   * @param method the method's label
   * @param seed the seed
   * @param learningRate the learning rate used (tuned: the selected one)
   * @param accuracy overall test accuracy
   * @param accuracyRare rare group's accuracy
   * @param accuracyCommon common group's accuracy
   * @param lossRare rare group's mean loss
   * @param lossCommon common group's mean loss
   * @param costRare π of the rare group against the seed's reference (NaN for references)
   * @param costCommon π of the common group
   * @param gap |π_rare − π_common|
   * @param epsilonRun ε of the run alone (NaN when non-private)
   * @param epsilonTuning ε of the whole tuning (tuned protocol; NaN otherwise)
   */
  public record Row(String protocol, String method, long seed, double learningRate, double accuracy,
      double accuracyRare, double accuracyCommon, double lossRare, double lossCommon, double costRare,
      double costCommon, double gap, double epsilonRun, double epsilonTuning) {}

  private final Setup setup;
  private final PrivacyAccountant accountant = new CachingAccountant(new PldAccountant());

  /** An experiment. */
  public PaperReproduction(Setup setup) {
    this.setup = Objects.requireNonNull(setup, "setup");
  }

  /**
   * Runs every seed; {@code progress} receives one line per finished run.
   *
   * @return every run's row
   */
  public List<Row> run(Consumer<String> progress) {
    TabularData train = TabularData.load(setup.train(), setup.schema());
    TabularData test = TabularData.loadLike(setup.test(), train);
    requireGroup(test, setup.rareGroup());
    requireGroup(test, setup.commonGroup());
    GroupMetricsOptions options = GroupMetricsOptions.of(Provenance.EVAL_PUBLIC).withMinGroupSize(1);
    List<Row> rows = new ArrayList<>();
    for (long seed : setup.seeds()) {
      TabularData[] parts = train.split(setup.validationFraction(), seed);
      // Reference: non-private, tuned on the validation split, refitted.
      Tuned ref = tune(train, parts, base(ClassifierMethod.NONPRIVATE, ClippingSettings.withDefaults(1.0), seed),
          new TuningNoise.NotPrivate(), test, options);
      rows.add(row("reference", "non-private (tuned)", seed, ref.lr, ref.eval, null, Double.NaN, Double.NaN));
      progress.accept(describe(rows.get(rows.size() - 1)));
      ClassifierEvaluation paperRef = evaluate(train, test, options,
          base(ClassifierMethod.NONPRIVATE, ClippingSettings.withDefaults(1.0), seed)
              .withLearningRate(setup.paperReferenceLearningRate()));
      rows.add(row("reference", "non-private (paper lr)", seed, setup.paperReferenceLearningRate(), paperRef,
          ref.eval, Double.NaN, Double.NaN));
      progress.accept(describe(rows.get(rows.size() - 1)));
      for (MethodSetting m : setup.methods()) {
        ClassifierConfig c = base(m.method(), m.clipping(), seed).withLearningRate(m.paperLearningRate());
        double eps;
        ClassifierEvaluation e;
        try (TrainedClassifier tc = ClassifierTrainer.train(train, c, accountant)) {
          e = ClassifierEvaluation.of(test, tc.predict(test), options);
          eps = tc.privacy().orElseThrow().guarantee().epsilon();
        }
        rows.add(row(Protocol.PAPER.name().toLowerCase(Locale.ROOT), m.label(), seed, m.paperLearningRate(), e,
            ref.eval, eps, Double.NaN));
        progress.accept(describe(rows.get(rows.size() - 1)));
      }
      for (MethodSetting m : setup.methods()) {
        Tuned t = tune(train, parts, base(m.method(), m.clipping(), seed),
            new TuningNoise.EpsilonPerRun(setup.epsilon()), test, options);
        rows.add(row(Protocol.TUNED.name().toLowerCase(Locale.ROOT), m.label(), seed, t.lr, t.eval, ref.eval,
            t.epsilonRun, t.epsilonTotal));
        progress.accept(describe(rows.get(rows.size() - 1)));
      }
    }
    return rows;
  }

  private record Tuned(double lr, ClassifierEvaluation eval, double epsilonRun, double epsilonTotal) {}

  private Tuned tune(TabularData train, TabularData[] parts, ClassifierConfig base, TuningNoise noise,
      TabularData test, GroupMetricsOptions options) {
    SweepGrid grid = SweepGrid.of(new SweepAxis("lr", setup.learningRates()));
    ClassifierTuning target = new ClassifierTuning(base, train, parts[0], parts[1],
        "a " + Math.round(100 * setup.validationFraction()) + "% validation split of the training data",
        false, SelectionMetric.ACCURACY, accountant, setup.delta());
    SweepResult<TrainedClassifier> r = new HyperparameterSweep(grid, noise, setup.delta(), accountant, true).run(target);
    try (TrainedClassifier tc = r.finalRun()) {
      ClassifierEvaluation e = ClassifierEvaluation.of(test, tc.predict(test), options);
      double lr = r.selected().candidate().value("lr");
      return new Tuned(lr, e, r.finalOutcome().epsilon(),
          r.totalGuarantee().map(g -> g.epsilon()).orElse(Double.NaN));
    }
  }

  private ClassifierEvaluation evaluate(TabularData train, TabularData test, GroupMetricsOptions options,
      ClassifierConfig c) {
    try (TrainedClassifier tc = ClassifierTrainer.train(train, c, accountant)) {
      return ClassifierEvaluation.of(test, tc.predict(test), options);
    }
  }

  private ClassifierConfig base(ClassifierMethod method, ClippingSettings clipping, long seed) {
    NoiseSetting noise = method.isPrivate() ? new NoiseSetting.TargetEpsilon(setup.epsilon()) : new NoiseSetting.None();
    return new ClassifierConfig(method, clipping, noise, setup.delta(), JointAccounting.GRADIENT_MULTIPLIER,
        setup.epochs(), setup.batchSize(), setup.paperReferenceLearningRate(), setup.hidden(), setup.activation(),
        seed, setup.noiseSource(), 0);
  }

  private Row row(String protocol, String method, long seed, double lr, ClassifierEvaluation e,
      ClassifierEvaluation reference, double epsRun, double epsTuning) {
    GroupKey rare = GroupKey.of(setup.schema().groupColumn(), setup.rareGroup());
    GroupKey common = GroupKey.of(setup.schema().groupColumn(), setup.commonGroup());
    double accRare = e.frame().group(ClassifierEvaluation.ACCURACY, rare).value();
    double accCommon = e.frame().group(ClassifierEvaluation.ACCURACY, common).value();
    double costRare = Double.NaN;
    double costCommon = Double.NaN;
    if (reference != null) {
      costRare = reference.frame().group(ClassifierEvaluation.ACCURACY, rare).value() - accRare;
      costCommon = reference.frame().group(ClassifierEvaluation.ACCURACY, common).value() - accCommon;
    }
    return new Row(protocol, method, seed, lr, e.accuracy(), accRare, accCommon,
        e.frame().group(ClassifierEvaluation.LOSS, rare).value(), e.frame().group(ClassifierEvaluation.LOSS, common)
        .value(), costRare, costCommon, Math.abs(costRare - costCommon), epsRun, epsTuning);
  }

  private static void requireGroup(TabularData data, String value) {
    if (!data.groupLevels().contains(value)) {
      throw new IllegalArgumentException("group '" + value + "' does not occur in " + data.source() + "; its groups are "
          + data.groupLevels());
    }
  }

  /** The CSV header of {@link #toCsv}. */
  public static final String CSV_HEADER = "protocol,method,seed,lr,accuracy,accuracy_rare,accuracy_common,loss_rare,"
      + "loss_common,cost_rare,cost_common,gap,epsilon_run,epsilon_tuning";

  /** Every row as CSV (header first; NaN as an empty cell), the input of {@link #fromCsv}. */
  public static String toCsv(List<Row> rows) {
    StringBuilder b = new StringBuilder(CSV_HEADER).append('\n');
    for (Row r : rows) {
      b.append(String.join(",", r.protocol(), r.method(), Long.toString(r.seed()), num(r.learningRate()),
          num(r.accuracy()), num(r.accuracyRare()), num(r.accuracyCommon()), num(r.lossRare()), num(r.lossCommon()),
          num(r.costRare()), num(r.costCommon()), num(r.gap()), num(r.epsilonRun()), num(r.epsilonTuning())))
          .append('\n');
    }
    return b.toString();
  }

  private static String num(double v) {
    return Double.isNaN(v) ? "" : Double.toString(v);
  }

  /**
   * Reads rows written by {@link #toCsv} (for example the parts of a run split over several processes).
   *
   * @throws IllegalArgumentException listing the lines that are not rows of that form
   */
  public static List<Row> fromCsv(Path file) {
    CsvTable t = CsvTable.read(file);
    if (!String.join(",", t.header()).equals(CSV_HEADER)) {
      throw new IllegalArgumentException(file + " is not a reproduction CSV: its header is " + t.header()
          + ", expected " + CSV_HEADER);
    }
    List<Row> rows = new ArrayList<>();
    List<Integer> bad = new ArrayList<>();
    for (int i = 0; i < t.rowCount(); i++) {
      try {
        double[] v = new double[11];
        for (int j = 0; j < 11; j++) {
          String cell = t.cell(i, 3 + j);
          v[j] = cell.isEmpty() ? Double.NaN : Double.parseDouble(cell);
        }
        rows.add(new Row(t.cell(i, 0), t.cell(i, 1), Long.parseLong(t.cell(i, 2)), v[0], v[1], v[2], v[3], v[4], v[5],
            v[6], v[7], v[8], v[9], v[10]));
      } catch (NumberFormatException e) {
        bad.add(t.lineNumber(i));
      }
    }
    if (!bad.isEmpty() || !t.problems().isEmpty()) {
      throw new IllegalArgumentException(file + " has malformed rows: " + t.problems()
          + (bad.isEmpty() ? "" : " non-numeric values on lines " + LineRanges.format(bad)));
    }
    return rows;
  }

  /** One line about a row, for progress output. */
  public static String describe(Row r) {
    return String.format(Locale.ROOT, "seed %d %s %s lr %s: acc %.3f, rare %.3f, common %.3f, pi rare %s, pi common %s,"
            + " eps %s%s", r.seed(), r.protocol(), r.method(), fmt(r.learningRate()), r.accuracy(), r.accuracyRare(),
        r.accuracyCommon(), fmt(r.costRare()), fmt(r.costCommon()), fmt(r.epsilonRun()),
        Double.isNaN(r.epsilonTuning()) ? "" : " (tuning total " + fmt(r.epsilonTuning()) + ")");
  }

  /** Mean and sample standard deviation of a column over seeds, for one protocol and method. */
  public record Spread(double mean, double std, int n) {
    static Spread of(List<Double> values) {
      double[] v = values.stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).toArray();
      if (v.length == 0) {
        return new Spread(Double.NaN, Double.NaN, 0);
      }
      double m = 0;
      for (double x : v) {
        m += x;
      }
      m /= v.length;
      double ss = 0;
      for (double x : v) {
        ss += (x - m) * (x - m);
      }
      return new Spread(m, v.length < 2 ? Double.NaN : Math.sqrt(ss / (v.length - 1)), v.length);
    }
  }

  /**
   * The summary table in Markdown: per protocol and method, mean ± sample standard deviation over seeds of
   * accuracy overall, rare and common group accuracy (percent), their privacy costs and the gap (points), the
   * selected learning rates, and ε per run and of the tuning.
   */
  public static String markdown(List<Row> rows, Setup setup) {
    Map<String, List<Row>> groups = new LinkedHashMap<>();
    for (Row r : rows) {
      groups.computeIfAbsent(r.protocol() + "|" + r.method(), k -> new ArrayList<>()).add(r);
    }
    String rare = setup.rareGroup();
    String common = setup.commonGroup();
    StringBuilder b = new StringBuilder();
    b.append("| protocol | method | lr | acc | acc ").append(common).append(" | acc ").append(rare).append(" | π(")
        .append(common).append(") | π(").append(rare).append(") | PCG | loss ").append(common).append(" | loss ")
        .append(rare).append(" | ε run | ε tuning |\n");
    b.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (var e : groups.entrySet()) {
      List<Row> rs = e.getValue();
      Row f = rs.get(0);
      b.append("| ").append(f.protocol()).append(" | ").append(f.method()).append(" | ").append(lrs(rs)).append(" | ")
          .append(pct(rs, Row::accuracy)).append(" | ").append(pct(rs, Row::accuracyCommon)).append(" | ")
          .append(pct(rs, Row::accuracyRare)).append(" | ").append(pct(rs, Row::costCommon)).append(" | ")
          .append(pct(rs, Row::costRare)).append(" | ").append(pct(rs, Row::gap)).append(" | ")
          .append(plain(rs, Row::lossCommon)).append(" | ").append(plain(rs, Row::lossRare)).append(" | ")
          .append(plain(rs, Row::epsilonRun)).append(" | ").append(plain(rs, Row::epsilonTuning)).append(" |\n");
    }
    return b.toString();
  }

  private static String lrs(List<Row> rs) {
    List<String> v = new ArrayList<>();
    for (Row r : rs) {
      v.add(fmt(r.learningRate()));
    }
    return v.stream().distinct().count() == 1 ? v.get(0) : String.join(", ", v);
  }

  private static String pct(List<Row> rs, java.util.function.ToDoubleFunction<Row> f) {
    Spread s = Spread.of(rs.stream().map(r -> f.applyAsDouble(r)).toList());
    if (s.n() == 0) {
      return "–";
    }
    return Double.isNaN(s.std()) ? String.format(Locale.ROOT, "%.1f", 100 * s.mean())
        : String.format(Locale.ROOT, "%.1f ± %.1f", 100 * s.mean(), 100 * s.std());
  }

  private static String plain(List<Row> rs, java.util.function.ToDoubleFunction<Row> f) {
    Spread s = Spread.of(rs.stream().map(r -> f.applyAsDouble(r)).toList());
    if (s.n() == 0) {
      return "–";
    }
    return Double.isNaN(s.std()) ? String.format(Locale.ROOT, "%.2f", s.mean())
        : String.format(Locale.ROOT, "%.2f ± %.2f", s.mean(), s.std());
  }

  private static String fmt(double v) {
    if (Double.isNaN(v)) {
      return "–";
    }
    return new java.math.BigDecimal(String.format(Locale.ROOT, "%.4g", v)).stripTrailingZeros().toPlainString();
  }
}
