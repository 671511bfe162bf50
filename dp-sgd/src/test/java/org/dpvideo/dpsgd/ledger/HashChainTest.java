package org.dpvideo.dpsgd.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The hash chain on its own, with entries built in memory. */
class HashChainTest {

  /** A chain of n entries: ledger_created, then dataset_registered entries with distinct labels. */
  static List<LedgerEntry> chain(int n) {
    List<LedgerEntry> out = new ArrayList<>();
    String prev = LedgerEntry.GENESIS_PREV_HASH;
    for (int i = 1; i <= n; i++) {
      LedgerEntry e = i == 1
          ? LedgerEntry.create(i, "2025-01-01T00:00:00.000Z", LedgerEntryKind.LEDGER_CREATED, "", "",
              "{\"schema_version\":1}", prev)
          : LedgerEntry.create(i, "2025-01-01T00:00:0" + (i % 10) + ".000Z", LedgerEntryKind.DATASET_REGISTERED,
              "a".repeat(64), "", "{\"label\":\"l" + i + "\"}", prev);
      out.add(e);
      prev = e.hash();
    }
    return out;
  }

  @Test
  void entryHash_isSha256OfTheDocumentedInput() throws Exception {
    LedgerEntry e = chain(1).get(0);
    String input = "dpvideo-ledger-entry-v1\n" + "0".repeat(64) + "\n2025-01-01T00:00:00.000Z\nledger_created\n\n\n"
        + "{\"schema_version\":1}";
    String expected = HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(input.getBytes(StandardCharsets.UTF_8)));
    assertEquals(expected, e.hash());
  }

  @Test
  void untouchedChain_isIntact_withItsHead() {
    List<LedgerEntry> c = chain(6);
    ChainVerification v = HashChain.verify(c, Optional.of(c.get(3).hash().toUpperCase()));
    assertTrue(v.intact(), v.describe());
    assertEquals(c.get(5).hash(), v.headHash());
    assertEquals(Optional.of(2L), v.entriesAfterAnchor());
  }

  @Test
  void editedPayload_isReportedAtThatEntry() {
    List<LedgerEntry> c = chain(5);
    LedgerEntry e = c.get(2);
    c.set(2, new LedgerEntry(e.seq(), e.recordedAt(), e.kind(), e.datasetId(), e.runId(), "{\"label\":\"x\"}",
        e.prevHash(), e.hash()));
    ChainVerification v = HashChain.verify(c, Optional.empty());
    assertEquals(1, v.problems().size(), v.describe());
    assertEquals(ChainProblem.Kind.EDITED, v.problems().get(0).kind());
    assertEquals(3, v.problems().get(0).seq());
  }

  @Test
  void editedAndRehashedEntry_isReportedAtItsSuccessor() {
    List<LedgerEntry> c = chain(5);
    LedgerEntry e = c.get(2);
    c.set(2, LedgerEntry.create(e.seq(), e.recordedAt(), LedgerEntryKind.DATASET_REGISTERED, e.datasetId(), "",
        "{\"label\":\"x\"}", e.prevHash()));
    ChainVerification v = HashChain.verify(c, Optional.empty());
    assertEquals(ChainProblem.Kind.DELETED, v.problems().get(0).kind(), v.describe());
    assertEquals(4, v.problems().get(0).seq());
    assertTrue(v.problems().get(0).message().contains("edited and re-hashed"), v.describe());
  }

  @Test
  void deletedFirstEntry_isReported() {
    List<LedgerEntry> c = chain(4);
    c.remove(0);
    ChainVerification v = HashChain.verify(c, Optional.empty());
    assertTrue(v.problems().stream().anyMatch(p -> p.kind() == ChainProblem.Kind.DELETED && p.seq() == 2), v.describe());
  }

  @Test
  void emptyLedger_isReportedAsMissingItsStart() {
    ChainVerification v = HashChain.verify(List.of(), Optional.empty());
    assertEquals(ChainProblem.Kind.MISSING_START, v.problems().get(0).kind());
  }

  @Test
  void anchorNotInTheChain_isReported_andAMalformedAnchorIsRejected() {
    List<LedgerEntry> c = chain(3);
    ChainVerification v = HashChain.verify(c, Optional.of("b".repeat(64)));
    assertEquals(ChainProblem.Kind.ANCHOR_NOT_FOUND, v.problems().get(0).kind());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> HashChain.verify(c, Optional.of("xyz")));
    assertTrue(e.getMessage().contains("64 hexadecimal"), e.getMessage());
  }

  @Test
  void lineBreakInAField_isRejectedWhenCreatingAnEntry() {
    assertThrows(IllegalArgumentException.class, () -> LedgerEntry.create(1, "t", LedgerEntryKind.LEDGER_CREATED,
        "", "", "{\"a\":\"\n\"}", LedgerEntry.GENESIS_PREV_HASH));
  }
}
