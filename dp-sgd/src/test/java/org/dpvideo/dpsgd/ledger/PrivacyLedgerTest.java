package org.dpvideo.dpsgd.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.dpvideo.dpsgd.PrivacyUnit;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.accounting.GaussianEvent;
import org.dpvideo.dpsgd.accounting.PrivacyAccountant;
import org.dpvideo.dpsgd.accounting.SelfComposedEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The ledger's run protocol and budget arithmetic, on SQLite and on PostgreSQL. */
class PrivacyLedgerTest {
  static final double DELTA = 1e-6;
  static final Provenance WHO = new Provenance("alice", "trainer-1", 4242, "dpvideo finetune --epochs 3");

  @TempDir
  Path tmp;
  final TestLedgers ledgers = new TestLedgers();

  @AfterEach
  void dropSchemas() throws Exception {
    ledgers.close();
  }

  static PrivacyAccountant accountant() {
    return LedgerTestAccountants.primary();
  }

  /** sigma^-2-additive Gaussian plan: `steps` Gaussian mechanisms with noise multiplier sigma. */
  static DpEvent gaussianSteps(double sigma, int steps) {
    return new SelfComposedEvent(new GaussianEvent(sigma), steps);
  }

  static DatasetId dataset(char c) {
    return DatasetId.of(String.valueOf(c).repeat(64));
  }

  PrivacyLedger open(LedgerBackend backend) throws Exception {
    return PrivacyLedger.open(ledgers.fresh(backend, tmp), accountant());
  }

  @ParameterizedTest
  @EnumSource(LedgerBackend.class)
  void reserve_withinBudget_isCountedInFullWhileOpen(LedgerBackend backend) throws Exception {
    try (PrivacyLedger ledger = open(backend)) {
      DatasetId ds = dataset('a');
      ledger.setBudget(ds, new PrivacyBudget(20, DELTA), Optional.of(PrivacyUnit.SUBJECT), "stickers", WHO);
      DpEvent plan = gaussianSteps(4, 100);
      Reservation r = ledger.reserve(new ReservationRequest(ds, plan, DELTA, PrivacyUnit.SUBJECT, WHO));
      ledger.recordProgress(r, gaussianSteps(4, 10));

      DatasetBalance b = ledger.balance(ds);
      assertEquals(1, b.openRuns());
      assertEquals(GaussianOracleAccountant.gaussianEpsilon(0.4, DELTA), b.spentEpsilon(), tolerance(b.spentEpsilon()),
          "an open run is charged its whole plan (sigma_eff = 4/sqrt(100) = 0.4), not its progress");
      assertEquals(0, b.closedEpsilon());
      RunRecord run = b.runs().get(0).run();
      assertEquals(RunStatus.OPEN, run.status());
      assertEquals(Optional.of(gaussianSteps(4, 10)), run.latestProgress());
      assertEquals(WHO, run.reservedBy());
      assertEquals(PrivacyUnit.SUBJECT, run.privacyUnit());
    }
  }

  @ParameterizedTest
  @EnumSource(LedgerBackend.class)
  void spentEpsilon_isTheCompositionOfAllRuns_notTheSumOfTheirEpsilons(LedgerBackend backend) throws Exception {
    try (PrivacyLedger ledger = open(backend)) {
      DatasetId ds = dataset('b');
      ledger.setBudget(ds, new PrivacyBudget(100, DELTA), Optional.empty(), "", WHO);
      double single = 0;
      for (int i = 0; i < 3; i++) {
        DpEvent plan = new GaussianEvent(3.0);
        Reservation r = ledger.reserve(new ReservationRequest(ds, plan, DELTA, PrivacyUnit.EXAMPLE, WHO));
        RunRecord done = ledger.complete(r, plan);
        assertEquals(RunStatus.COMPLETED, done.status());
        single = GaussianOracleAccountant.gaussianEpsilon(3.0, DELTA);
      }
      DatasetBalance b = ledger.balance(ds);
      // Three Gaussians with sigma 3 compose exactly into one Gaussian with sigma 3/sqrt(3).
      double exact = GaussianOracleAccountant.gaussianEpsilon(3.0 / Math.sqrt(3), DELTA);
      assertEquals(exact, b.spentEpsilon(), tolerance(exact));
      assertEquals(exact, b.closedEpsilon(), tolerance(exact));
      assertTrue(b.spentEpsilon() < 3 * single * 0.75,
          "composition (" + b.spentEpsilon() + ") must be well below the sum of epsilons (" + 3 * single + ")");
      assertEquals(PrivacyUnit.EXAMPLE, b.dataset().privacyUnit().orElseThrow(), "the first run fixes the unit");
    }
  }

