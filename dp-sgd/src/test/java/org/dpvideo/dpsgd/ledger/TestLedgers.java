package org.dpvideo.dpsgd.ledger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.dpvideo.testkit.Fixtures;

/**
 * Ledger locations for tests that run against both backends: a SQLite file in a temporary directory, or a
 * fresh schema in the PostgreSQL test database made by {@code .ci/fixtures.d/30-postgres.sh} (skipped
 * locally when that fixture is missing, failed in CI). Call {@link #close()} after each test.
 */
final class TestLedgers implements AutoCloseable {
  static final String POSTGRES_FIXTURE = "postgres/jdbc-url";
  static final String POSTGRES_SCRIPT = ".ci/fixtures.d/30-postgres.sh";

  private final List<String> schemas = new ArrayList<>();
  private String postgresUrl;

  /** A new, empty ledger location on {@code backend}. */
  LedgerLocation fresh(LedgerBackend backend, Path tempDir) throws Exception {
    if (backend == LedgerBackend.SQLITE) {
      return LedgerLocation.sqlite(tempDir.resolve("ledger-" + UUID.randomUUID() + ".db"));
    }
    if (postgresUrl == null) {
      postgresUrl = Files.readString(Fixtures.require(POSTGRES_FIXTURE, POSTGRES_SCRIPT)).trim();
    }
    String schema = "ledger_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection c = DriverManager.getConnection(postgresUrl); Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + schema);
    }
    schemas.add(schema);
    return new LedgerLocation(LedgerBackend.POSTGRESQL,
        postgresUrl + (postgresUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema);
  }

  /** A raw JDBC connection to the ledger's database (for tampering and locking in tests). */
  static Connection raw(LedgerLocation location) throws SQLException {
    if (location.backend() == LedgerBackend.SQLITE) {
      return DriverManager.getConnection("jdbc:sqlite:" + location.target());
    }
    return DriverManager.getConnection(location.target());
  }

  /** Lifts the append-only triggers, as an attacker with database access can. */
  static void dropAppendOnlyGuards(LedgerLocation location) throws SQLException {
    try (Connection c = raw(location); Statement st = c.createStatement()) {
      if (location.backend() == LedgerBackend.SQLITE) {
        st.execute("DROP TRIGGER ledger_entries_no_update");
        st.execute("DROP TRIGGER ledger_entries_no_delete");
      } else {
        st.execute("DROP TRIGGER ledger_entries_append_only ON ledger_entries");
        st.execute("DROP TRIGGER ledger_entries_no_truncate ON ledger_entries");
      }
    }
  }

  @Override
  public void close() throws SQLException {
    if (postgresUrl == null || schemas.isEmpty()) {
      return;
    }
    try (Connection c = DriverManager.getConnection(postgresUrl); Statement st = c.createStatement()) {
      for (String s : schemas) {
        st.execute("DROP SCHEMA IF EXISTS " + s + " CASCADE");
      }
    }
    schemas.clear();
  }
}
