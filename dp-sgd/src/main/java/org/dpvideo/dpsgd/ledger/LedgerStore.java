package org.dpvideo.dpsgd.ledger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.sqlite.SQLiteConfig;

/**
 * The JDBC side of the ledger: one connection, the schema and its version, reading entries, and appending
 * entries inside a write transaction that excludes every other writer.
 *
 * <p>Writers are serialized because every entry links to the one before it. SQLite: {@code BEGIN IMMEDIATE}
 * takes the database's write lock before the transaction reads anything, waiting up to the busy timeout;
 * WAL mode lets readers go on meanwhile; {@code synchronous=FULL} makes each commit durable before it
 * returns. PostgreSQL: {@code LOCK TABLE ledger_entries IN EXCLUSIVE MODE} at the start of a READ COMMITTED
 * transaction (plain reads continue, other writers wait up to {@code lock_timeout}); every statement after
 * the lock sees every transaction committed before it.
 *
 * <p>Not thread-safe: {@link PrivacyLedger} serializes calls.
 */
final class LedgerStore implements AutoCloseable {
  /** The schema version this code writes. */
  static final int SCHEMA_VERSION = 1;
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final String COLUMNS = "seq, recorded_at, kind, dataset_id, run_id, payload, prev_hash, hash";

  private final LedgerLocation location;
  private final LedgerOptions options;
  private final Connection conn;

  private LedgerStore(LedgerLocation location, LedgerOptions options, Connection conn) {
    this.location = location;
    this.options = options;
    this.conn = conn;
  }

  /** Work done inside a write transaction. */
  @FunctionalInterface
  interface WriteWork<T> {
    T run(Txn txn) throws SQLException;
  }

  /**
   * Opens (and when allowed creates) the ledger at {@code location}, checking its schema version and, for
   * SQLite, the file's integrity. Never modifies a file it cannot read as a ledger.
   */
  static LedgerStore open(LedgerLocation location, LedgerOptions options, Provenance creator) {
    Connection c = connect(location, options);
    LedgerStore store = new LedgerStore(location, options, c);
    try {
      store.prepareSchema(creator);
      return store;
    } catch (RuntimeException e) {
      store.close();
      throw e;
    } catch (SQLException e) {
      store.close();
      throw store.translate(e, "open the ledger");
    }
  }

  LedgerLocation location() {
    return location;
  }

  static String timestamp(Instant t) {
    return TIMESTAMP.format(t);
  }

  // ---------------------------------------------------------------- connecting

  private static Connection connect(LedgerLocation location, LedgerOptions options) {
    int timeoutMs = (int) options.lockTimeout().toMillis();
    if (location.backend() == LedgerBackend.SQLITE) {
      Path file = location.file();
      if (Files.isDirectory(file)) {
        throw new LedgerUnavailableException(LedgerUnavailableException.Reason.NOT_A_LEDGER, location,
            "the ledger path " + file + " is a directory; --ledger needs a file path (or a jdbc:postgresql: URL)",
            null);
      }
      if (!Files.exists(file)) {
        if (!options.createIfMissing()) {
          throw new LedgerUnavailableException(LedgerUnavailableException.Reason.MISSING, location,
              "there is no ledger at " + file + ": nothing has been recorded there. Check --ledger (the default"
                  + " is ~/" + LedgerLocation.DEFAULT_RELATIVE_PATH + "); a ledger is created by the first"
                  + " `dpvideo budget set` or private run", null);
        }
        try {
          Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
          throw new LedgerUnavailableException(LedgerUnavailableException.Reason.ACCESS_DENIED, location,
              "cannot create the directory of the ledger " + file + ": " + e.getMessage()
                  + "; pick a writable location with --ledger", e);
        }
      }
      SQLiteConfig cfg = new SQLiteConfig();
      cfg.setBusyTimeout(timeoutMs);
      cfg.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
      try {
        return cfg.createConnection("jdbc:sqlite:" + file);
      } catch (SQLException e) {
        throw translate(e, location, options, "open the ledger");
      }
    }
    Properties props = new Properties();
    props.setProperty("connectTimeout", "10");
    props.setProperty("ApplicationName", "dpvideo ledger");
    try {
      Connection c = DriverManager.getConnection(location.target(), props);
      try (Statement st = c.createStatement()) {
        st.execute("SET lock_timeout = " + timeoutMs);
      }
      return c;
    } catch (SQLException e) {
      throw translate(e, location, options, "connect to the ledger");
    }
  }

