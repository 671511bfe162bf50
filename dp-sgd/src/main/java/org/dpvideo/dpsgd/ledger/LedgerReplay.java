package org.dpvideo.dpsgd.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dpvideo.dpsgd.PrivacyUnit;
import org.dpvideo.dpsgd.accounting.AccountantKind;
import org.dpvideo.dpsgd.accounting.DpEvent;

/**
 * Rebuilds the ledger's state (datasets, runs and what each run is charged) from its entries. The log is
 * the only source of truth: there are no separate state tables that could drift from it. Entries that do
 * not describe a possible history are reported as {@link ChainProblem.Kind#INCONSISTENT} and skipped.
 */
final class LedgerReplay {
  /** The replayed state. Maps iterate in the order of first appearance. */
  record State(Map<DatasetId, DatasetRecord> datasets, Map<RunId, RunRecord> runs, List<ChainProblem> problems) {
    List<RunRecord> runsOf(DatasetId dataset) {
      return runs.values().stream().filter(r -> r.dataset().equals(dataset)).toList();
    }
  }

  private final Map<DatasetId, DatasetRecord> datasets = new LinkedHashMap<>();
  private final Map<RunId, RunRecord> runs = new LinkedHashMap<>();
  private final List<ChainProblem> problems = new ArrayList<>();

  private LedgerReplay() {}

