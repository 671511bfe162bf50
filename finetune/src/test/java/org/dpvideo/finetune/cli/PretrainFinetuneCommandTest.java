package org.dpvideo.finetune.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dpvideo.dpsgd.accounting.ComposedEvent;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.accounting.DpEventJson;
import org.dpvideo.dpsgd.accounting.PldAccountant;
import org.dpvideo.dpsgd.accounting.SelfComposedEvent;
import org.dpvideo.dpsgd.ledger.LedgerEntryKind;
import org.dpvideo.dpsgd.ledger.LedgerLocation;
import org.dpvideo.dpsgd.ledger.PrivacyLedger;
import org.dpvideo.dpsgd.ledger.RunId;
import org.dpvideo.dpsgd.ledger.RunRecord;
import org.dpvideo.dpsgd.ledger.RunStatus;
import org.dpvideo.dpsgd.layers.Parameter;
import org.dpvideo.finetune.checkpoint.Checkpoint;
import org.dpvideo.finetune.checkpoint.ModelFile;
import org.dpvideo.finetune.model.VideoLm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Contract tests of {@code dpvideo pretrain} and {@code dpvideo finetune}, with a real kill -9 and resume. */
class PretrainFinetuneCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path shared;

  static TinyTrainingData data;

  @BeforeAll
  static void createData() throws Exception {
    data = TinyTrainingData.create(shared.resolve("data"));
  }

  @Test
  void pretrain_privateRows_areRefusedListingEveryOne() {
    CliRun run = CliRun.of("pretrain", "--manifest", data.privateManifest().toString(), "--tokenizer",
        data.tokenizer().toString(), "--out", shared.resolve("x.dpvlm").toString(), "--spec", TinyTrainingData.SPEC);
    assertEquals(2, run.exitCode(), run.err());
    assertTrue(run.err().contains("has 20 private train row(s): line 2"), run.err());
    assertTrue(run.err().contains("takes public rows only"), run.err());
    assertFalse(Files.exists(shared.resolve("x.dpvlm")));
  }

  @Test
  void pretrain_stageShareAboveOne_isRejectedWithTheValue() {
    CliRun run = CliRun.of("pretrain", "--manifest", data.publicManifest().toString(), "--tokenizer",
        data.tokenizer().toString(), "--out", shared.resolve("y.dpvlm").toString(), "--stage-one-image-share", "1.5");
    assertEquals(2, run.exitCode(), run.err());
    assertTrue(run.err().contains("must be in [0, 1], got 1.5"), run.err());
  }

  @Test
  void finetune_epsilonAndNoiseMultiplier_isRejected() {
    List<String> a = data.finetuneArgs(shared.resolve("r1"), shared.resolve("l1.db"), 4, 2);
    a.addAll(List.of("--epsilon", "8"));
    CliRun run = CliRun.of(a.toArray(String[]::new));
    assertEquals(2, run.exitCode(), run.err());
    assertTrue(run.err().contains("exactly one of --epsilon E"), run.err());
    assertTrue(run.err().contains("got both"), run.err());
  }

  @Test
  void finetune_deltaNotBelowOneOverN_isRejectedWithASuggestion() {
    List<String> a = data.finetuneArgs(shared.resolve("r2"), shared.resolve("l2.db"), 4, 2);
    a.set(a.indexOf("--delta") + 1, "0.1");
    CliRun run = CliRun.of(a.toArray(String[]::new));
    assertEquals(2, run.exitCode(), run.err());
    assertTrue(run.err().contains("--delta must be in (0, 1/N) for N = 20 subjects, got 0.1"), run.err());
    assertTrue(run.err().contains("1/N^1.1"), run.err());
  }

  @Test
  void finetune_unknownRuleAndMissingStrictBound_areRejected() {
    List<String> a = data.finetuneArgs(shared.resolve("r3"), shared.resolve("l3.db"), 4, 2);
    a.set(a.indexOf("--rule") + 1, "dpsgd-x");
    CliRun run = CliRun.of(a.toArray(String[]::new));
    assertEquals(2, run.exitCode(), run.err());
    assertTrue(run.err().contains("--rule must be one of dpsgd, dpsgd-global, dpsgd-global-adapt, dpsgd-f; got"
        + " 'dpsgd-x'"), run.err());
    a.set(a.indexOf("--rule") + 1, "dpsgd-global");
    run = CliRun.of(a.toArray(String[]::new));
    assertEquals(2, run.exitCode(), run.err());
    assertTrue(run.err().contains("needs --strict-bound Z"), run.err());
  }

  @Test
  void finetune_resumeWithoutCheckpoint_isRejectedAndReservesNothing() throws Exception {
    Path ledger = shared.resolve("l4.db");
    List<String> a = data.finetuneArgs(shared.resolve("r4"), ledger, 4, 2);
    a.add("--resume");
    CliRun run = CliRun.of(a.toArray(String[]::new));
    assertEquals(2, run.exitCode(), run.err());
    assertTrue(run.err().contains("there is no checkpoint in"), run.err());
    assertFalse(Files.exists(ledger), "nothing may be reserved when the command refuses to start");
  }

  @Test
  void finetune_datasetWithoutBudget_isRefusedBeforeAnyPrivateFileIsRead() {
    Path run = shared.resolve("r6");
    List<String> a = data.finetuneArgs(run, shared.resolve("l6.db"), 4, 2);
    int i = a.indexOf("--budget-epsilon");
    a.remove(i + 1);
    a.remove(i);
    i = a.indexOf("--cache");
    a.set(i + 1, shared.resolve("cache6").toString());
    CliRun r = CliRun.of(a.toArray(String[]::new));
    assertEquals(1, r.exitCode(), r.err());
    assertTrue(r.err().contains("has no privacy budget"), r.err());
    assertTrue(r.err().contains("dpvideo budget set --dataset"), r.err());
    assertFalse(Files.exists(shared.resolve("cache6")), "no private clip may be decoded before the reservation");
  }

  @Test
  void finetune_sparkWithoutTheDistributedModule_isRefusedInOneSentenceAndReservesNothing() {
    // This module's test classpath has no Spark backend: the command must name the build command and stop
    // before the ledger reserves anything.
    Path ledger = shared.resolve("l7.db");
    List<String> a = data.finetuneArgs(shared.resolve("r7"), ledger, 4, 2);
    a.set(a.indexOf("--tasks") + 1, "i2v");
    a.addAll(List.of("--spark", "local[2]"));
    CliRun run = CliRun.of(a.toArray(String[]::new));
    assertEquals(1, run.exitCode(), run.err());
    assertTrue(run.err().contains("data-parallel backend is not on the classpath; build the distributed module with"
        + " `mvn -B -q -DskipTests package -pl distributed -am`"), run.err());
    assertFalse(Files.exists(ledger), "nothing may be reserved when the command refuses to start");
  }

  @Test
  void finetune_sparkWithResumeOrSeveralTaskGroups_isRefusedAndReservesNothing() {
    Path ledger = shared.resolve("l8.db");
    List<String> a = data.finetuneArgs(shared.resolve("r8"), ledger, 4, 2);
    a.addAll(List.of("--spark", "local[2]"));
    CliRun groups = CliRun.of(a.toArray(String[]::new));
    assertEquals(2, groups.exitCode(), groups.err());
    assertTrue(groups.err().contains("--spark trains one task group per run for now"), groups.err());
    a.add("--resume");
    CliRun resume = CliRun.of(a.toArray(String[]::new));
    assertEquals(2, resume.exitCode(), resume.err());
    assertTrue(resume.err().contains("--resume is not supported with --spark yet: checkpoints are not written in Spark"
        + " mode"), resume.err());
    assertFalse(Files.exists(ledger), "nothing may be reserved when the command refuses to start");
  }

  @Test
  void finetune_stepsAndEpochsBothMissing_isRejected() {
    List<String> a = data.finetuneArgs(shared.resolve("r5"), shared.resolve("l5.db"), 4, 2);
    int i = a.indexOf("--steps");
    a.remove(i + 1);
    a.remove(i);
    CliRun run = CliRun.of(a.toArray(String[]::new));
    assertEquals(2, run.exitCode(), run.err());
    assertTrue(run.err().contains("exactly one of --steps N and --epochs E; got neither"), run.err());
  }

  /**
   * A real crash: the CLI runs as a separate JVM, is killed with SIGKILL after its first checkpoint, and
   * resumed. Its final epsilon, step counts per event and (seeded noise) final parameters equal those of an
   * uninterrupted run of the same plan; the ledger shows one run, resumed once, completed.
   */
  @Test
  void finetune_killedWithSigkillAndResumed_spendsExactlyWhatAnUninterruptedRunSpends() throws Exception {
    int steps = 60;
    Path runA = shared.resolve("killed");
    Path ledgerA = shared.resolve("killed.db");
    List<String> args = data.finetuneArgs(runA, ledgerA, steps, 3);
    Path log = shared.resolve("killed.log");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g", "-Dorg.bytedeco.javacpp.maxbytes=2G", "-cp", System.getProperty("java.class.path"),
        DpvideoCli.class.getName()));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
    pb.environment().put("OMP_NUM_THREADS", "2");
    Process p = pb.start();
    long deadline = System.nanoTime() + 300_000_000_000L;
    while (p.isAlive() && !Checkpoint.exists(runA) && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertTrue(p.isAlive(), "the run ended before its first checkpoint could be seen: " + Files.readString(log));
    p.destroyForcibly();   // SIGKILL on Linux: no shutdown hooks, no finally blocks
    assertEquals(137, p.waitFor(), Files.readString(log));
    Checkpoint atKill = Checkpoint.load(runA);
    assertTrue(atKill.step() >= 3 && atKill.step() < steps, "checkpoint step " + atKill.step());
    assertFalse(Files.exists(runA.resolve(FinetuneCommand.MODEL_FILE)), "the killed run released no model");
    String runId = atKill.runId();
    try (PrivacyLedger l = PrivacyLedger.open(LedgerLocation.parse(ledgerA.toString()), new PldAccountant())) {
      RunRecord open = l.run(RunId.of(runId)).orElseThrow();
      assertEquals(RunStatus.OPEN, open.status());
      assertEquals(open.planned(), open.chargedEvent(), "an open run is charged its whole plan");
    }

    List<String> resumeArgs = new ArrayList<>(args);
    resumeArgs.add("--resume");
    CliRun resumed = CliRun.of(resumeArgs.toArray(String[]::new));
    assertEquals(0, resumed.exitCode(), resumed.err());
    assertTrue(resumed.err().contains("resumed run " + runId + " (attempt 2) from the checkpoint at step"),
        resumed.err());
    assertTrue(resumed.out().contains("SEEDED NOISE: NOT PRIVATE"), resumed.out());

    Path runB = shared.resolve("uninterrupted");
    CliRun straight = CliRun.of(data.finetuneArgs(runB, shared.resolve("straight.db"), steps, 3)
        .toArray(String[]::new));
    assertEquals(0, straight.exitCode(), straight.err());

    JsonNode a = JSON.readTree(runA.resolve(FinetuneCommand.RESULT_FILE).toFile());
    JsonNode b = JSON.readTree(runB.resolve(FinetuneCommand.RESULT_FILE).toFile());
    assertEquals(steps, a.path("steps").asLong());
    assertEquals(steps - atKill.step(), a.path("steps_this_process").asLong(), "the resumed process took the rest");
    assertEquals("seeded", a.path("randomness").asText());
    DpEvent spentA = DpEventJson.fromJson(a.path("spent_event").toString());
    DpEvent spentB = DpEventJson.fromJson(b.path("spent_event").toString());
    DpEvent planned = DpEventJson.fromJson(b.path("planned_event").toString());
    assertEquals(stepCounts(planned), stepCounts(spentB));
    assertEquals(stepCounts(spentB), stepCounts(spentA), "no step counted twice or forgotten");
    assertEquals(b.path("epsilon").asDouble(), a.path("epsilon").asDouble(), 1e-9 * b.path("epsilon").asDouble());

    try (PrivacyLedger l = PrivacyLedger.open(LedgerLocation.parse(ledgerA.toString()), new PldAccountant())) {
      RunRecord done = l.run(RunId.of(runId)).orElseThrow();
      assertEquals(RunStatus.COMPLETED, done.status());
      assertEquals(2, done.attempt());
      assertEquals(stepCounts(spentA), stepCounts(done.chargedEvent()));
      long runs = l.entries().stream().filter(e -> e.kind().equals(LedgerEntryKind.RUN_RESERVED.wireName())).count();
      assertEquals(1, runs, "the resume continued the same ledger run");
    }

    VideoLm ma = ModelFile.load(runA.resolve(FinetuneCommand.MODEL_FILE)).model();
    VideoLm mb = ModelFile.load(runB.resolve(FinetuneCommand.MODEL_FILE)).model();
    Map<String, float[]> pb2 = new HashMap<>();
    for (Parameter q : mb.parameters().all()) {
      pb2.put(q.name(), q.value().dup().data().asFloat());
    }
    for (Parameter q : ma.parameters().all()) {
      assertArrayEquals(pb2.get(q.name()), q.value().dup().data().asFloat(), 1e-5f, q.name());
    }
    ma.close();
    mb.close();
  }

  /** How many times each atomic step event occurs in a composed event. */
  static Map<DpEvent, Long> stepCounts(DpEvent e) {
    Map<DpEvent, Long> out = new HashMap<>();
    count(e, 1, out);
    return out;
  }

  private static void count(DpEvent e, long times, Map<DpEvent, Long> out) {
    if (e instanceof SelfComposedEvent s) {
      count(s.event(), times * s.count(), out);
    } else if (e instanceof ComposedEvent c) {
      for (DpEvent part : c.events()) {
        count(part, times, out);
      }
    } else {
      out.merge(e, times, Long::sum);
    }
  }
}
