package org.dpvideo.dpsgd.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.dpvideo.dpsgd.PrivacyUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Damaged, foreign and locked ledgers: a clear error (what, which ledger, what to do), and nothing already
 * recorded is lost or modified.
 */
class LedgerStorageFailureTest {
  static final double DELTA = 1e-6;
  static final Provenance WHO = new Provenance("dave", "host", 5, "test");

  @TempDir
  Path tmp;
  final TestLedgers ledgers = new TestLedgers();

  @AfterEach
  void dropSchemas() throws Exception {
    ledgers.close();
  }

  @Test
  void garbageFile_isRefusedWithItsPath_andLeftByteForByte() throws Exception {
    Path file = tmp.resolve("ledger.db");
    byte[] garbage = new byte[10_000];
    new Random(7).nextBytes(garbage);
    Files.write(file, garbage);
    for (LedgerOptions options : List.of(LedgerOptions.forWriting(), LedgerOptions.forReading())) {
      LedgerUnavailableException e = assertThrows(LedgerUnavailableException.class,
          () -> PrivacyLedger.open(LedgerLocation.sqlite(file), LedgerTestAccountants.primary(), options));
      assertTrue(e.reason() == LedgerUnavailableException.Reason.NOT_A_LEDGER
          || e.reason() == LedgerUnavailableException.Reason.CORRUPTED, e.reason().toString());
      assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
      assertTrue(e.getMessage().contains("not modified"), e.getMessage());
    }
    assertArrayEquals(garbage, Files.readAllBytes(file), "a damaged ledger must never be rewritten");
  }

