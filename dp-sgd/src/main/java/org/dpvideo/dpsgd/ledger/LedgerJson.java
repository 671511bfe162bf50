package org.dpvideo.dpsgd.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.dpvideo.dpsgd.accounting.DpEventJson;

/**
 * The JSON forms of the ledger for tools and auditors: the balances ({@code dpvideo budget show --json})
 * and the audit trail ({@code dpvideo budget export}), and verification of an exported trail on its own.
 *
 * <p>The audit trail holds every entry exactly as stored (the {@code payload} is the exact hashed text) and
 * the {@code head_hash} of the last entry. An auditor who keeps the head hash can later check that the
 * ledger still contains it ({@code dpvideo budget verify --expect-head HASH}); anyone can re-verify the
 * trail's chain with SHA-256 alone (see {@code docs/ledger.md}). Stateless and thread-safe.
 */
public final class LedgerJson {
  /** The {@code format} field of an audit trail. */
  public static final String TRAIL_FORMAT = "dpvideo-ledger-audit-trail";
  /** The {@code format_version} this code writes and reads. */
  public static final int TRAIL_VERSION = 1;

  private LedgerJson() {}

  /** The balances of every dataset and the ledger's verification, as a JSON tree. */
  public static ObjectNode balances(LedgerSnapshot snapshot) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("ledger", snapshot.location());
    root.put("accountant", snapshot.accountant().cliName());
    root.set("verification", verification(snapshot.verification()));
    ArrayNode datasets = root.putArray("datasets");
    for (DatasetBalance b : snapshot.datasets()) {
      datasets.add(dataset(b));
    }
    return root;
  }

  /** One dataset's balance as a JSON tree. */
  public static ObjectNode dataset(DatasetBalance b) {
    DatasetRecord d = b.dataset();
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("id", d.id().hex());
    o.put("label", d.label());
    o.put("registered_at", d.registeredAt().toString());
    d.fingerprint().ifPresentOrElse(f -> {
      o.put("manifest_sha256", f.manifestSha256());
      o.put("file_count", f.fileCount());
      o.put("total_bytes", f.totalBytes());
    }, () -> o.putNull("manifest_sha256"));
    if (d.privacyUnit().isPresent()) {
      o.put("privacy_unit", d.privacyUnit().get().cliName());
    } else {
      o.putNull("privacy_unit");
    }
    if (d.budget().isPresent()) {
      ObjectNode budget = o.putObject("budget");
      budget.put("epsilon", d.budget().get().epsilon());
      budget.put("delta", d.budget().get().delta());
      ObjectNode spent = o.putObject("spent");
      spent.put("epsilon", b.spentEpsilon());
      spent.put("delta", d.budget().get().delta());
      spent.put("accountant", b.accountant().cliName());
      spent.put("includes_open_reservations", true);
      spent.put("closed_runs_epsilon", b.closedEpsilon());
      o.put("over_budget", b.overBudget());
    } else {
      o.putNull("budget");
      o.putNull("spent");
    }
    o.put("open_reservations", b.openRuns());
    ArrayNode runs = o.putArray("runs");
    for (RunBalance rb : b.runs()) {
      RunRecord r = rb.run();
      ObjectNode ro = runs.addObject();
      ro.put("id", r.id().value());
      ro.put("status", r.status().cliName());
      ro.put("attempt", r.attempt());
      ro.put("privacy_unit", r.privacyUnit().cliName());
      ro.put("delta", r.delta());
      ro.put("planned_epsilon", rb.plannedEpsilon());
      ro.put("charged_epsilon", rb.chargedEpsilon());
      ro.put("exceeded_reservation", r.exceededReservation());
      ro.set("planned_event", tree(DpEventJson.toJson(r.planned())));
      r.latestProgress().ifPresent(e -> ro.set("latest_progress_event", tree(DpEventJson.toJson(e))));
      r.finalEvent().ifPresent(e -> ro.set("final_event", tree(DpEventJson.toJson(e))));
      ro.put("reserved_at", r.reservedAt().toString());
      r.lastProgressAt().ifPresent(t -> ro.put("last_progress_at", t.toString()));
      r.closedAt().ifPresent(t -> ro.put("closed_at", t.toString()));
      r.abandonReason().ifPresent(s -> ro.put("abandon_reason", s));
      ObjectNode by = ro.putObject("reserved_by");
      by.put("user", r.reservedBy().user());
      by.put("host", r.reservedBy().host());
      by.put("pid", r.reservedBy().pid());
      by.put("command_line", r.reservedBy().commandLine());
    }
    return o;
  }

  /** A verification result as a JSON tree. */
  public static ObjectNode verification(ChainVerification v) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("intact", v.intact());
    o.put("entry_count", v.entryCount());
    o.put("head_hash", v.headHash());
    v.anchor().ifPresent(a -> o.put("anchor", a));
    v.entriesAfterAnchor().ifPresent(n -> o.put("entries_after_anchor", n));
    ArrayNode problems = o.putArray("problems");
    for (ChainProblem p : v.problems()) {
      ObjectNode po = problems.addObject();
      po.put("kind", p.kind().name().toLowerCase(java.util.Locale.ROOT));
      po.put("seq", p.seq());
      po.put("message", p.message());
    }
    return o;
  }

  /**
   * The audit trail: every entry as stored, the head hash, the verification and the balances.
   *
   * @param exportedAt when it was made
   */
  public static String auditTrail(LedgerSnapshot snapshot, List<LedgerEntry> entries, Instant exportedAt) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("format", TRAIL_FORMAT);
    root.put("format_version", TRAIL_VERSION);
    root.put("exported_at", exportedAt.toString());
    root.put("ledger", snapshot.location());
    root.put("entry_hash", "SHA-256 (lower-case hex) of the UTF-8 bytes of \"" + LedgerEntry.FORMAT
        + "\", prev_hash, recorded_at, kind, dataset_id, run_id and payload joined by single newlines;"
        + " prev_hash of the first entry is 64 zeros");
    root.put("entry_count", entries.size());
    root.put("head_hash", snapshot.verification().headHash());
    root.set("verification", verification(snapshot.verification()));
    root.set("balances", balances(snapshot));
    ArrayNode arr = root.putArray("entries");
    for (LedgerEntry e : entries) {
      ObjectNode eo = arr.addObject();
      eo.put("seq", e.seq());
      eo.put("recorded_at", e.recordedAt());
      eo.put("kind", e.kind());
      eo.put("dataset_id", e.datasetId());
      eo.put("run_id", e.runId());
      eo.put("payload", e.payload());
      eo.put("prev_hash", e.prevHash());
      eo.put("hash", e.hash());
    }
    return pretty(root);
  }

  /**
   * Verifies an exported audit trail on its own: its entries' chain (as {@link HashChain} does) and that
   * its {@code head_hash} is the hash of its last entry.
   *
   * @param anchor a head hash kept from an earlier export, which must be in the trail
   * @throws IllegalArgumentException if the text is not an audit trail
   */
  public static ChainVerification verifyAuditTrail(String json, Optional<String> anchor) {
    JsonNode root;
    try {
      root = CanonicalJson.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the audit trail is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !TRAIL_FORMAT.equals(root.path("format").asText())) {
      throw new IllegalArgumentException("not a dpvideo audit trail: its \"format\" field is not \""
          + TRAIL_FORMAT + "\" (make one with `dpvideo budget export`)");
    }
    if (root.path("format_version").asInt(-1) != TRAIL_VERSION) {
      throw new IllegalArgumentException("audit trail format_version " + root.path("format_version")
          + " is not supported; this dpvideo reads version " + TRAIL_VERSION);
    }
    List<LedgerEntry> entries = new ArrayList<>();
    JsonNode arr = root.path("entries");
    if (!arr.isArray()) {
      throw new IllegalArgumentException("the audit trail has no \"entries\" array");
    }
    int i = 0;
    for (JsonNode e : arr) {
      try {
        entries.add(new LedgerEntry(e.path("seq").asLong(), CanonicalJson.text(e, "recorded_at"),
            CanonicalJson.text(e, "kind"), CanonicalJson.text(e, "dataset_id"), CanonicalJson.text(e, "run_id"),
            CanonicalJson.text(e, "payload"), CanonicalJson.text(e, "prev_hash"), CanonicalJson.text(e, "hash")));
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException("audit trail entry [" + i + "]: " + ex.getMessage(), ex);
      }
      i++;
    }
    ChainVerification v = HashChain.verify(entries, anchor)
        .withProblems(LedgerReplay.replay(entries).problems());
    String declared = root.path("head_hash").asText("");
    if (!declared.equals(v.headHash())) {
      v = v.withProblems(List.of(new ChainProblem(ChainProblem.Kind.EDITED, 0, "the trail's head_hash "
          + declared + " is not the hash of its last entry (" + v.headHash() + "): the trail was edited")));
    }
    return v;
  }

  /** Pretty-printed JSON text of a tree. */
  public static String pretty(JsonNode node) {
    try {
      return CanonicalJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
    }
  }

  private static JsonNode tree(String json) {
    try {
      return CanonicalJson.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