  @ParameterizedTest
  @EnumSource(LedgerBackend.class)
  void subsampledRuns_areComposedByTheAccountant_notSummed(LedgerBackend backend) throws Exception {
    try (PrivacyLedger ledger = open(backend)) {
      DatasetId ds = dataset('0');
      ledger.setBudget(ds, new PrivacyBudget(100, 1e-5), Optional.empty(), "", WHO);
      DpEvent a = DpEvent.dpSgd(0.01, 1.1, 1000);
      DpEvent b = DpEvent.dpSgd(0.05, 2.0, 300);
      for (DpEvent e : List.of(a, b)) {
        Reservation r = ledger.reserve(new ReservationRequest(ds, e, 1e-5, PrivacyUnit.SUBJECT, WHO));
        ledger.complete(r, e);
      }
      PrivacyAccountant acc = accountant();
      double composed = acc.epsilon(org.dpvideo.dpsgd.accounting.ComposedEvent.of(a, b), 1e-5).epsilon();
      double sum = acc.epsilon(a, 1e-5).epsilon() + acc.epsilon(b, 1e-5).epsilon();
      DatasetBalance balance = ledger.balance(ds);
      assertEquals(composed, balance.spentEpsilon(), 1e-12);
      assertTrue(balance.spentEpsilon() < 0.9 * sum, balance.spentEpsilon() + " vs sum " + sum);
    }
  }

  @ParameterizedTest
  @EnumSource(LedgerBackend.class)
  void reserve_overBudget_isRefusedWithSpentPlannedAndBudget_andRecordsNothing(LedgerBackend backend) throws Exception {
    try (PrivacyLedger ledger = open(backend)) {
      DatasetId ds = dataset('c');
      DpEvent plan = gaussianSteps(2, 4); // sigma_eff = 1
      double one = GaussianOracleAccountant.gaussianEpsilon(1.0, DELTA);
      double two = GaussianOracleAccountant.gaussianEpsilon(1.0 / Math.sqrt(2), DELTA);
      PrivacyBudget budget = new PrivacyBudget((one + two) / 2, DELTA); // room for one run, not two
      ledger.setBudget(ds, budget, Optional.of(PrivacyUnit.SUBJECT), "", WHO);
      ledger.reserve(new ReservationRequest(ds, plan, DELTA, PrivacyUnit.SUBJECT, WHO));
      int entriesBefore = ledger.entries().size();

      PrivacyBudgetExceededException e = assertThrows(PrivacyBudgetExceededException.class,
          () -> ledger.reserve(new ReservationRequest(ds, plan, DELTA, PrivacyUnit.SUBJECT, WHO)));
      assertEquals(one, e.spentEpsilon(), tolerance(one));
      assertEquals(one, e.plannedEpsilon(), tolerance(one));
      assertEquals(two, e.totalEpsilon(), tolerance(two));
      assertEquals(budget, e.budget());
      assertEquals(1, e.priorRuns());
      assertEquals(1, e.openRuns());
      String msg = e.getMessage();
      assertTrue(msg.contains(PrivacyBudgetExceededException.fmt(one)) && msg.contains(PrivacyBudgetExceededException.fmt(two))
          && msg.contains(PrivacyBudgetExceededException.fmt(budget.epsilon())) && msg.contains("budget set"), msg);
      assertEquals(entriesBefore, ledger.entries().size(), "a refused run leaves no entry");
      assertEquals(1, ledger.balance(ds).runs().size());
    }
  }