  // ---------------------------------------------------------------- schema

  private void prepareSchema(Provenance creator) throws SQLException {
    if (location.backend() == LedgerBackend.SQLITE) {
      quickCheck();
    }
    if (tableExists("ledger_schema")) {
      checkVersion();
      useWriteAheadLog();
      return;
    }
    if (!options.createIfMissing()) {
      throw new LedgerUnavailableException(LedgerUnavailableException.Reason.MISSING, location,
          "there is no dpvideo ledger at " + location.display() + " (the database has no ledger tables): nothing"
              + " has been recorded there. Check --ledger; a ledger is created by the first `dpvideo budget set`"
              + " or private run", null);
    }
    if (location.backend() == LedgerBackend.SQLITE) {
      List<String> others = new ArrayList<>();
      try (Statement st = conn.createStatement();
          ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
        while (rs.next()) {
          others.add(rs.getString(1));
        }
      }
      if (!others.isEmpty()) {
        throw new LedgerUnavailableException(LedgerUnavailableException.Reason.NOT_A_LEDGER, location,
            "the file " + location.display() + " is a SQLite database of something else (tables " + others
                + "), not a dpvideo ledger; dpvideo did not modify it. Point --ledger at a new file", null);
      }
    }
    useWriteAheadLog();
    write("create the ledger", txn -> {
      if (tableExists("ledger_schema")) {
        return null; // another process created it while we waited for the lock
      }
      try (Statement st = conn.createStatement()) {
        for (String ddl : ddl()) {
          st.execute(ddl);
        }
      }
      try (PreparedStatement ps = conn.prepareStatement(
          "INSERT INTO ledger_schema (version, migrated_at, description) VALUES (?, ?, ?)")) {
        ps.setInt(1, SCHEMA_VERSION);
        ps.setString(2, timestamp(options.clock().instant()));
        ps.setString(3, "append-only hash-chained entries (dpvideo-ledger-entry-v1)");
        ps.executeUpdate();
      }
      var payload = CanonicalJson.object();
      payload.put("schema_version", SCHEMA_VERSION);
      payload.set("provenance", CanonicalJson.provenance(creator));
      txn.append(LedgerEntryKind.LEDGER_CREATED, "", "", CanonicalJson.write(payload));
      return null;
    });
  }

