package org.dpvideo.dpsgd.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.dpvideo.dpsgd.PrivacyUnit;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A process killed with SIGKILL while it records progress: every progress entry whose commit returned is
 * in the ledger, the chain verifies, the open reservation counts in full, and a resumed run ends with the
 * same ledger state as an uninterrupted one.
 */
class LedgerCrashTest {
  static final double DELTA = 1e-6;
  static final int STEPS = 100_000;
  static final double SIGMA = 400;
  static final DpEvent PLAN = PrivacyLedgerTest.gaussianSteps(SIGMA, STEPS);

  @TempDir
  Path tmp;
  final TestLedgers ledgers = new TestLedgers();

  @AfterEach
  void dropSchemas() throws Exception {
    ledgers.close();
  }

  static DpEvent progress(int step) {
    return PrivacyLedgerTest.gaussianSteps(SIGMA, step);
  }

  @ParameterizedTest
  @EnumSource(LedgerBackend.class)
  void killDashNine_duringProgress_losesNoAcknowledgedEntry_andResumeEndsLikeAnUninterruptedRun(LedgerBackend backend)
      throws Exception {
    LedgerLocation loc = ledgers.fresh(backend, tmp);
    DatasetId ds = DatasetId.of("c".repeat(64));
    Provenance who = new Provenance("erin", "host", 3, "test");
    try (PrivacyLedger ledger = PrivacyLedger.open(loc, LedgerTestAccountants.primary())) {
      ledger.setBudget(ds, new PrivacyBudget(10, DELTA), Optional.of(PrivacyUnit.SUBJECT), "", who);
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        LedgerCrashChild.class.getName(), loc.target(), ds.hex())
        .redirectErrorStream(true).start();
    RunId runId = null;
    int acknowledged = 0;
    StringBuilder transcript = new StringBuilder();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        transcript.append(line).append('\n');
        if (line.startsWith("reserved ")) {
          runId = RunId.of(line.substring("reserved ".length()));
        } else if (line.startsWith("progress ")) {
          acknowledged = Integer.parseInt(line.substring("progress ".length()));
          if (acknowledged >= 25) {
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no close, no final commit
            break;
          }
        }
      }
    } finally {
      child.destroyForcibly();
      assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child must die");
    }
    assertNotNull(runId, "the child never reserved: " + transcript);
    assertTrue(acknowledged >= 25, "the child died early: " + transcript);

    try (PrivacyLedger ledger = PrivacyLedger.open(loc, LedgerTestAccountants.primary())) {
      assertTrue(ledger.verify(Optional.empty()).intact(), ledger.verify(Optional.empty()).describe());
      RunRecord crashed = ledger.run(runId).orElseThrow();
      assertEquals(RunStatus.OPEN, crashed.status(), "a crashed run stays open until resumed or abandoned");
      DpEvent last = crashed.latestProgress().orElseThrow();
      int recorded = ((org.dpvideo.dpsgd.accounting.SelfComposedEvent) last).count();
      assertTrue(recorded >= acknowledged, "acknowledged progress " + acknowledged + " but the ledger has " + recorded);
      double full = GaussianOracleAccountant.gaussianEpsilon(SIGMA / Math.sqrt(STEPS), DELTA);
      assertEquals(full, ledger.balance(ds).spentEpsilon(), PrivacyLedgerTest.tolerance(full),
          "the crashed run's reservation counts in full");

      Reservation resumed = ledger.resume(runId, PLAN, who);
      assertEquals(2, resumed.attempt());
      ledger.recordProgress(resumed, progress(recorded + 1));
      ledger.complete(resumed, PLAN);
      DatasetBalance b = ledger.balance(ds);
      assertEquals(1, b.runs().size());
      assertEquals(0, b.openRuns());
      assertEquals(full, b.spentEpsilon(), PrivacyLedgerTest.tolerance(full), "same as an uninterrupted run");
      assertTrue(ledger.verify(Optional.empty()).intact());
    }
  }
}
