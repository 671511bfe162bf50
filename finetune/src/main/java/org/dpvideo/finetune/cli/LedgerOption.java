package org.dpvideo.finetune.cli;

import org.dpvideo.dpsgd.accounting.AccountantKind;
import org.dpvideo.dpsgd.accounting.PldAccountant;
import org.dpvideo.dpsgd.accounting.PrivacyAccountant;
import org.dpvideo.dpsgd.accounting.RdpAccountant;
import org.dpvideo.dpsgd.ledger.LedgerLocation;
import org.dpvideo.dpsgd.ledger.LedgerOptions;
import org.dpvideo.dpsgd.ledger.LedgerUnavailableException;
import org.dpvideo.dpsgd.ledger.PrivacyLedger;
import picocli.CommandLine.Option;

/**
 * The {@code --ledger PATH_OR_JDBC_URL} option of every command that spends or reads privacy budget
 * ({@code finetune}, {@code demo}, {@code budget ...}). Add it to a command with
 * {@code @Mixin LedgerOption ledger;}.
 *
 * <p>Default: the environment variable {@code DPVIDEO_LEDGER}, else {@code ~/.dpvideo/ledger.db}.
 */
public final class LedgerOption {
  /** The environment variable that overrides the default ledger location. */
  public static final String ENVIRONMENT = "DPVIDEO_LEDGER";

  @Option(names = "--ledger", paramLabel = "PATH_OR_JDBC_URL",
      description = "The privacy budget ledger: a SQLite file, or jdbc:postgresql://HOST[:PORT]/DB?user=U&password=P"
          + " for a ledger shared by a team. Default: $" + ENVIRONMENT + ", else ~/.dpvideo/ledger.db.")
  String ledger;

  /** The chosen location. */
  public LedgerLocation location() {
    String value = ledger != null ? ledger : System.getenv(ENVIRONMENT);
    return LedgerLocation.parse(value);
  }

  /**
   * Opens the ledger for a command that writes (creating it when missing).
   *
   * @throws UserFacingException with the ledger's complete message when it is locked, damaged or unreachable
   */
  public PrivacyLedger openForWriting(PrivacyAccountant accountant) {
    return open(accountant, LedgerOptions.forWriting());
  }

  /**
   * Opens an existing ledger for a command that only reads.
   *
   * @throws UserFacingException when there is no ledger there, or it is locked, damaged or unreachable
   */
  public PrivacyLedger openForReading(PrivacyAccountant accountant) {
    return open(accountant, LedgerOptions.forReading());
  }

  private PrivacyLedger open(PrivacyAccountant accountant, LedgerOptions options) {
    LedgerLocation loc = location();
    try {
      return PrivacyLedger.open(loc, accountant, options);
    } catch (LedgerUnavailableException e) {
      throw new UserFacingException(e.getMessage(), e);
    }
  }

  /** A new accountant of the given kind, with its default settings. */
  public static PrivacyAccountant accountant(AccountantKind kind) {
    return switch (kind) {
      case PLD -> new PldAccountant();
      case RDP -> new RdpAccountant();
    };
  }
}