  /**
   * SQLite only: WAL mode (readers never wait for the writer; a commit is one append to the log file).
   * Set only once the file is known to be a ledger or empty, so that a foreign database is never changed.
   */
  private void useWriteAheadLog() throws SQLException {
    if (location.backend() != LedgerBackend.SQLITE) {
      return;
    }
    try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("PRAGMA journal_mode = WAL")) {
      String mode = rs.next() ? rs.getString(1) : "";
      if (!"wal".equalsIgnoreCase(mode)) {
        throw new LedgerUnavailableException(LedgerUnavailableException.Reason.IO_ERROR, location, "cannot switch"
            + " the ledger " + location.display() + " to write-ahead logging (SQLite answered '" + mode + "');"
            + " use a local file system that supports shared memory, or a PostgreSQL ledger", null);
      }
    }
  }

  private void quickCheck() throws SQLException {
    List<String> findings = new ArrayList<>();
    try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("PRAGMA quick_check")) {
      while (rs.next() && findings.size() < 5) {
        findings.add(rs.getString(1));
      }
    }
    if (!(findings.size() == 1 && "ok".equalsIgnoreCase(findings.get(0)))) {
      throw corrupted("SQLite's integrity check reports: " + String.join("; ", findings), null);
    }
  }

  private void checkVersion() throws SQLException {
    int version;
    try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT MAX(version) FROM ledger_schema")) {
      version = rs.next() ? rs.getInt(1) : 0;
    }
    if (version > SCHEMA_VERSION) {
      throw new LedgerUnavailableException(LedgerUnavailableException.Reason.NEWER_SCHEMA, location,
          "the ledger " + location.display() + " has schema version " + version + ", written by a newer dpvideo;"
              + " this dpvideo understands up to version " + SCHEMA_VERSION + ". Upgrade dpvideo to use it"
              + " (dpvideo did not modify it)", null);
    }
    if (version < 1 || !tableExists("ledger_entries")) {
      throw new LedgerUnavailableException(LedgerUnavailableException.Reason.NOT_A_LEDGER, location,
          "the ledger " + location.display() + " has a damaged schema (version " + version + ", entries table "
              + (tableExists("ledger_entries") ? "present" : "missing") + "); dpvideo did not modify it. Restore"
              + " it from a backup", null);
    }
    // Version 1 is the only version so far: migrations from older versions go here, one per step, each in a
    // write transaction that also inserts its row into ledger_schema.
  }

  private boolean tableExists(String name) throws SQLException {
    String sql = location.backend() == LedgerBackend.SQLITE
        ? "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
        : "SELECT 1 WHERE to_regclass(?) IS NOT NULL";
    try (PreparedStatement ps = conn.prepareStatement(sql)) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private List<String> ddl() {
    String seqType = location.backend() == LedgerBackend.SQLITE ? "INTEGER" : "BIGINT";
    List<String> ddl = new ArrayList<>(List.of(
        "CREATE TABLE ledger_schema (version INTEGER NOT NULL, migrated_at TEXT NOT NULL, description TEXT NOT NULL)",
        "CREATE TABLE ledger_entries (seq " + seqType + " NOT NULL PRIMARY KEY, recorded_at TEXT NOT NULL,"
            + " kind TEXT NOT NULL, dataset_id TEXT NOT NULL, run_id TEXT NOT NULL, payload TEXT NOT NULL,"
            + " prev_hash TEXT NOT NULL, hash TEXT NOT NULL UNIQUE)",
        "CREATE INDEX ledger_entries_by_run ON ledger_entries (run_id, seq)",
        "CREATE INDEX ledger_entries_by_dataset ON ledger_entries (dataset_id, seq)"));
    // Append-only at the database level too: a guard against accidents and casual edits, not against an
    // attacker who can drop triggers (the hash chain and an exported head hash are the defence there).
    if (location.backend() == LedgerBackend.SQLITE) {
      ddl.add("CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries BEGIN"
          + " SELECT RAISE(ABORT, 'dpvideo ledger entries are append-only: an entry may not be updated'); END");
      ddl.add("CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries BEGIN"
          + " SELECT RAISE(ABORT, 'dpvideo ledger entries are append-only: an entry may not be deleted'); END");
    } else {
      ddl.add("CREATE OR REPLACE FUNCTION ledger_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$"
          + " BEGIN RAISE EXCEPTION 'dpvideo ledger entries are append-only: % is not allowed', TG_OP; END $$");
      ddl.add("CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries"
          + " FOR EACH ROW EXECUTE FUNCTION ledger_entries_append_only()");
      ddl.add("CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries"
          + " FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_append_only()");
    }
    return ddl;
  }

  // ---------------------------------------------------------------- reading

  /** Every entry, in storage order (one statement, so one consistent snapshot). */
  List<LedgerEntry> readAll() {
    try {
      return query("SELECT " + COLUMNS + " FROM ledger_entries ORDER BY seq", null);
    } catch (SQLException e) {
      throw translate(e, "read the ledger");
    }
  }

  private List<LedgerEntry> query(String sql, String param) throws SQLException {
    List<LedgerEntry> out = new ArrayList<>();
    try (PreparedStatement ps = conn.prepareStatement(sql)) {
      if (param != null) {
        ps.setString(1, param);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new LedgerEntry(rs.getLong(1), nz(rs.getString(2)), nz(rs.getString(3)), nz(rs.getString(4)),
              nz(rs.getString(5)), nz(rs.getString(6)), nz(rs.getString(7)), nz(rs.getString(8))));
        }
      }
    }
    return out;
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  // ---------------------------------------------------------------- writing

  /** A write transaction: reads see every committed entry; appends extend the chain. */
  final class Txn {
    private LedgerEntry head;
    private boolean headLoaded;

    /** Every entry, including those appended in this transaction. */
    List<LedgerEntry> readAll() throws SQLException {
      return query("SELECT " + COLUMNS + " FROM ledger_entries ORDER BY seq", null);
    }

    /** The entries of one run. */
    List<LedgerEntry> readRun(RunId run) throws SQLException {
      return query("SELECT " + COLUMNS + " FROM ledger_entries WHERE run_id = ? ORDER BY seq", run.value());
    }

    /** Every entry of one dataset (registration, budgets and all its runs). */
    List<LedgerEntry> readDataset(DatasetId dataset) throws SQLException {
      return query("SELECT " + COLUMNS + " FROM ledger_entries WHERE dataset_id = ? ORDER BY seq", dataset.hex());
    }

    /** The entries of one dataset that are not about a run (registration, budgets). */
    List<LedgerEntry> readDatasetHeader(DatasetId dataset) throws SQLException {
      return query("SELECT " + COLUMNS + " FROM ledger_entries WHERE dataset_id = ? AND run_id = '' ORDER BY seq",
          dataset.hex());
    }

    /** The first entry (the ledger's creation), if any. */
    Optional<LedgerEntry> first() throws SQLException {
      List<LedgerEntry> l = query("SELECT " + COLUMNS + " FROM ledger_entries ORDER BY seq LIMIT 1", null);
      return l.stream().findFirst();
    }

    /** Appends an entry after the current head and returns it. */
    LedgerEntry append(LedgerEntryKind kind, String datasetId, String runId, String payload) throws SQLException {
      if (!headLoaded) {
        List<LedgerEntry> l = query("SELECT " + COLUMNS + " FROM ledger_entries ORDER BY seq DESC LIMIT 1", null);
        head = l.isEmpty() ? null : l.get(0);
        headLoaded = true;
        if (head != null && !head.recomputedHash().equals(head.hash())) {
          throw new LedgerIntegrityException(location, "append to the ledger", HashChain.verify(List.of(head),
              Optional.empty()));
        }
      }
      long seq = head == null ? 1 : head.seq() + 1;
      String prev = head == null ? LedgerEntry.GENESIS_PREV_HASH : head.hash();
      LedgerEntry e = LedgerEntry.create(seq, timestamp(options.clock().instant()), kind, datasetId, runId, payload,
          prev);
      try (PreparedStatement ps = conn.prepareStatement("INSERT INTO ledger_entries (" + COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        ps.setLong(1, e.seq());
        ps.setString(2, e.recordedAt());
        ps.setString(3, e.kind());
        ps.setString(4, e.datasetId());
        ps.setString(5, e.runId());
        ps.setString(6, e.payload());
        ps.setString(7, e.prevHash());
        ps.setString(8, e.hash());
        ps.executeUpdate();
      }
      head = e;
      return e;
    }
  }

  /**
   * Runs {@code work} in a write transaction holding the ledger's write lock; commits when it returns,
   * rolls back when it throws (then nothing it appended is kept).
   */
  <T> T write(String action, WriteWork<T> work) {
    boolean sqlite = location.backend() == LedgerBackend.SQLITE;
    boolean begun = false;
    try {
      if (sqlite) {
        try (Statement st = conn.createStatement()) {
          st.execute("BEGIN IMMEDIATE");
        }
      } else {
        conn.setAutoCommit(false);
        try (Statement st = conn.createStatement()) {
          if (tableExists("ledger_entries")) {
            st.execute("LOCK TABLE ledger_entries IN EXCLUSIVE MODE");
          } else {
            st.execute("SELECT pg_advisory_xact_lock(7201534312007)"); // creating the schema
          }
        }
      }
      begun = true;
      T result = work.run(new Txn());
      if (sqlite) {
        try (Statement st = conn.createStatement()) {
          st.execute("COMMIT");
        }
      } else {
        conn.commit();
        conn.setAutoCommit(true);
      }
      return result;
    } catch (SQLException e) {
      rollbackQuietly(sqlite, begun);
      throw translate(e, action);
    } catch (RuntimeException | Error e) {
      rollbackQuietly(sqlite, begun);
      throw e;
    }
  }

  private void rollbackQuietly(boolean sqlite, boolean begun) {
    try {
      if (sqlite) {
        if (begun) {
          try (Statement st = conn.createStatement()) {
            st.execute("ROLLBACK");
          }
        }
      } else {
        conn.rollback();
        conn.setAutoCommit(true);
      }
    } catch (SQLException ignored) {
      // the transaction ended with the failure; nothing of it was committed
    }
  }

  @Override
  public void close() {
    try {
      conn.close();
    } catch (SQLException ignored) {
      // closing a connection only releases resources; committed entries are durable
    }
  }

  // ---------------------------------------------------------------- errors

  LedgerUnavailableException translate(SQLException e, String action) {
    return translate(e, location, options, action);
  }

  private LedgerUnavailableException corrupted(String detail, Throwable cause) {
    return corrupted(location, detail, cause);
  }

  private static LedgerUnavailableException corrupted(LedgerLocation location, String detail, Throwable cause) {
    return new LedgerUnavailableException(LedgerUnavailableException.Reason.CORRUPTED, location,
        "the ledger file " + location.display() + " is damaged (" + detail + "). dpvideo has not modified it and"
            + " will not repair it on its own: it is the record of privacy already spent. Keep the file, restore"
            + " the ledger from a backup and check the backup with `dpvideo budget verify --ledger BACKUP"
            + " --expect-head HASH` against the head hash of your last `dpvideo budget export`", cause);
  }

  static LedgerUnavailableException translate(SQLException e, LedgerLocation location, LedgerOptions options,
      String action) {
    String what = "cannot " + action + " " + location.display() + ": ";
    long timeoutS = Math.max(1, options.lockTimeout().toSeconds());
    if (location.backend() == LedgerBackend.SQLITE) {
      int primary = e.getErrorCode() & 0xff;
      String msg = String.valueOf(e.getMessage());
      switch (primary) {
        case 5, 6 -> {
          return new LedgerUnavailableException(LedgerUnavailableException.Reason.LOCKED, location, what
              + "it is locked by another process (a dpvideo run or budget command, or a tool with the file open)"
              + " that has been writing for longer than the lock timeout (" + options.lockTimeout().toMillis()
              + " ms). Retry when that process has finished. A crashed process releases its lock when it exits;"
              + " if the file is on a network file system, use a local file or a PostgreSQL ledger instead", e);
        }
        case 11 -> {
          return corrupted(location, "SQLite: " + msg, e);
        }
        case 26 -> {
          return new LedgerUnavailableException(LedgerUnavailableException.Reason.NOT_A_LEDGER, location, what
              + "the file is not a SQLite database, or it is damaged beyond SQLite's header (SQLite: " + msg
              + "). dpvideo has not modified it. If it held your ledger, keep it and restore the ledger from a"
              + " backup; otherwise point --ledger at another file", e);
        }
        case 3, 8, 23 -> {
          return new LedgerUnavailableException(LedgerUnavailableException.Reason.ACCESS_DENIED, location, what
              + "this user may not write it or its directory (SQLite: " + msg + "); fix the permissions or pick"
              + " another --ledger", e);
        }
        case 14 -> {
          return new LedgerUnavailableException(LedgerUnavailableException.Reason.ACCESS_DENIED, location, what
              + "the file cannot be opened (SQLite: " + msg + "); check that its directory exists and is writable", e);
        }
        case 13 -> {
          return new LedgerUnavailableException(LedgerUnavailableException.Reason.IO_ERROR, location, what
              + "the disk is full (SQLite: " + msg + "); nothing was recorded. Free space and retry", e);
        }
        default -> {
          return new LedgerUnavailableException(LedgerUnavailableException.Reason.IO_ERROR, location, what
              + "SQLite error " + primary + ": " + msg, e);
        }
      }
    }
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String msg = String.valueOf(e.getMessage());
    if (state.equals("55P03") || state.equals("57014") || state.equals("40P01") || state.equals("40001")) {
      return new LedgerUnavailableException(LedgerUnavailableException.Reason.LOCKED, location, what
          + "another writer held the ledger's lock for longer than the lock timeout (" + timeoutS + " s) or the"
          + " transaction conflicted with another (PostgreSQL " + state + ": " + msg + "). Retry when the other"
          + " run or budget command has finished", e);
    }
    if (state.startsWith("08") || state.startsWith("28") || state.equals("3D000")) {
      return new LedgerUnavailableException(LedgerUnavailableException.Reason.UNREACHABLE, location, what
          + "the PostgreSQL server cannot be reached or refused the login (" + state + ": " + msg + "). Check the"
          + " host, port, database, user and password in the URL, and that the server is running", e);
    }
    if (state.equals("42501")) {
      return new LedgerUnavailableException(LedgerUnavailableException.Reason.ACCESS_DENIED, location, what
          + "the database user lacks a privilege (" + msg + "); grant it CREATE on the schema (first use) and"
          + " SELECT, INSERT on the ledger tables", e);
    }
    if (state.startsWith("XX")) {
      return new LedgerUnavailableException(LedgerUnavailableException.Reason.CORRUPTED, location, what
          + "PostgreSQL reports damaged data (" + state + ": " + msg + "); ask the database administrator to"
          + " restore it. dpvideo did not modify it", e);
    }
    return new LedgerUnavailableException(LedgerUnavailableException.Reason.IO_ERROR, location, what
        + "database error" + (state.isEmpty() ? "" : " " + state) + ": " + msg, e);
  }
}
