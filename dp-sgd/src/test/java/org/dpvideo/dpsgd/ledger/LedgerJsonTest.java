package org.dpvideo.dpsgd.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.dpvideo.dpsgd.PrivacyUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit trail: complete, verifiable on its own, and edits to it are caught. */
class LedgerJsonTest {
  static final Provenance WHO = new Provenance("frank", "host", 2, "test");

  @TempDir
  Path tmp;

  private String exportedTrail() {
    try (PrivacyLedger ledger = PrivacyLedger.open(LedgerLocation.sqlite(tmp.resolve("l.db")),
        LedgerTestAccountants.primary())) {
      DatasetId ds = DatasetId.of("1".repeat(64));
      ledger.setBudget(ds, new PrivacyBudget(9, 1e-6), Optional.of(PrivacyUnit.SUBJECT), "demo", WHO);
      Reservation r = ledger.reserve(new ReservationRequest(ds, PrivacyLedgerTest.gaussianSteps(3, 9), 1e-6,
          PrivacyUnit.SUBJECT, WHO));
      ledger.complete(r, PrivacyLedgerTest.gaussianSteps(3, 9));
      return LedgerJson.auditTrail(ledger.snapshot(), ledger.entries(), Instant.parse("2025-06-01T00:00:00Z"));
    }
  }

  @Test
  void exportedTrail_verifiesOnItsOwn_andCarriesTheHeadAndBalances() throws Exception {
    String trail = exportedTrail();
    JsonNode root = new ObjectMapper().readTree(trail);
    assertEquals(5, root.path("entries").size());
    assertEquals(root.path("entries").get(4).path("hash").asText(), root.path("head_hash").asText());
    JsonNode ds = root.path("balances").path("datasets").get(0);
    assertEquals(9.0, ds.path("budget").path("epsilon").asDouble());
    assertEquals("completed", ds.path("runs").get(0).path("status").asText());
    ChainVerification v = LedgerJson.verifyAuditTrail(trail, Optional.of(root.path("head_hash").asText()));
    assertTrue(v.intact(), v.describe());
  }

  @Test
  void editedTrail_failsVerification() throws Exception {
    ObjectMapper m = new ObjectMapper();
    ObjectNode root = (ObjectNode) m.readTree(exportedTrail());
    ObjectNode third = (ObjectNode) ((ArrayNode) root.get("entries")).get(2);
    third.put("payload", third.get("payload").asText().replace("\"epsilon\":9.0", "\"epsilon\":90.0"));
    ChainVerification v = LedgerJson.verifyAuditTrail(m.writeValueAsString(root), Optional.empty());
    assertFalse(v.intact());
    assertEquals(ChainProblem.Kind.EDITED, v.problems().get(0).kind());
    assertEquals(3, v.problems().get(0).seq());
  }

  @Test
  void trailWithAForgedHeadHash_failsVerification() throws Exception {
    ObjectMapper m = new ObjectMapper();
    ObjectNode root = (ObjectNode) m.readTree(exportedTrail());
    root.put("head_hash", "0".repeat(63) + "1");
    assertFalse(LedgerJson.verifyAuditTrail(m.writeValueAsString(root), Optional.empty()).intact());
  }

  @Test
  void notATrail_isRejectedWithWhatItExpects() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LedgerJson.verifyAuditTrail("{\"format\":\"x\"}", Optional.empty()));
    assertTrue(e.getMessage().contains("budget export"), e.getMessage());
  }
}
