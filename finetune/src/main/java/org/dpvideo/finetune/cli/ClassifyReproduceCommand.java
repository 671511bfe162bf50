package org.dpvideo.finetune.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.dpvideo.fairness.classify.Activation;
import org.dpvideo.fairness.classify.FeatureRange;
import org.dpvideo.fairness.classify.NoiseSource;
import org.dpvideo.fairness.classify.PaperReproduction;
import org.dpvideo.fairness.classify.TabularSchema;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dpvideo classify-reproduce}: the reproduction of the paper's rare-class experiment
 * ({@link PaperReproduction}); defaults are the digits protocol of {@code docs/fairness.md} §7. Writes
 * {@code OUT/reproduction.md} (the table) and {@code OUT/reproduction.csv} (every run), atomically, and prints
 * the table; progress goes to stderr.
 */
@Command(name = "classify-reproduce", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Reproduce the paper's rare-class experiment (DPSGD, DPSGD-F, DPSGD-Global, DPSGD-Global-Adapt"
        + " and non-private at one epsilon, several seeds) under the paper's learning rates and at each method's"
        + " validation-tuned learning rate; prints mean +- std over seeds.",
        "Defaults: the digits fixture (.ci/fixtures.d/40-digits.sh), rare group 8, common group 2."})
public final class ClassifyReproduceCommand implements Callable<Integer> {

  @Option(names = "--train", paramLabel = "T.csv", defaultValue = ".fixtures/digits/train.csv",
      description = "Training CSV (default: the digits fixture with class 8 at 10%%).")
  Path train;

  @Option(names = "--test", paramLabel = "S.csv", defaultValue = ".fixtures/digits/test.csv", description = "Test CSV.")
  Path test;

  @Option(names = "--label", defaultValue = "label", paramLabel = "COL", description = "Label column.")
  String label;

  @Option(names = "--group", defaultValue = "label", paramLabel = "COL", description = "Group column.")
  String group;

  @Option(names = "--feature-range", defaultValue = "0,16", paramLabel = "LO,HI",
      description = "Public feature range mapped to [0, 1] (default 0,16: the digits pixels).")
  String featureRange;

  @Option(names = "--rare", defaultValue = "8", paramLabel = "V", description = "The rare group's value.")
  String rare;

  @Option(names = "--common", defaultValue = "2", paramLabel = "V", description = "A common group's value.")
  String common;

  @Option(names = "--epsilon", defaultValue = "5.9", paramLabel = "E", description = "Epsilon of every private run.")
  double epsilon;

  @Option(names = "--delta", defaultValue = "1e-5", paramLabel = "D", description = "Delta of every run.")
  double delta;

  @Option(names = "--epochs", defaultValue = "60", paramLabel = "N", description = "Epochs (the paper: 60).")
  int epochs;

  @Option(names = "--batch-size", defaultValue = "256", paramLabel = "B", description = "Batch size (the paper: 256).")
  int batchSize;

  @Option(names = "--hidden", split = ",", defaultValue = "256,256", paramLabel = "W", description = "MLP widths.")
  List<Integer> hidden;

  @Option(names = "--seeds", split = ",", defaultValue = "1,2,3,4,5", paramLabel = "K", description = "Seeds.")
  List<Long> seeds;

  @Option(names = "--lrs", split = ",", defaultValue = "0.03,0.1,0.3,1", paramLabel = "L",
      description = "The learning-rate grid of the tuned protocol.")
  List<Double> lrs;

  @Option(names = "--validation-fraction", defaultValue = "0.2", paramLabel = "F",
      description = "Validation split per class for tuning.")
  double validationFraction;

  @Option(names = "--noise", defaultValue = "seeded", paramLabel = "seeded|secure",
      description = "seeded (default here: reproducible, NOT private) or secure.")
  String noise;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
  Path out;

  @Option(names = "--combine", split = ",", paramLabel = "ROWS.csv",
      description = "Do not train: rebuild the table from reproduction.csv files of earlier runs (for example one"
          + " per seed run in parallel).")
  List<Path> combine = new ArrayList<>();

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    TabularSchema schema = TabularSchema.of(label, group).withFeatureRange(FeatureRange.parse(featureRange));
    PaperReproduction.Setup setup = new PaperReproduction.Setup(train, test, schema, rare, common, epsilon, delta,
        epochs, batchSize, hidden, Activation.TANH, seeds, lrs, validationFraction, NoiseSource.parse(noise),
        PaperReproduction.paperMethods(), 0.01);
    PrintWriter err = spec.commandLine().getErr();
    List<PaperReproduction.Row> rows = new ArrayList<>();
    if (combine.isEmpty()) {
      rows.addAll(new PaperReproduction(setup).run(line -> {
        err.println(line);
        err.flush();
      }));
    } else {
      for (Path p : combine) {
        rows.addAll(PaperReproduction.fromCsv(p));
      }
      rows.sort(java.util.Comparator.comparingLong(PaperReproduction.Row::seed));
    }
    String table = PaperReproduction.markdown(rows, setup);
    write(out.resolve("reproduction.md"), table);
    write(out.resolve("reproduction.csv"), PaperReproduction.toCsv(rows));
    PrintWriter w = spec.commandLine().getOut();
    w.print(table);
    w.println("wrote " + out.resolve("reproduction.md") + " and " + out.resolve("reproduction.csv"));
    w.flush();
    return 0;
  }

  private static void write(Path file, String text) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