  @ParameterizedTest
  @EnumSource(LedgerBackend.class)
  void complete_withAnEarlyStop_chargesTheFinalEvent_andFreesTheRest(LedgerBackend backend) throws Exception {
    try (PrivacyLedger ledger = open(backend)) {
      DatasetId ds = dataset('d');
      // Room for sigma_eff = 1/sqrt(1.25) (one step at sigma 2 plus a plan with sigma_eff 1), not for two plans.
      double budget = GaussianOracleAccountant.gaussianEpsilon(1 / Math.sqrt(1.25), DELTA) * 1.01;
      ledger.setBudget(ds, new PrivacyBudget(budget, DELTA), Optional.empty(), "", WHO);
      DpEvent plan = gaussianSteps(2, 4); // sigma_eff = 1
      Reservation r = ledger.reserve(new ReservationRequest(ds, plan, DELTA, PrivacyUnit.SUBJECT, WHO));
      // While the first run is open it counts in full: two plans compose to sigma_eff = 1/sqrt(2), over budget.
      assertThrows(PrivacyBudgetExceededException.class,
          () -> ledger.reserve(new ReservationRequest(ds, plan, DELTA, PrivacyUnit.SUBJECT, WHO)));
      ledger.complete(r, gaussianSteps(2, 1)); // stopped after one step of four
      DatasetBalance b = ledger.balance(ds);
      double early = GaussianOracleAccountant.gaussianEpsilon(2.0, DELTA);
      assertEquals(early, b.spentEpsilon(), tolerance(early));
      assertEquals(0, b.openRuns());
      ledger.reserve(new ReservationRequest(ds, plan, DELTA, PrivacyUnit.SUBJECT, WHO));
      double both = GaussianOracleAccountant.gaussianEpsilon(1 / Math.sqrt(1.25), DELTA);
      assertEquals(both, ledger.balance(ds).spentEpsilon(), tolerance(both));
    }
  }

  @ParameterizedTest
  @EnumSource(LedgerBackend.class)
  void abandon_keepsTheWholeReservationCharged_andEndsTheRun(LedgerBackend backend) throws Exception {
    try (PrivacyLedger ledger = open(backend)) {
      DatasetId ds = dataset('e');
      ledger.setBudget(ds, new PrivacyBudget(50, DELTA), Optional.empty(), "", WHO);
      Reservation r = ledger.reserve(new ReservationRequest(ds, gaussianSteps(3, 9), DELTA, PrivacyUnit.SUBJECT, WHO));
      ledger.recordProgress(r, gaussianSteps(3, 2));
      RunRecord abandoned = ledger.abandon(r.runId(), "machine lost", WHO);
      assertEquals(RunStatus.ABANDONED, abandoned.status());
      assertEquals(Optional.of("machine lost"), abandoned.abandonReason());
      double planned = GaussianOracleAccountant.gaussianEpsilon(1.0, DELTA);
      DatasetBalance b = ledger.balance(ds);
      assertEquals(planned, b.spentEpsilon(), tolerance(planned), "an abandoned run is charged in full");
      assertEquals(planned, b.closedEpsilon(), tolerance(planned));
      IllegalStateException late = assertThrows(IllegalStateException.class,
          () -> ledger.recordProgress(r, gaussianSteps(3, 3)));
      assertTrue(late.getMessage().contains("abandoned"), late.getMessage());
      assertThrows(IllegalStateException.class, () -> ledger.abandon(r.runId(), "again", WHO));
      assertThrows(IllegalStateException.class, () -> ledger.complete(r, gaussianSteps(3, 9)));
    }
  }

