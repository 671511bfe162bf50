package org.dpvideo.dpsgd.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.dpvideo.dpsgd.PrivacyUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Tampering with the stored entries directly in the database, as someone with write access to the file or
 * database could: verification must name what was done and where, and reservations must stop.
 */
class LedgerTamperTest {
  static final double DELTA = 1e-6;
  static final Provenance WHO = new Provenance("carol", "host", 9, "test");

  @TempDir
  Path tmp;
  final TestLedgers ledgers = new TestLedgers();

  @AfterEach
  void dropSchemas() throws Exception {
    ledgers.close();
  }

  /** A ledger with 8 entries: created, registered, budget, reserved, 2 x progress, completed, reserved. */
  private LedgerLocation populated(LedgerBackend backend) throws Exception {
    LedgerLocation loc = ledgers.fresh(backend, tmp);
    try (PrivacyLedger ledger = PrivacyLedger.open(loc, LedgerTestAccountants.primary())) {
      DatasetId ds = DatasetId.of("d".repeat(64));
      ledger.setBudget(ds, new PrivacyBudget(30, DELTA), Optional.of(PrivacyUnit.SUBJECT), "tamper", WHO);
      Reservation r = ledger.reserve(new ReservationRequest(ds, PrivacyLedgerTest.gaussianSteps(3, 9), DELTA,
          PrivacyUnit.SUBJECT, WHO));
      ledger.recordProgress(r, PrivacyLedgerTest.gaussianSteps(3, 3));
      ledger.recordProgress(r, PrivacyLedgerTest.gaussianSteps(3, 6));
      ledger.complete(r, PrivacyLedgerTest.gaussianSteps(3, 9));
      ledger.reserve(new ReservationRequest(ds, PrivacyLedgerTest.gaussianSteps(3, 9), DELTA, PrivacyUnit.SUBJECT, WHO));
      assertEquals(8, ledger.entries().size());
      assertTrue(ledger.verify(Optional.empty()).intact());
    }
    return loc;
  }

  private static ChainVerification verify(LedgerLocation loc, Optional<String> anchor) {
    try (PrivacyLedger ledger = PrivacyLedger.open(loc, LedgerTestAccountants.primary(), LedgerOptions.forReading())) {
      return ledger.verify(anchor);
    }
  }

  private static void sql(LedgerLocation loc, String... statements) throws SQLException {
    try (Connection c = TestLedgers.raw(loc); Statement st = c.createStatement()) {
      for (String s : statements) {
        st.execute(s);
      }
    }
  }

  private static boolean reports(ChainVerification v, ChainProblem.Kind kind, long seq) {
    return v.problems().stream().anyMatch(p -> p.kind() == kind && p.seq() == seq);
  }

  @ParameterizedTest
  @EnumSource(LedgerBackend.class)
  void appendOnlyGuards_refuseUpdateAndDelete(LedgerBackend backend) throws Exception {
    LedgerLocation loc = populated(backend);
    assertThrows(SQLException.class, () -> sql(loc, "UPDATE ledger_entries SET payload = '{}' WHERE seq = 3"));
    assertThrows(SQLException.class, () -> sql(loc, "DELETE FROM ledger_entries WHERE seq = 8"));
    assertTrue(verify(loc, Optional.empty()).intact());
  }

  @ParameterizedTest
  @EnumSource(LedgerBackend.class)
  void editedEntry_isReportedAsEdited_andReservationsStop(LedgerBackend backend) throws Exception {
    LedgerLocation loc = populated(backend);
    TestLedgers.dropAppendOnlyGuards(loc);
    // Lower the budget's recorded epsilon? No: raise it, to make room for more runs.
    sql(loc, "UPDATE ledger_entries SET payload = REPLACE(payload, '\"epsilon\":30.0', '\"epsilon\":300.0') WHERE seq = 3");
    ChainVerification v = verify(loc, Optional.empty());
    assertFalse(v.intact());
    assertTrue(reports(v, ChainProblem.Kind.EDITED, 3), v.describe());
    try (PrivacyLedger ledger = PrivacyLedger.open(loc, LedgerTestAccountants.primary())) {
      LedgerIntegrityException e = assertThrows(LedgerIntegrityException.class, () -> ledger.reserve(
          new ReservationRequest(DatasetId.of("d".repeat(64)), PrivacyLedgerTest.gaussianSteps(3, 1), DELTA,
              PrivacyUnit.SUBJECT, WHO)));
      assertTrue(e.getMessage().contains("budget verify"), e.getMessage());
    }
  }

  @ParameterizedTest
  @EnumSource(LedgerBackend.class)
  void deletedEntry_isReportedAsDeleted_atItsSuccessor(LedgerBackend backend) throws Exception {
    LedgerLocation loc = populated(backend);
    TestLedgers.dropAppendOnlyGuards(loc);
    sql(loc, "DELETE FROM ledger_entries WHERE seq = 5");
    ChainVerification v = verify(loc, Optional.empty());
    assertTrue(reports(v, ChainProblem.Kind.DELETED, 6), v.describe());
  }

  @ParameterizedTest
  @EnumSource(LedgerBackend.class)
  void deletedAndRenumbered_isStillReportedAsDeleted(LedgerBackend backend) throws Exception {
    LedgerLocation loc = populated(backend);
    TestLedgers.dropAppendOnlyGuards(loc);
    sql(loc, "DELETE FROM ledger_entries WHERE seq = 5",
        "UPDATE ledger_entries SET seq = seq + 100 WHERE seq > 5",
        "UPDATE ledger_entries SET seq = seq - 101 WHERE seq > 100");
    ChainVerification v = verify(loc, Optional.empty());
    assertTrue(reports(v, ChainProblem.Kind.DELETED, 5), v.describe());
  }