  @Test
  void truncatedFile_isReportedAsDamaged_andLeftByteForByte() throws Exception {
    Path file = tmp.resolve("ledger.db");
    LedgerLocation loc = LedgerLocation.sqlite(file);
    try (PrivacyLedger ledger = PrivacyLedger.open(loc, LedgerTestAccountants.primary())) {
      DatasetId ds = DatasetId.of("e".repeat(64));
      ledger.setBudget(ds, new PrivacyBudget(1000, DELTA), Optional.empty(), "", WHO);
      Reservation r = ledger.reserve(new ReservationRequest(ds, PrivacyLedgerTest.gaussianSteps(50, 500), DELTA,
          PrivacyUnit.SUBJECT, WHO));
      for (int i = 1; i <= 150; i++) {
        ledger.recordProgress(r, PrivacyLedgerTest.gaussianSteps(50, i));
      }
    }
    long size = Files.size(file);
    assertTrue(size > 8 * 4096, "the ledger should span many pages, has " + size + " bytes");
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(size / 2);
    }
    byte[] damaged = Files.readAllBytes(file);
    LedgerUnavailableException e = assertThrows(LedgerUnavailableException.class,
        () -> PrivacyLedger.open(loc, LedgerTestAccountants.primary()));
    assertEquals(LedgerUnavailableException.Reason.CORRUPTED, e.reason(), e.getMessage());
    assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("backup"), e.getMessage());
    assertArrayEquals(damaged, Files.readAllBytes(file), "a damaged ledger must never be rewritten");
  }

  @Test
  void foreignSqliteDatabase_isRefused_andNotModified() throws Exception {
    Path file = tmp.resolve("other.db");
    try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE customers (id INTEGER)");
    }
    byte[] before = Files.readAllBytes(file);
    LedgerUnavailableException e = assertThrows(LedgerUnavailableException.class,
        () -> PrivacyLedger.open(LedgerLocation.sqlite(file), LedgerTestAccountants.primary()));
    assertEquals(LedgerUnavailableException.Reason.NOT_A_LEDGER, e.reason());
    assertTrue(e.getMessage().contains("customers"), e.getMessage());
    assertArrayEquals(before, Files.readAllBytes(file));
  }

  @Test
  void directoryAsLedgerPath_isRefused() {
    LedgerUnavailableException e = assertThrows(LedgerUnavailableException.class,
        () -> PrivacyLedger.open(LedgerLocation.sqlite(tmp), LedgerTestAccountants.primary()));
    assertEquals(LedgerUnavailableException.Reason.NOT_A_LEDGER, e.reason());
    assertTrue(e.getMessage().contains("directory"), e.getMessage());
  }

  @Test
  void newerSchemaVersion_isRefused_untouched() throws Exception {
    Path file = tmp.resolve("ledger.db");
    LedgerLocation loc = LedgerLocation.sqlite(file);
    PrivacyLedger.open(loc, LedgerTestAccountants.primary()).close();
    try (Connection c = TestLedgers.raw(loc); Statement st = c.createStatement()) {
      st.execute("INSERT INTO ledger_schema (version, migrated_at, description) VALUES (99, 'later', 'future')");
    }
    LedgerUnavailableException e = assertThrows(LedgerUnavailableException.class,
        () -> PrivacyLedger.open(loc, LedgerTestAccountants.primary()));
    assertEquals(LedgerUnavailableException.Reason.NEWER_SCHEMA, e.reason());
    assertTrue(e.getMessage().contains("99") && e.getMessage().contains("Upgrade"), e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(LedgerBackend.class)
  void writeLockHeldByAnotherConnection_givesALockedError_readsGoOn_andNothingIsLost(LedgerBackend backend)
      throws Exception {
    LedgerLocation loc = ledgers.fresh(backend, tmp);
    DatasetId ds = DatasetId.of("f".repeat(64));
    List<LedgerEntry> before;
    try (PrivacyLedger ledger = PrivacyLedger.open(loc, LedgerTestAccountants.primary())) {
      ledger.setBudget(ds, new PrivacyBudget(5, DELTA), Optional.empty(), "", WHO);
      before = ledger.entries();
    }
    LedgerOptions impatient = LedgerOptions.forWriting().withLockTimeout(Duration.ofMillis(300));
    try (Connection holder = TestLedgers.raw(loc); Statement st = holder.createStatement();
        PrivacyLedger ledger = PrivacyLedger.open(loc, LedgerTestAccountants.primary(), impatient)) {
      if (backend == LedgerBackend.SQLITE) {
        st.execute("BEGIN IMMEDIATE");
      } else {
        holder.setAutoCommit(false);
        st.execute("LOCK TABLE ledger_entries IN EXCLUSIVE MODE");
      }
      LedgerUnavailableException e = assertThrows(LedgerUnavailableException.class, () -> ledger.reserve(
          new ReservationRequest(ds, PrivacyLedgerTest.gaussianSteps(4, 4), DELTA, PrivacyUnit.SUBJECT, WHO)));
      assertEquals(LedgerUnavailableException.Reason.LOCKED, e.reason(), e.getMessage());
      assertTrue(e.getMessage().contains("Retry"), e.getMessage());
      assertEquals(before, ledger.entries(), "readers are not blocked by a writer");
      if (backend == LedgerBackend.SQLITE) {
        st.execute("ROLLBACK");
      } else {
        holder.rollback();
      }
      // Once the lock is released, the same connection writes again, after every earlier entry.
      ledger.reserve(new ReservationRequest(ds, PrivacyLedgerTest.gaussianSteps(4, 4), DELTA, PrivacyUnit.SUBJECT, WHO));
      List<LedgerEntry> after = ledger.entries();
      assertEquals(before, after.subList(0, before.size()));
      assertEquals(before.size() + 1, after.size());
      assertTrue(ledger.verify(Optional.empty()).intact());
    }
  }

  @Test
  void unreachablePostgres_isAClearError_withoutThePassword() {
    LedgerLocation loc = LedgerLocation.parse("jdbc:postgresql://127.0.0.1:1/nowhere?user=x&password=hunter2");
    LedgerUnavailableException e = assertThrows(LedgerUnavailableException.class,
        () -> PrivacyLedger.open(loc, LedgerTestAccountants.primary()));
    assertEquals(LedgerUnavailableException.Reason.UNREACHABLE, e.reason(), e.getMessage());
    assertTrue(!e.getMessage().contains("hunter2") && e.getMessage().contains("password=***"), e.getMessage());
  }
}