  @ParameterizedTest
  @EnumSource(LedgerBackend.class)
  void resume_continuesTheSameRun_andTheOldAttemptCanNoLongerRecord(LedgerBackend backend) throws Exception {
    LedgerLocation loc = ledgers.fresh(backend, tmp);
    DatasetId ds = dataset('f');
    DpEvent plan = gaussianSteps(5, 25);
    Reservation first;
    try (PrivacyLedger ledger = PrivacyLedger.open(loc, accountant())) {
      ledger.setBudget(ds, new PrivacyBudget(10, DELTA), Optional.empty(), "", WHO);
      first = ledger.reserve(new ReservationRequest(ds, plan, DELTA, PrivacyUnit.SUBJECT, WHO));
      ledger.recordProgress(first, gaussianSteps(5, 10));
    }
    Provenance resumer = new Provenance("bob", "trainer-2", 77, "dpvideo finetune --resume run-dir");
    try (PrivacyLedger ledger = PrivacyLedger.open(loc, accountant());
        PrivacyLedger stale = PrivacyLedger.open(loc, accountant())) {
      Reservation second = ledger.resume(first.runId(), plan, resumer);
      assertEquals(first.runId(), second.runId());
      assertEquals(2, second.attempt());
      assertEquals(Optional.of(gaussianSteps(5, 10)), second.latestProgress());

      IllegalStateException fenced = assertThrows(IllegalStateException.class,
          () -> stale.recordProgress(first, gaussianSteps(5, 11)));
      assertTrue(fenced.getMessage().contains("attempt 2"), fenced.getMessage());

      ledger.recordProgress(second, gaussianSteps(5, 20));
      RunRecord done = ledger.complete(second, plan);
      assertEquals(RunStatus.COMPLETED, done.status());
      assertEquals(2, done.attempt());
      // The same ledger state as an uninterrupted run: one run, charged its plan.
      DatasetBalance b = ledger.balance(ds);
      assertEquals(1, b.runs().size());
      double eps = GaussianOracleAccountant.gaussianEpsilon(1.0, DELTA);
      assertEquals(eps, b.spentEpsilon(), tolerance(eps));
      assertTrue(ledger.verify(Optional.empty()).intact());
      assertThrows(IllegalStateException.class, () -> ledger.resume(first.runId(), plan, resumer),
          "a completed run cannot be resumed");
    }
  }