  static State replay(List<LedgerEntry> entries) {
    LedgerReplay r = new LedgerReplay();
    List<LedgerEntry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparingLong(LedgerEntry::seq));
    for (LedgerEntry e : sorted) {
      try {
        r.apply(e);
      } catch (IllegalArgumentException | IllegalStateException ex) {
        r.problems.add(new ChainProblem(ChainProblem.Kind.INCONSISTENT, e.seq(), "entry " + e.describe()
            + " does not describe a possible history: " + ex.getMessage()));
      }
    }
    return new State(r.datasets, r.runs, List.copyOf(r.problems));
  }

  private void apply(LedgerEntry e) {
    LedgerEntryKind kind = e.knownKind().orElseThrow(() -> new IllegalArgumentException(
        "unknown entry kind '" + e.kind() + "'"));
    JsonNode p = CanonicalJson.parse(e.payload());
    Instant at = timestamp(e);
    switch (kind) {
      case LEDGER_CREATED -> {
        if (e.seq() != 1 && !e.prevHash().equals(LedgerEntry.GENESIS_PREV_HASH)) {
          throw new IllegalStateException("a ledger_created entry may only be the first entry");
        }
        CanonicalJson.integer(p, "schema_version");
      }
      case DATASET_REGISTERED -> {
        DatasetId id = DatasetId.of(e.datasetId());
        String label = p.path("label").asText("");
        Optional<DatasetFingerprint> fp = Optional.empty();
        if (p.has("manifest_sha256")) {
          fp = Optional.of(new DatasetFingerprint(id, CanonicalJson.text(p, "manifest_sha256"),
              CanonicalJson.integer(p, "file_count"), (long) CanonicalJson.number(p, "total_bytes")));
        }
        CanonicalJson.provenance(p.get("provenance"));
        DatasetRecord old = datasets.get(id);
        if (old == null) {
          datasets.put(id, new DatasetRecord(id, label, fp, Optional.empty(), Optional.empty(), at));
        } else {
          datasets.put(id, new DatasetRecord(id, old.label().isEmpty() ? label : old.label(),
              old.fingerprint().isPresent() ? old.fingerprint() : fp, old.budget(), old.privacyUnit(),
              old.registeredAt()));
        }
      }
      case BUDGET_SET -> {
        DatasetRecord d = dataset(e);
        PrivacyBudget budget = new PrivacyBudget(CanonicalJson.number(p, "epsilon"), CanonicalJson.number(p, "delta"));
        Optional<PrivacyUnit> unit = d.privacyUnit();
        if (p.has("privacy_unit")) {
          PrivacyUnit u = PrivacyUnit.parse(CanonicalJson.text(p, "privacy_unit"));
          if (unit.isPresent() && unit.get() != u) {
            throw new IllegalStateException("it changes the privacy unit from " + unit.get().cliName() + " to " + u.cliName());
          }
          unit = Optional.of(u);
        }
        CanonicalJson.provenance(p.get("provenance"));
        datasets.put(d.id(), new DatasetRecord(d.id(), d.label(), d.fingerprint(), Optional.of(budget), unit,
            d.registeredAt()));
      }
      case RUN_RESERVED -> {
        DatasetRecord d = dataset(e);
        RunId id = RunId.of(e.runId());
        if (runs.containsKey(id)) {
          throw new IllegalStateException("run " + id + " was already reserved");
        }
        if (d.budget().isEmpty()) {
          throw new IllegalStateException("its dataset has no budget");
        }
        PrivacyUnit unit = PrivacyUnit.parse(CanonicalJson.text(p, "privacy_unit"));
        if (d.privacyUnit().isPresent() && d.privacyUnit().get() != unit) {
          throw new IllegalStateException("its privacy unit " + unit.cliName() + " differs from the dataset's "
              + d.privacyUnit().get().cliName());
        }
        DpEvent planned = CanonicalJson.event(p.get("planned_event"));
        double delta = CanonicalJson.number(p, "delta");
        AccountantKind acc = AccountantKind.parse(CanonicalJson.text(p, "accountant"));
        Provenance by = CanonicalJson.provenance(p.get("provenance"));
        if (CanonicalJson.integer(p, "attempt") != 1) {
          throw new IllegalStateException("a reservation is attempt 1");
        }
        runs.put(id, new RunRecord(id, d.id(), RunStatus.OPEN, planned, delta, unit, acc, by, at, 1,
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), planned, false));
        if (d.privacyUnit().isEmpty()) {
          datasets.put(d.id(), new DatasetRecord(d.id(), d.label(), d.fingerprint(), d.budget(), Optional.of(unit),
              d.registeredAt()));
        }
      }
      case RUN_PROGRESS -> {
        RunRecord r = openRun(e, p);
        DpEvent spent = CanonicalJson.event(p.get("spent_event"));
        boolean exceeds = p.path("exceeds_reservation").asBoolean(false);
        runs.put(r.id(), new RunRecord(r.id(), r.dataset(), r.status(), r.planned(), r.delta(), r.privacyUnit(),
            r.accountant(), r.reservedBy(), r.reservedAt(), r.attempt(), Optional.of(spent), Optional.of(at),
            r.finalEvent(), r.closedAt(), r.abandonReason(), exceeds ? spent : r.chargedEvent(),
            r.exceededReservation() || exceeds));
      }
      case RUN_RESUMED -> {
        RunRecord r = run(e);
        if (r.status() != RunStatus.OPEN) {
          throw new IllegalStateException("run " + r.id() + " is " + r.status().cliName() + ", not open");
        }
        int attempt = CanonicalJson.integer(p, "attempt");
        if (attempt != r.attempt() + 1) {
          throw new IllegalStateException("it is attempt " + attempt + " but the run was at attempt " + r.attempt());
        }
        CanonicalJson.provenance(p.get("provenance"));
        runs.put(r.id(), new RunRecord(r.id(), r.dataset(), r.status(), r.planned(), r.delta(), r.privacyUnit(),
            r.accountant(), r.reservedBy(), r.reservedAt(), attempt, r.latestProgress(), r.lastProgressAt(),
            r.finalEvent(), r.closedAt(), r.abandonReason(), r.chargedEvent(), r.exceededReservation()));
      }
      case RUN_COMPLETED -> {
        RunRecord r = openRun(e, p);
        DpEvent fin = CanonicalJson.event(p.get("final_event"));
        boolean exceeds = p.path("exceeds_reservation").asBoolean(false);
        String charged = CanonicalJson.text(p, "charged");
        DpEvent chargedEvent = switch (charged) {
          case "final" -> fin;
          case "previous" -> r.chargedEvent();
          default -> throw new IllegalArgumentException("field 'charged' must be final or previous, got " + charged);
        };
        runs.put(r.id(), new RunRecord(r.id(), r.dataset(), RunStatus.COMPLETED, r.planned(), r.delta(),
            r.privacyUnit(), r.accountant(), r.reservedBy(), r.reservedAt(), r.attempt(), r.latestProgress(),
            r.lastProgressAt(), Optional.of(fin), Optional.of(at), r.abandonReason(), chargedEvent,
            r.exceededReservation() || exceeds));
      }
      case RUN_ABANDONED -> {
        RunRecord r = run(e);
        if (r.status() != RunStatus.OPEN) {
          throw new IllegalStateException("run " + r.id() + " is " + r.status().cliName() + ", not open");
        }
        String reason = CanonicalJson.text(p, "reason");
        CanonicalJson.provenance(p.get("provenance"));
        runs.put(r.id(), new RunRecord(r.id(), r.dataset(), RunStatus.ABANDONED, r.planned(), r.delta(),
            r.privacyUnit(), r.accountant(), r.reservedBy(), r.reservedAt(), r.attempt(), r.latestProgress(),
            r.lastProgressAt(), r.finalEvent(), Optional.of(at), Optional.of(reason), r.chargedEvent(),
            r.exceededReservation()));
      }
      default -> throw new IllegalStateException("unhandled entry kind " + kind);
    }
  }

  private DatasetRecord dataset(LedgerEntry e) {
    DatasetId id = DatasetId.of(e.datasetId());
    DatasetRecord d = datasets.get(id);
    if (d == null) {
      throw new IllegalStateException("dataset " + id.abbreviated() + " was never registered");
    }
    return d;
  }

  private RunRecord run(LedgerEntry e) {
    RunId id = RunId.of(e.runId());
    RunRecord r = runs.get(id);
    if (r == null) {
      throw new IllegalStateException("run " + id + " was never reserved");
    }
    if (!r.dataset().hex().equals(e.datasetId())) {
      throw new IllegalStateException("run " + id + " belongs to dataset " + r.dataset().abbreviated()
          + ", not " + e.datasetId());
    }
    return r;
  }

  private RunRecord openRun(LedgerEntry e, JsonNode p) {
    RunRecord r = run(e);
    if (r.status() != RunStatus.OPEN) {
      throw new IllegalStateException("run " + r.id() + " is already " + r.status().cliName());
    }
    int attempt = CanonicalJson.integer(p, "attempt");
    if (attempt != r.attempt()) {
      throw new IllegalStateException("it comes from attempt " + attempt + " but the run is at attempt " + r.attempt());
    }
    return r;
  }

  private static Instant timestamp(LedgerEntry e) {
    try {
      return Instant.parse(e.recordedAt());
    } catch (DateTimeParseException ex) {
      throw new IllegalArgumentException("recorded_at '" + e.recordedAt() + "' is not an ISO-8601 instant");
    }
  }
}
