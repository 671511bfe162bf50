package org.dpvideo.finetune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.dpvideo.dpsgd.accounting.ComposedEvent;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.accounting.DpEventJson;
import org.dpvideo.dpsgd.accounting.PldAccountant;
import org.dpvideo.fairness.Provenance;
import org.dpvideo.fairness.group.GroupAssignment;
import org.dpvideo.fairness.group.GroupKey;
import org.dpvideo.fairness.metrics.GroupMetrics;
import org.dpvideo.fairness.metrics.GroupMetricsOptions;
import org.dpvideo.fairness.metrics.Metric;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI contract of {@code dpvideo classify} (issue 6), run in-process on small synthetic tables. */
class ClassifyCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final PldAccountant PLD = new PldAccountant();

  @TempDir
  static Path dir;
  static Path train;
  static Path test;

  /** Three classes as Gaussian blobs in four dimensions; group "site" north (75%) or south. */
  static Path table(Path file, int rows, long seed) throws Exception {
    Random r = new Random(seed);
    StringBuilder b = new StringBuilder("x1,x2,x3,x4,site,label\n");
    String[] labels = {"cat", "dog", "eel"};
    for (int i = 0; i < rows; i++) {
      int c = i % 3;
      String site = r.nextDouble() < 0.75 ? "north" : "south";
      double[] centre = {c == 0 ? 2 : -1, c == 1 ? 2 : -1, c == 2 ? 2 : -1, site.equals("south") ? 1 : 0};
      for (double m : centre) {
        b.append(String.format(Locale.ROOT, "%.4f,", m + 0.6 * r.nextGaussian()));
      }
      b.append(site).append(',').append(labels[c]).append('\n');
    }
    Files.writeString(file, b.toString());
    return file;
  }

  @BeforeAll
  static void tables() throws Exception {
    train = table(dir.resolve("train.csv"), 300, 1);
    test = table(dir.resolve("test.csv"), 150, 2);
  }

  static List<String> base(String method, String... more) {
    List<String> a = new ArrayList<>(List.of("classify", "--train", train.toString(), "--test", test.toString(),
        "--label", "label", "--group", "site", "--method", method, "--epochs", "3", "--batch-size", "60",
        "--lr", "0.5", "--hidden", "16", "--seed", "4", "--noise", "seeded", "--json"));
    a.addAll(List.of(more));
    return a;
  }

  static JsonNode json(List<String> args) throws Exception {
    CliRun run = CliRun.of(args.toArray(new String[0]));
    assertEquals(0, run.exitCode(), run.err());
    String[] lines = run.out().strip().split("\\R");
    assertEquals(1, lines.length, "one JSON object on one line: " + run.out());
    return JSON.readTree(lines[0]);
  }

  static CliRun fails(List<String> args) {
    CliRun run = CliRun.of(args.toArray(new String[0]));
    assertEquals(2, run.exitCode(), run.out() + run.err());
    return run;
  }

  @Test
  void privateRun_json_hasTheContractKeys_andTheAccountantsEpsilon() throws Exception {
    JsonNode j = json(base("dpsgd-global-adapt", "--noise-multiplier", "1.2", "--clip", "1", "--delta", "1e-5"));
    assertTrue(j.get("accuracy").isNumber());
    assertTrue(j.get("loss").isNumber());
    for (String k : List.of("accuracy_by_group", "loss_by_group", "count_by_group")) {
      assertTrue(j.get(k).isObject(), k);
      assertTrue(j.get(k).has("north") && j.get(k).has("south"), k + ": " + j.get(k));
    }
    assertEquals(1e-5, j.get("delta").asDouble(), 0);
    assertEquals("pld", j.get("accountant").asText());
    DpEvent event = DpEventJson.fromJson(j.get("privacy").get("event").asText());
    assertEquals(PLD.epsilon(event, 1e-5).epsilon(), j.get("epsilon").asDouble(), 1e-12);
    // 300 examples, B = 60: q = 0.2, ceil(3 / 0.2) = 15 steps.
    assertEquals(15, j.get("privacy").get("steps").asInt());
    assertEquals(0.2, j.get("privacy").get("sampling_rate").asDouble(), 1e-15);
    assertEquals("seeded", j.get("privacy").get("randomness").asText());
    assertTrue(j.get("privacy").get("final_strict_bound").isNumber());
    JsonNode m = j.get("misalignment");
    assertEquals(Provenance.TRAIN_UNPROTECTED.name(), m.get("provenance").asText());
    assertTrue(m.get("groups").has("south"));
    assertTrue(j.get("notes").toString().contains("NOT private"));
  }

  @Test
  void targetEpsilon_calibratesTheWholeRun_withinTheTarget() throws Exception {
    JsonNode j = json(base("dpsgd-f", "--epsilon", "2", "--clip", "1", "--count-noise", "8"));
    double eps = j.get("epsilon").asDouble();
    assertTrue(eps <= 2 && eps > 1.98, "epsilon " + eps);
    // Default delta: 1 / N^1.1 with N = 300 training rows.
    assertEquals(1 / Math.pow(300, 1.1), j.get("delta").asDouble(), 1e-18);
    assertEquals(2.0, j.get("privacy").get("noise_calibrated_to_epsilon").asDouble(), 0);
  }

  @Test
  void nonPrivate_hasNoEpsilon_andNoDiagnostics() throws Exception {
    JsonNode j = json(base("nonprivate"));
    assertTrue(j.get("epsilon").isNull());
    assertEquals(false, j.get("private").asBoolean());
    assertEquals(false, j.get("misalignment").get("available").asBoolean());
    assertTrue(j.get("accuracy").asDouble() > 0.9, "blobs are separable: " + j.get("accuracy"));
  }

  @Test
  void sweep_totalEpsilonIsTheCompositionOfEveryCandidateAndTheRefit() throws Exception {
    JsonNode j = json(base("dpsgd", "--epsilon", "2", "--clip", "1", "--delta", "1e-5", "--sweep", "lr=0.1,0.5"));
    JsonNode t = j.get("tuning");
    JsonNode runs = t.get("runs");
    assertEquals(3, runs.size());
    assertEquals("refit", runs.get(2).get("phase").asText());
    DpEvent total = DpEventJson.fromJson(t.get("event_total").asText());
    ComposedEvent composed = (ComposedEvent) total;
    assertEquals(3, composed.events().size());
    for (int i = 0; i < 3; i++) {
      // Each part is one run's event, with that run's reported epsilon (each calibrated to 2 on its own).
      double part = PLD.epsilon(composed.events().get(i), 1e-5).epsilon();
      assertEquals(runs.get(i).get("epsilon").asDouble(), part, 1e-12);
      assertTrue(part <= 2);
    }
    double eps = PLD.epsilon(total, 1e-5).epsilon();
    assertEquals(eps, t.get("epsilon_total").asDouble(), 1e-12);
    assertEquals(eps, j.get("epsilon").asDouble(), 1e-12);
    assertTrue(eps > 2.5, "three runs at epsilon 2 compose to more: " + eps);
    assertTrue(t.get("statement").asText().contains("NOT covered"));
    // Candidates trained on 80% of the rows (stratified): q = 60 / 240.
    assertTrue(t.get("selection_data").asText().contains("60 of 300 rows"), t.get("selection_data").asText());
  }

  @Test
  void sweepEpsilonTotal_keepsTheWholeSweepWithinTheTarget() throws Exception {
    JsonNode j = json(base("dpsgd", "--epsilon", "3", "--clip", "1", "--delta", "1e-5", "--sweep", "lr=0.1,0.5",
        "--sweep-epsilon", "total"));
    assertTrue(j.get("epsilon").asDouble() <= 3, j.get("epsilon").toString());
    assertTrue(j.get("epsilon").asDouble() > 2.9, j.get("epsilon").toString());
  }

  @Test
  void sweep_publicValidationFile_selectsWithoutRefitAndSaysTheSelectionIsFree() throws Exception {
    Path validation = table(dir.resolve("validation.csv"), 90, 9);
    JsonNode j = json(base("dpsgd", "--noise-multiplier", "1.5", "--clip", "1", "--delta", "1e-5",
        "--sweep", "lr=0.1,0.5", "--validation", validation.toString(), "--validation-public",
        "--select", "worst-group-accuracy"));
    JsonNode t = j.get("tuning");
    assertEquals(false, t.get("refit").asBoolean());
    assertEquals(2, t.get("runs").size());
    assertTrue(t.get("statement").asText().contains("public, so the selection adds no privacy cost"),
        t.get("statement").asText());
    assertTrue(t.get("selection_metric").asText().contains("worst-group"));
    // Both candidates trained on all 300 rows with the same sigma: the total is two equal runs composed.
    DpEvent one = DpEventJson.fromJson(j.get("privacy").get("event").asText());
    assertEquals(PLD.epsilon(ComposedEvent.of(one, one), 1e-5).epsilon(), j.get("epsilon").asDouble(), 1e-12);
  }

  @Test
  void predictionsFile_agreesWithTheGroupFiguresAndGroupMetrics() throws Exception {
    Path pred = dir.resolve("out/predictions.csv");
    JsonNode j = json(base("dpsgd", "--noise-multiplier", "1", "--clip", "1", "--min-group-size", "1",
        "--predictions", pred.toString()));
    List<String> lines = Files.readAllLines(pred);
    assertEquals("line,group,label,predicted,loss", lines.get(0));
    assertEquals(151, lines.size());
    String[] groups = new String[150];
    int[] actual = new int[150];
    int[] predicted = new int[150];
    double[] loss = new double[150];
    Map<String, Integer> classes = new LinkedHashMap<>(Map.of("cat", 0, "dog", 1, "eel", 2));
    for (int i = 0; i < 150; i++) {
      String[] f = lines.get(i + 1).split(",");
      groups[i] = f[1];
      actual[i] = classes.get(f[2]);
      predicted[i] = classes.get(f[3]);
      loss[i] = Double.parseDouble(f[4]);
    }
    GroupMetrics frame = GroupMetrics.compute(GroupAssignment.ofColumn("site", groups),
        List.of(Metric.accuracy(actual, predicted), Metric.mean("loss", loss)),
        GroupMetricsOptions.of(Provenance.EVAL_PUBLIC).withMinGroupSize(1));
    for (Iterator<String> it = j.get("accuracy_by_group").fieldNames(); it.hasNext(); ) {
      String g = it.next();
      GroupKey key = GroupKey.of("site", g);
      assertEquals(frame.group("accuracy", key).value(), j.get("accuracy_by_group").get(g).asDouble(), 1e-12);
      assertEquals(frame.group("loss", key).value(), j.get("loss_by_group").get(g).asDouble(), 1e-9);
      assertEquals(frame.group("accuracy", key).count(), j.get("count_by_group").get(g).asLong());
    }
    assertEquals(frame.overall("accuracy").value(), j.get("accuracy").asDouble(), 1e-12);
  }

  @Test
  void reference_reportsPrivacyCostsAsInternal() throws Exception {
    JsonNode j = json(base("dpsgd", "--noise-multiplier", "1", "--clip", "1", "--reference", "--min-group-size", "1"));
    JsonNode pc = j.get("privacy_cost");
    assertEquals(Provenance.TRAIN_UNPROTECTED.name(), pc.get("provenance").asText());
    for (String g : List.of("north", "south")) {
      double expected = pc.get("reference_accuracy_by_group").get(g).asDouble() - j.get("accuracy_by_group").get(g)
          .asDouble();
      assertEquals(expected, pc.get("accuracy_cost_by_group").get(g).asDouble(), 1e-12);
    }
  }

  @Test
  void text_listsGroupsEpsilonAndDiagnostics() {
    List<String> a = base("dpsgd", "--noise-multiplier", "1", "--clip", "1");
    a.remove("--json");
    CliRun run = CliRun.of(a.toArray(new String[0]));
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("site=north: accuracy"), run.out());
    assertTrue(run.out().contains("epsilon "), run.out());
    assertTrue(run.out().contains("INTERNAL, not differentially private"), run.out());
  }

  @Test
  void errors_missingColumns_listEveryMissingColumn() throws Exception {
    List<String> a = base("nonprivate");
    a.set(a.indexOf("label") , "kind");
    a.set(a.indexOf("site"), "region");
    CliRun run = fails(a);
    assertTrue(run.err().contains("label column 'kind'") && run.err().contains("group column 'region'"), run.err());
    assertTrue(run.err().contains("[x1, x2, x3, x4, site, label]"), run.err());
  }

  @Test
  void errors_nonNumericFeaturesAndBadTestLabels_listEveryBadRow() throws Exception {
    Path badTrain = Files.writeString(dir.resolve("bad-train.csv"),
        "x1,x2,x3,x4,site,label\n1,2,3,4,north,cat\n1,two,3,4,north,dog\n1,2,3,?,south,cat\n1,2,3,4,north,dog\n");
    List<String> a = base("nonprivate");
    a.set(a.indexOf(train.toString()), badTrain.toString());
    CliRun run = fails(a);
    assertTrue(run.err().contains("line 3 (x2='two')") && run.err().contains("line 4 (x4='?')"), run.err());

    Path badTest = Files.writeString(dir.resolve("bad-test.csv"),
        "x1,x2,x3,x4,site,label\n1,2,3,4,north,cat\n1,2,3,4,north,fox\n1,2,3,4,south,owl\n1,2,3,4,north,fox\n");
    List<String> b = base("nonprivate");
    b.set(b.indexOf(test.toString()), badTest.toString());
    CliRun run2 = fails(b);
    assertTrue(run2.err().contains("[fox, owl] on lines 3-5"), run2.err());
    assertTrue(run2.err().contains("training classes [cat, dog, eel]"), run2.err());
  }

  @Test
  void errors_inconsistentOptions_sayWhatToChange() {
    assertTrue(fails(base("dpsgd", "--clip", "1")).err().contains("exactly one of --epsilon"));
    assertTrue(fails(base("dpsgd", "--clip", "1", "--epsilon", "1", "--noise-multiplier", "1")).err()
        .contains("exactly one of --epsilon"));
    assertTrue(fails(base("dpsgd", "--epsilon", "1")).err().contains("--clip"));
    assertTrue(fails(base("nonprivate", "--epsilon", "1")).err().contains("no privacy guarantee"));
    assertTrue(fails(base("dpsgd", "--epsilon", "1", "--clip", "1", "--validation-fraction", "0.3")).err()
        .contains("only apply to a sweep"));
    assertTrue(fails(base("dpsgd", "--epsilon", "1", "--clip", "1", "--sweep", "momentum=0.9")).err()
        .contains("cannot sweep [momentum]"));
    assertTrue(fails(base("dpsgd-glob", "--epsilon", "1", "--clip", "1")).err().contains("method must be one of"));
    assertTrue(fails(base("dpsgd-global", "--epsilon", "1", "--clip", "5", "--strict-bound", "2")).err()
        .contains("Z >= clip norm C"));
  }
}