  @ParameterizedTest
  @EnumSource(LedgerBackend.class)
  void resume_withAnotherPlan_isRefused(LedgerBackend backend) throws Exception {
    try (PrivacyLedger ledger = open(backend)) {
      DatasetId ds = dataset('1');
      ledger.setBudget(ds, new PrivacyBudget(10, DELTA), Optional.empty(), "", WHO);
      Reservation r = ledger.reserve(new ReservationRequest(ds, gaussianSteps(5, 25), DELTA, PrivacyUnit.SUBJECT, WHO));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ledger.resume(r.runId(), gaussianSteps(5, 50), WHO));
      assertTrue(e.getMessage().contains("reserved plan"), e.getMessage());
      assertEquals(1, ledger.run(r.runId()).orElseThrow().attempt(), "a refused resume records nothing");
    }
  }

  @ParameterizedTest
  @EnumSource(LedgerBackend.class)
  void progressBeyondTheReservation_isRecordedAndCharged_andStopsTheRun(LedgerBackend backend) throws Exception {
    try (PrivacyLedger ledger = open(backend)) {
      DatasetId ds = dataset('2');
      ledger.setBudget(ds, new PrivacyBudget(50, DELTA), Optional.empty(), "", WHO);
      Reservation r = ledger.reserve(new ReservationRequest(ds, gaussianSteps(2, 4), DELTA, PrivacyUnit.SUBJECT, WHO));
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> ledger.recordProgress(r, gaussianSteps(2, 9)));
      assertTrue(e.getMessage().contains("more than it reserved"), e.getMessage());
      RunRecord run = ledger.run(r.runId()).orElseThrow();
      assertTrue(run.exceededReservation());
      assertEquals(gaussianSteps(2, 9), run.chargedEvent());
      double charged = GaussianOracleAccountant.gaussianEpsilon(2.0 / 3, DELTA);
      assertEquals(charged, ledger.balance(ds).spentEpsilon(), tolerance(charged));
      // Completing with a smaller (buggy) final event keeps the larger charge.
      ledger.complete(r, gaussianSteps(2, 4));
      assertEquals(charged, ledger.balance(ds).spentEpsilon(), tolerance(charged));
    }
  }

  @ParameterizedTest
  @EnumSource(LedgerBackend.class)
  void reserve_withoutBudgetOrOnAnUnknownDataset_isRefusedWithTheCommandToFixIt(LedgerBackend backend) throws Exception {
    try (PrivacyLedger ledger = open(backend)) {
      DatasetId unknown = dataset('3');
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> ledger.reserve(new ReservationRequest(unknown, gaussianSteps(2, 4), DELTA, PrivacyUnit.SUBJECT, WHO)));
      assertTrue(e.getMessage().contains("budget set --dataset " + unknown.hex()), e.getMessage());

      DatasetFingerprint fp = new DatasetFingerprint(dataset('4'), "5".repeat(64), 3, 1000);
      ledger.registerDataset(fp, "clips/manifest.csv", WHO);
      IllegalStateException noBudget = assertThrows(IllegalStateException.class,
          () -> ledger.reserve(new ReservationRequest(fp.id(), gaussianSteps(2, 4), DELTA, PrivacyUnit.SUBJECT, WHO)));
      assertTrue(noBudget.getMessage().contains("has no privacy budget"), noBudget.getMessage());
    }
  }

  @ParameterizedTest
  @EnumSource(LedgerBackend.class)
  void privacyUnit_mismatch_isRefused_forRunsAndBudgets(LedgerBackend backend) throws Exception {
    try (PrivacyLedger ledger = open(backend)) {
      DatasetId ds = dataset('5');
      ledger.setBudget(ds, new PrivacyBudget(10, DELTA), Optional.of(PrivacyUnit.SUBJECT), "", WHO);
      IllegalArgumentException run = assertThrows(IllegalArgumentException.class,
          () -> ledger.reserve(new ReservationRequest(ds, gaussianSteps(2, 4), DELTA, PrivacyUnit.EXAMPLE, WHO)));
      assertTrue(run.getMessage().contains("--privacy-unit subject"), run.getMessage());
      assertThrows(IllegalArgumentException.class,
          () -> ledger.setBudget(ds, new PrivacyBudget(10, DELTA), Optional.of(PrivacyUnit.EXAMPLE), "", WHO));
      // Keeping the unit while changing the numbers is fine.
      ledger.setBudget(ds, new PrivacyBudget(12, 1e-7), Optional.empty(), "", WHO);
      assertEquals(new PrivacyBudget(12, 1e-7), ledger.balance(ds).budget().orElseThrow());
    }
  }

  @ParameterizedTest
  @EnumSource(LedgerBackend.class)
  void privacyUnit_fixedByTheFirstRun_cannotBeChangedByABudget(LedgerBackend backend) throws Exception {
    try (PrivacyLedger ledger = open(backend)) {
      DatasetId ds = dataset('8');
      ledger.setBudget(ds, new PrivacyBudget(10, DELTA), Optional.empty(), "", WHO);
      ledger.reserve(new ReservationRequest(ds, gaussianSteps(4, 4), DELTA, PrivacyUnit.SUBJECT, WHO));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ledger.setBudget(ds, new PrivacyBudget(10, DELTA), Optional.of(PrivacyUnit.EXAMPLE), "", WHO));
      assertTrue(e.getMessage().contains("per subject"), e.getMessage());
      ledger.setBudget(ds, new PrivacyBudget(11, DELTA), Optional.of(PrivacyUnit.SUBJECT), "", WHO);
      assertTrue(ledger.verify(Optional.empty()).intact(), ledger.verify(Optional.empty()).describe());
    }
  }

  @ParameterizedTest
  @EnumSource(LedgerBackend.class)
  void budgetDelta_change_recomposesEveryRunAtTheNewDelta(LedgerBackend backend) throws Exception {
    try (PrivacyLedger ledger = open(backend)) {
      DatasetId ds = dataset('6');
      ledger.setBudget(ds, new PrivacyBudget(10, 1e-5), Optional.empty(), "", WHO);
      Reservation r = ledger.reserve(new ReservationRequest(ds, gaussianSteps(2, 4), 1e-5, PrivacyUnit.SUBJECT, WHO));
      ledger.complete(r, gaussianSteps(2, 4));
      ledger.setBudget(ds, new PrivacyBudget(10, 1e-9), Optional.empty(), "", WHO);
      double at = GaussianOracleAccountant.gaussianEpsilon(1.0, 1e-9);
      assertEquals(at, ledger.balance(ds).spentEpsilon(), tolerance(at));
    }
  }

  @ParameterizedTest
  @EnumSource(LedgerBackend.class)
  void reopenedLedger_keepsEveryEntry_andVerifies(LedgerBackend backend) throws Exception {
    LedgerLocation loc = ledgers.fresh(backend, tmp);
    List<LedgerEntry> before;
    try (PrivacyLedger ledger = PrivacyLedger.open(loc, accountant())) {
      DatasetId ds = dataset('7');
      ledger.registerDataset(new DatasetFingerprint(ds, "8".repeat(64), 12, 34567), "set-7", WHO);
      ledger.setBudget(ds, new PrivacyBudget(10, DELTA), Optional.of(PrivacyUnit.SUBJECT), "", WHO);
      Reservation r = ledger.reserve(new ReservationRequest(ds, gaussianSteps(3, 4), DELTA, PrivacyUnit.SUBJECT, WHO));
      ledger.recordProgress(r, gaussianSteps(3, 2));
      before = ledger.entries();
    }
    try (PrivacyLedger ledger = PrivacyLedger.open(loc, accountant(), LedgerOptions.forReading())) {
      assertEquals(before, ledger.entries());
      ChainVerification v = ledger.verify(Optional.of(before.get(before.size() - 1).hash()));
      assertTrue(v.intact(), v.describe());
      assertEquals(Optional.of(0L), v.entriesAfterAnchor());
      LedgerSnapshot s = ledger.snapshot();
      assertEquals(1, s.datasets().size());
      DatasetRecord d = s.datasets().get(0).dataset();
      assertEquals("set-7", d.label());
      assertEquals(12, d.fingerprint().orElseThrow().fileCount());
      assertEquals(LedgerEntryKind.LEDGER_CREATED.wireName(), before.get(0).kind());
    }
  }

  @ParameterizedTest
  @EnumSource(LedgerBackend.class)
  void registerDataset_twice_writesOneEntry_andFillsInDetailsOfAnIdOnlyDataset(LedgerBackend backend) throws Exception {
    try (PrivacyLedger ledger = open(backend)) {
      DatasetId ds = dataset('9');
      ledger.setBudget(ds, new PrivacyBudget(3, DELTA), Optional.empty(), "", WHO);
      DatasetFingerprint fp = new DatasetFingerprint(ds, "a".repeat(64), 5, 500);
      ledger.registerDataset(fp, "later-label", WHO);
      int n = ledger.entries().size();
      DatasetRecord again = ledger.registerDataset(fp, "other", WHO);
      assertEquals(n, ledger.entries().size());
      assertEquals(Optional.of(fp), again.fingerprint());
      assertEquals("later-label", again.label());
      assertEquals(new PrivacyBudget(3, DELTA), again.budget().orElseThrow());
    }
  }

  @ParameterizedTest
  @EnumSource(LedgerBackend.class)
  void openForReading_whereNoLedgerIs_isAClearErrorAndCreatesNothing(LedgerBackend backend) throws Exception {
    LedgerLocation loc = ledgers.fresh(backend, tmp);
    LedgerUnavailableException e = assertThrows(LedgerUnavailableException.class,
        () -> PrivacyLedger.open(loc, accountant(), LedgerOptions.forReading()));
    assertEquals(LedgerUnavailableException.Reason.MISSING, e.reason());
    assertTrue(e.getMessage().contains("--ledger"), e.getMessage());
    if (backend == LedgerBackend.SQLITE) {
      assertFalse(java.nio.file.Files.exists(loc.file()), "a read must not create a ledger file");
    }
  }

  @ParameterizedTest
  @EnumSource(LedgerBackend.class)
  void resolveDataset_byPrefixOrLabel_findsIt_andAmbiguityIsExplained(LedgerBackend backend) throws Exception {
    try (PrivacyLedger ledger = open(backend)) {
      DatasetId a = DatasetId.of("abcd0" + "0".repeat(59));
      DatasetId b = DatasetId.of("abcd1" + "0".repeat(59));
      ledger.setBudget(a, new PrivacyBudget(1, DELTA), Optional.empty(), "alpha", WHO);
      ledger.setBudget(b, new PrivacyBudget(1, DELTA), Optional.empty(), "beta", WHO);
      assertEquals(a, ledger.resolveDataset("ABCD0"));
      assertEquals(b, ledger.resolveDataset("beta"));
      IllegalArgumentException amb = assertThrows(IllegalArgumentException.class, () -> ledger.resolveDataset("abcd"));
      assertTrue(amb.getMessage().contains("2 datasets"), amb.getMessage());
      IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> ledger.resolveDataset("ffff"));
      assertTrue(none.getMessage().contains("alpha"), none.getMessage());
    }
  }

  /** Tolerance for comparing the ledger's epsilon with the exact one: tight for the oracle, PLD's discretization otherwise. */
  static double tolerance(double expected) {
    return LedgerTestAccountants.relativeTolerance() * Math.max(1, Math.abs(expected));
  }
}
