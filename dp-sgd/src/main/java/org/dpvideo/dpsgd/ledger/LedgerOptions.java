package org.dpvideo.dpsgd.ledger;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How a ledger is opened. Performance and robustness settings only: nothing here changes what is
 * accounted.
 *
 * @param createIfMissing create the ledger (file and tables) when there is none; read-only tools pass
 *     {@code false} so that a mistyped location is an error, not a new empty ledger
 * @param lockTimeout how long a write waits for another process's write to finish before failing with
 *     {@link LedgerUnavailableException}; &gt;= 1 ms
 * @param clock the source of entry timestamps
 */
public record LedgerOptions(boolean createIfMissing, Duration lockTimeout, Clock clock) {
  /** The default lock wait: long enough for a concurrent reservation, short enough to notice a hung writer. */
  public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(30);

  public LedgerOptions {
    Objects.requireNonNull(lockTimeout, "lockTimeout");
    Objects.requireNonNull(clock, "clock");
    if (lockTimeout.toMillis() < 1 || lockTimeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("lockTimeout must be between 1 ms and about 24 days, got " + lockTimeout);
    }
  }

  /** For tools that write: create when missing, 30 s lock wait, the system clock. */
  public static LedgerOptions forWriting() {
    return new LedgerOptions(true, DEFAULT_LOCK_TIMEOUT, Clock.systemUTC());
  }

  /** For tools that only read: the ledger must exist. */
  public static LedgerOptions forReading() {
    return new LedgerOptions(false, DEFAULT_LOCK_TIMEOUT, Clock.systemUTC());
  }

  /** The same options with another lock timeout. */
  public LedgerOptions withLockTimeout(Duration timeout) {
    return new LedgerOptions(createIfMissing, timeout, clock);
  }

  /** The same options with another clock. */
  public LedgerOptions withClock(Clock c) {
    return new LedgerOptions(createIfMissing, lockTimeout, c);
  }
}
