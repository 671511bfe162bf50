package org.dpvideo.dpsgd.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.dpvideo.dpsgd.PrivacyUnit;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Runs racing for one dataset's budget: each racer has its own connection (as separate processes would),
 * all are released at once by a barrier, and the budget has room for fewer runs than there are racers.
 */
class LedgerConcurrencyTest {
  static final double DELTA = 1e-6;

  @TempDir
  Path tmp;
  final TestLedgers ledgers = new TestLedgers();

  @AfterEach
  void dropSchemas() throws Exception {
    ledgers.close();
  }

  @ParameterizedTest
  @EnumSource(LedgerBackend.class)
  void twoRacingRuns_withBudgetForOne_exactlyOneIsRefused(LedgerBackend backend) throws Exception {
    LedgerLocation loc = ledgers.fresh(backend, tmp);
    for (int round = 0; round < 5; round++) {
      DatasetId ds = DatasetId.of(String.format("%064x", round + 1));
      List<Outcome> outcomes = race(loc, ds, 2, 1);
      assertEquals(1, outcomes.stream().filter(o -> o == Outcome.RESERVED).count(), "round " + round + ": " + outcomes);
      assertEquals(1, outcomes.stream().filter(o -> o == Outcome.REFUSED).count(), "round " + round + ": " + outcomes);
    }
    try (PrivacyLedger ledger = PrivacyLedger.open(loc, LedgerTestAccountants.primary())) {
      assertTrue(ledger.verify(Optional.empty()).intact());
      for (DatasetBalance b : ledger.snapshot().datasets()) {
        assertEquals(1, b.runs().size(), "one reservation per dataset");
        assertTrue(!b.overBudget(), "no dataset may end over its budget");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(LedgerBackend.class)
  void fourRacingRuns_withBudgetForTwo_exactlyTwoPass(LedgerBackend backend) throws Exception {
    LedgerLocation loc = ledgers.fresh(backend, tmp);
    DatasetId ds = DatasetId.of("7".repeat(64));
    List<Outcome> outcomes = race(loc, ds, 4, 2);
    assertEquals(2, outcomes.stream().filter(o -> o == Outcome.RESERVED).count(), outcomes.toString());
    assertEquals(2, outcomes.stream().filter(o -> o == Outcome.REFUSED).count(), outcomes.toString());
  }

  enum Outcome { RESERVED, REFUSED }

  /**
   * {@code racers} threads, each with its own ledger connection, reserve the same plan at once; the budget
   * has room for {@code room} plans composed (and not for room + 1).
   */
  private static List<Outcome> race(LedgerLocation loc, DatasetId ds, int racers, int room) throws Exception {
    DpEvent plan = PrivacyLedgerTest.gaussianSteps(2, 4); // sigma_eff = 1; k plans compose to sigma 1/sqrt(k)
    double fits = GaussianOracleAccountant.gaussianEpsilon(1 / Math.sqrt(room), DELTA);
    double over = GaussianOracleAccountant.gaussianEpsilon(1 / Math.sqrt(room + 1), DELTA);
    Provenance who = new Provenance("racer", "host", 1, "race");
    try (PrivacyLedger setup = PrivacyLedger.open(loc, LedgerTestAccountants.primary())) {
      setup.setBudget(ds, new PrivacyBudget((fits + over) / 2, DELTA), Optional.empty(), "", who);
    }
    List<PrivacyLedger> connections = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    try {
      for (int i = 0; i < racers; i++) {
        connections.add(PrivacyLedger.open(loc, LedgerTestAccountants.primary()));
      }
      CyclicBarrier start = new CyclicBarrier(racers);
      List<Future<Outcome>> futures = new ArrayList<>();
      for (PrivacyLedger ledger : connections) {
        futures.add(pool.submit(() -> {
          start.await(30, TimeUnit.SECONDS);
          try {
            ledger.reserve(new ReservationRequest(ds, plan, DELTA, PrivacyUnit.SUBJECT, who));
            return Outcome.RESERVED;
          } catch (PrivacyBudgetExceededException e) {
            return Outcome.REFUSED;
          }
        }));
      }
      List<Outcome> outcomes = new ArrayList<>();
      for (Future<Outcome> f : futures) {
        try {
          outcomes.add(f.get(120, TimeUnit.SECONDS));
        } catch (java.util.concurrent.ExecutionException e) {
          fail("a racer failed with something other than a refusal", e.getCause());
        }
      }
      return outcomes;
    } finally {
      pool.shutdownNow();
      for (PrivacyLedger l : connections) {
        l.close();
      }
    }
  }
}