  @ParameterizedTest
  @EnumSource(LedgerBackend.class)
  void reorderedEntries_areReportedAsReordered(LedgerBackend backend) throws Exception {
    LedgerLocation loc = populated(backend);
    TestLedgers.dropAppendOnlyGuards(loc);
    sql(loc, "UPDATE ledger_entries SET seq = 1000 WHERE seq = 5",
        "UPDATE ledger_entries SET seq = 5 WHERE seq = 6",
        "UPDATE ledger_entries SET seq = 6 WHERE seq = 1000");
    ChainVerification v = verify(loc, Optional.empty());
    assertTrue(reports(v, ChainProblem.Kind.REORDERED, 5), v.describe());
    assertEquals(1, v.problems().stream().filter(p -> p.kind() != ChainProblem.Kind.INCONSISTENT).count(),
        "a swap of neighbours is one finding: " + v.describe());
  }

  @ParameterizedTest
  @EnumSource(LedgerBackend.class)
  void insertedEntry_withAValidHash_isReportedAsInserted(LedgerBackend backend) throws Exception {
    LedgerLocation loc = populated(backend);
    TestLedgers.dropAppendOnlyGuards(loc);
    List<LedgerEntry> entries;
    try (PrivacyLedger ledger = PrivacyLedger.open(loc, LedgerTestAccountants.primary())) {
      entries = ledger.entries();
    }
    LedgerEntry after = entries.get(3); // #4, the first reservation
    // A forged abandonment of the run, correctly hashed and linked to #4, slipped in as #5.
    String payload = "{\"provenance\":{\"command_line\":\"\",\"host\":\"h\",\"pid\":1,\"user\":\"u\"},\"reason\":\"forged\"}";
    String hash = LedgerEntry.computeHash(after.hash(), "2030-01-01T00:00:00.000Z", "run_abandoned", after.datasetId(),
        after.runId(), payload);
    sql(loc, "UPDATE ledger_entries SET seq = seq + 100 WHERE seq >= 5",
        "UPDATE ledger_entries SET seq = seq - 99 WHERE seq > 100");
    try (Connection c = TestLedgers.raw(loc); PreparedStatement ps = c.prepareStatement(
        "INSERT INTO ledger_entries (seq, recorded_at, kind, dataset_id, run_id, payload, prev_hash, hash)"
            + " VALUES (5, '2030-01-01T00:00:00.000Z', 'run_abandoned', ?, ?, ?, ?, ?)")) {
      ps.setString(1, after.datasetId());
      ps.setString(2, after.runId());
      ps.setString(3, payload);
      ps.setString(4, after.hash());
      ps.setString(5, hash);
      ps.executeUpdate();
    }
    ChainVerification v = verify(loc, Optional.empty());
    assertTrue(reports(v, ChainProblem.Kind.INSERTED, 5), v.describe());
  }

  @ParameterizedTest
  @EnumSource(LedgerBackend.class)
  void truncatedTail_passesWithoutAnAnchor_butFailsAgainstTheExportedHead(LedgerBackend backend) throws Exception {
    LedgerLocation loc = populated(backend);
    String exportedHead = verify(loc, Optional.empty()).headHash();
    TestLedgers.dropAppendOnlyGuards(loc);
    sql(loc, "DELETE FROM ledger_entries WHERE seq >= 7");
    // What a hash chain alone cannot see (docs/ledger.md): the newest entries removed.
    assertTrue(verify(loc, Optional.empty()).intact());
    ChainVerification anchored = verify(loc, Optional.of(exportedHead));
    assertTrue(reports(anchored, ChainProblem.Kind.ANCHOR_NOT_FOUND, 0), anchored.describe());
  }

  @ParameterizedTest
  @EnumSource(LedgerBackend.class)
  void rewrittenChain_passesWithoutAnAnchor_butFailsAgainstTheExportedHead(LedgerBackend backend) throws Exception {
    LedgerLocation loc = populated(backend);
    String exportedHead = verify(loc, Optional.empty()).headHash();
    List<LedgerEntry> entries;
    try (PrivacyLedger ledger = PrivacyLedger.open(loc, LedgerTestAccountants.primary())) {
      entries = ledger.entries();
    }
    TestLedgers.dropAppendOnlyGuards(loc);
    // Raise the budget in #3 and re-hash every entry from there on.
    sql(loc, "DELETE FROM ledger_entries WHERE seq >= 3");
    String prev = entries.get(1).hash();
    try (Connection c = TestLedgers.raw(loc); PreparedStatement ps = c.prepareStatement(
        "INSERT INTO ledger_entries (seq, recorded_at, kind, dataset_id, run_id, payload, prev_hash, hash)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (LedgerEntry e : entries.subList(2, entries.size())) {
        String payload = e.seq() == 3 ? e.payload().replace("\"epsilon\":30.0", "\"epsilon\":300.0") : e.payload();
        String hash = LedgerEntry.computeHash(prev, e.recordedAt(), e.kind(), e.datasetId(), e.runId(), payload);
        ps.setLong(1, e.seq());
        ps.setString(2, e.recordedAt());
        ps.setString(3, e.kind());
        ps.setString(4, e.datasetId());
        ps.setString(5, e.runId());
        ps.setString(6, payload);
        ps.setString(7, prev);
        ps.setString(8, hash);
        ps.executeUpdate();
        prev = hash;
      }
    }
    assertTrue(verify(loc, Optional.empty()).intact(), "a consistently rewritten chain verifies on its own");
    ChainVerification anchored = verify(loc, Optional.of(exportedHead));
    assertTrue(reports(anchored, ChainProblem.Kind.ANCHOR_NOT_FOUND, 0), anchored.describe());
  }
}
