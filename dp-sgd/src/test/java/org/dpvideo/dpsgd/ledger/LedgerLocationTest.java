package org.dpvideo.dpsgd.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LedgerLocationTest {
  @Test
  void blank_isTheDefaultFileInTheHomeDirectory() {
    LedgerLocation loc = LedgerLocation.parse(" ");
    assertEquals(LedgerBackend.SQLITE, loc.backend());
    assertEquals(Path.of(System.getProperty("user.home"), ".dpvideo", "ledger.db"), loc.file());
  }

  @Test
  void tildePath_andSqliteUrl_areFiles() {
    assertEquals(Path.of(System.getProperty("user.home"), "l.db"), LedgerLocation.parse("~/l.db").file());
    assertEquals(Path.of("/tmp/x.db"), LedgerLocation.parse("jdbc:sqlite:/tmp/x.db").file());
  }

  @Test
  void postgresUrl_isKept_andItsPasswordIsRedactedForDisplay() {
    LedgerLocation loc = LedgerLocation.parse("jdbc:postgresql://db/ledger?user=u&password=s3cret&ssl=true");
    assertEquals(LedgerBackend.POSTGRESQL, loc.backend());
    assertTrue(loc.target().contains("s3cret"));
    assertEquals("jdbc:postgresql://db/ledger?user=u&password=***&ssl=true", loc.display());
  }

  @Test
  void otherJdbcUrl_isRejectedWithTheSupportedForms() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LedgerLocation.parse("jdbc:mysql://db/ledger"));
    assertTrue(e.getMessage().contains("jdbc:postgresql://"), e.getMessage());
  }

  @Test
  void provenance_redactsSecretsInTheCommandLine() {
    Provenance p = new Provenance("u", "h", 1, "dpvideo budget show --ledger jdbc:postgresql://h/d?password=pw&x=1");
    assertEquals("dpvideo budget show --ledger jdbc:postgresql://h/d?password=***&x=1", p.commandLine());
  }
}
