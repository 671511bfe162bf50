package org.dpvideo.dpsgd.ledger;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a ledger lives: a SQLite file or a PostgreSQL JDBC URL.
 *
 * @param backend the database kind
 * @param target for {@link LedgerBackend#SQLITE} the absolute, normalized file path; for
 *     {@link LedgerBackend#POSTGRESQL} the JDBC URL ({@code jdbc:postgresql://host[:port]/database?...})
 */
public record LedgerLocation(LedgerBackend backend, String target) {
  /** The default ledger file, relative to the user's home directory. */
  public static final String DEFAULT_RELATIVE_PATH = ".dpvideo/ledger.db";

  public LedgerLocation {
    Objects.requireNonNull(backend, "backend");
    if (target == null || target.isBlank()) {
      throw new IllegalArgumentException("ledger location must be non-blank");
    }
    if (backend == LedgerBackend.POSTGRESQL && !target.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("a PostgreSQL ledger needs a jdbc:postgresql: URL, got " + Provenance.redactSecrets(target));
    }
  }

  /** A SQLite ledger file. */
  public static LedgerLocation sqlite(Path file) {
    return new LedgerLocation(LedgerBackend.SQLITE, file.toAbsolutePath().normalize().toString());
  }

  /** {@code ~/.dpvideo/ledger.db}. */
  public static LedgerLocation defaultLocation() {
    return sqlite(Path.of(System.getProperty("user.home"), DEFAULT_RELATIVE_PATH));
  }

  /**
   * Parses what a user gives to {@code --ledger}: a file path (a leading {@code ~/} is the home directory),
   * a {@code jdbc:sqlite:PATH} URL, or a {@code jdbc:postgresql://...} URL. Blank or null means the
   * default location.
   *
   * @throws IllegalArgumentException for another JDBC URL
   */
  public static LedgerLocation parse(String pathOrJdbcUrl) {
    if (pathOrJdbcUrl == null || pathOrJdbcUrl.isBlank()) {
      return defaultLocation();
    }
    String s = pathOrJdbcUrl.trim();
    String lower = s.toLowerCase(Locale.ROOT);
    if (lower.startsWith("jdbc:postgresql:")) {
      return new LedgerLocation(LedgerBackend.POSTGRESQL, "jdbc:postgresql:" + s.substring("jdbc:postgresql:".length()));
    }
    if (lower.startsWith("jdbc:sqlite:")) {
      return sqlite(expandHome(s.substring("jdbc:sqlite:".length())));
    }
    if (lower.startsWith("jdbc:")) {
      throw new IllegalArgumentException("unsupported ledger URL " + Provenance.redactSecrets(s)
          + "; expected a file path (SQLite), jdbc:sqlite:PATH, or jdbc:postgresql://HOST[:PORT]/DATABASE");
    }
    return sqlite(expandHome(s));
  }

  /** The SQLite file; only for {@link LedgerBackend#SQLITE}. */
  public Path file() {
    if (backend != LedgerBackend.SQLITE) {
      throw new IllegalStateException("a " + backend + " ledger has no file");
    }
    return Path.of(target);
  }

  /** The location as it may be printed and recorded: passwords in URLs replaced by {@code ***}. */
  public String display() {
    return Provenance.redactSecrets(target);
  }

  @Override
  public String toString() {
    return display();
  }

  private static Path expandHome(String path) {
    if (path.equals("~")) {
      return Path.of(System.getProperty("user.home"));
    }
    if (path.startsWith("~/")) {
      return Path.of(System.getProperty("user.home"), path.substring(2));
    }
    return Path.of(path);
  }
}
