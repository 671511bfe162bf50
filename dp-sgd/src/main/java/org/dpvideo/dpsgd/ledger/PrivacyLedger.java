package org.dpvideo.dpsgd.ledger;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.dpvideo.dpsgd.PrivacyUnit;
import org.dpvideo.dpsgd.accounting.ComposedEvent;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.accounting.PrivacyAccountant;

/**
 * The privacy budget ledger: a durable, tamper-evident record of every private release against every
 * dataset, and the gate that refuses a run which would overspend.
 *
 * <h2>Model</h2>
 * A dataset (identified by its content hash, {@link DatasetFingerprint}) has a budget (epsilon, delta) and a
 * privacy unit. Each run on it reserves its whole planned {@link DpEvent} before it reads any private data;
 * the reservation passes only if the <em>composition</em> of every run's charged event with the planned
 * event stays within the budget, computed by the ledger's {@link PrivacyAccountant} at the budget's delta.
 * A run is charged its planned event while it is open (running, or crashed and not yet resolved) and when
 * it is abandoned; a completed run is charged its final event. So an open reservation always counts in
 * full and a crashed run is never dropped: it is either resumed (same run id, next attempt) or abandoned
 * (counted as planned).
 *
 * <h2>Protocol for a training loop</h2>
 * <pre>{@code
 * try (PrivacyLedger ledger = PrivacyLedger.open(LedgerLocation.parse(opt), new PldAccountant())) {
 *   DatasetId ds = ledger.registerDataset(DatasetFingerprint.compute(manifest, files), label, who).id();
 *   Reservation r = resumeFrom == null
 *       ? ledger.reserve(new ReservationRequest(ds, plannedEvent, delta, unit, who)) // may refuse
 *       : ledger.resume(resumeFrom, plannedEvent, who);                               // same run id
 *   // ... train; at every checkpoint (after writing it):
 *   ledger.recordProgress(r, eventOfStepsDoneSoFar);
 *   // ... at the end (before releasing the model):
 *   ledger.complete(r, finalEvent);
 * }
 * }</pre>
 *
 * <h2>Storage and integrity</h2>
 * Every change is one entry appended to a hash-chained log ({@link LedgerEntry}); the state is replayed
 * from the log alone. Writers are serialized by the database (see {@link LedgerStore}), so two runs racing
 * on one dataset cannot both pass the budget check. A reservation is refused when the log fails
 * verification. Corrupted or locked files raise {@link LedgerUnavailableException}; nothing is ever
 * repaired, rewritten or deleted.
 *
 * <p>Thread-safe: calls on one instance are serialized. Several instances (processes, hosts with
 * PostgreSQL) may use one ledger at once.
 */
public final class PrivacyLedger implements AutoCloseable {
  private static final double RELATIVE_SLACK = 1e-9;

  private final LedgerStore store;
  private final PrivacyAccountant accountant;
  private final Map<EpsilonKey, Double> epsilonCache = new LinkedHashMap<>(64, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<EpsilonKey, Double> eldest) {
      return size() > 256;
    }
  };
  private boolean closed;

  private record EpsilonKey(DpEvent event, double delta) {}

  private PrivacyLedger(LedgerStore store, PrivacyAccountant accountant) {
    this.store = store;
    this.accountant = accountant;
  }

  /**
   * Opens the ledger for writing, creating it when missing.
   *
   * @param accountant composes events for budget checks and balances (PLD is the default elsewhere)
   * @throws LedgerUnavailableException when it is locked, damaged, too new or unreachable
   */
  public static PrivacyLedger open(LedgerLocation location, PrivacyAccountant accountant) {
    return open(location, accountant, LedgerOptions.forWriting());
  }

  /**
   * Opens the ledger.
   *
   * @throws LedgerUnavailableException when it is missing (and {@code options} do not create it), locked,
   *     damaged, too new or unreachable
   */
  public static PrivacyLedger open(LedgerLocation location, PrivacyAccountant accountant, LedgerOptions options) {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(accountant, "accountant");
    Objects.requireNonNull(options, "options");
    return new PrivacyLedger(LedgerStore.open(location, options, Provenance.current("")), accountant);
  }

  /** Where this ledger lives. */
  public LedgerLocation location() {
    return store.location();
  }

  /** The accountant that composes events. */
  public PrivacyAccountant accountant() {
    return accountant;
  }

  // ---------------------------------------------------------------- datasets and budgets

  /**
   * Records a dataset by its fingerprint (idempotent: a known dataset is returned unchanged, except that
   * a dataset first known by id alone gains its manifest details).
   *
   * @param label a human-readable name, e.g. the manifest path; may be empty
   */
  public synchronized DatasetRecord registerDataset(DatasetFingerprint fingerprint, String label, Provenance by) {
    ensureOpen();
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(by, "provenance");
    String cleanLabel = cleanLabel(label);
    return store.write("register dataset " + fingerprint.id().abbreviated(), txn -> {
      LedgerReplay.State state = replay(txn.readDatasetHeader(fingerprint.id()), "register a dataset");
      DatasetRecord known = state.datasets().get(fingerprint.id());
      if (known != null && known.fingerprint().isPresent()) {
        return known;
      }
      ObjectNode p = CanonicalJson.object();
      p.put("label", cleanLabel);
      p.put("manifest_sha256", fingerprint.manifestSha256());
      p.put("file_count", fingerprint.fileCount());
      p.put("total_bytes", fingerprint.totalBytes());
      p.set("provenance", CanonicalJson.provenance(by));
      txn.append(LedgerEntryKind.DATASET_REGISTERED, fingerprint.id().hex(), "", CanonicalJson.write(p));
      return replay(txn.readDatasetHeader(fingerprint.id()), "register a dataset").datasets().get(fingerprint.id());
    });
  }

  /**
   * Sets (or changes) a dataset's budget, registering the dataset by id when it is not yet known. Lowering
   * a budget below what is spent is allowed: no further run will pass.
   *
   * @param unit fixes the dataset's privacy unit; empty keeps it (or leaves it to the first run)
   * @param label a name for a dataset registered here; ignored for a known dataset; may be empty
   * @throws IllegalArgumentException if {@code unit} differs from the dataset's established unit
   */
  public synchronized DatasetRecord setBudget(DatasetId dataset, PrivacyBudget budget, Optional<PrivacyUnit> unit,
      String label, Provenance by) {
    ensureOpen();
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(budget, "budget");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(by, "provenance");
    String cleanLabel = cleanLabel(label);
    return store.write("set the budget of dataset " + dataset.abbreviated(), txn -> {
      LedgerReplay.State state = replay(txn.readDataset(dataset), "set a budget");
      DatasetRecord known = state.datasets().get(dataset);
      if (known == null) {
        ObjectNode reg = CanonicalJson.object();
        reg.put("label", cleanLabel);
        reg.set("provenance", CanonicalJson.provenance(by));
        txn.append(LedgerEntryKind.DATASET_REGISTERED, dataset.hex(), "", CanonicalJson.write(reg));
      } else if (unit.isPresent() && known.privacyUnit().isPresent() && known.privacyUnit().get() != unit.get()) {
        throw new IllegalArgumentException("dataset " + dataset.abbreviated() + " is accounted per "
            + known.privacyUnit().get().cliName() + " (its budget or runs say so), not per " + unit.get().cliName()
            + "; epsilons for different privacy units do not compose, so the unit of a dataset cannot change."
            + " Leave out --unit, or fingerprint the data as a new dataset");
      }
      ObjectNode p = CanonicalJson.object();
      p.put("epsilon", budget.epsilon());
      p.put("delta", budget.delta());
      unit.ifPresent(u -> p.put("privacy_unit", u.cliName()));
      p.set("provenance", CanonicalJson.provenance(by));
      txn.append(LedgerEntryKind.BUDGET_SET, dataset.hex(), "", CanonicalJson.write(p));
      return replay(txn.readDataset(dataset), "set a budget").datasets().get(dataset);
    });
  }

  // ---------------------------------------------------------------- the run protocol

  /**
   * Reserves a run's whole planned event, or refuses it. Call before reading any private data. The check
   * and the reservation happen in one transaction that excludes every other writer, after verifying the
   * whole log.
   *
   * @throws PrivacyBudgetExceededException if the composition of every earlier run's charged event with the
   *     planned event exceeds the budget (nothing is recorded)
   * @throws IllegalStateException if the dataset is unknown or has no budget
   * @throws IllegalArgumentException if the privacy unit differs from the dataset's
   * @throws LedgerIntegrityException if the log fails verification
   */
  public synchronized Reservation reserve(ReservationRequest request) {
    ensureOpen();
    Objects.requireNonNull(request, "request");
    DatasetId ds = request.dataset();
    return store.write("reserve a run on dataset " + ds.abbreviated(), txn -> {
      List<LedgerEntry> all = txn.readAll();
      ChainVerification v = HashChain.verify(all, Optional.empty());
      LedgerReplay.State state = LedgerReplay.replay(all);
      v = v.withProblems(state.problems());
      if (!v.intact()) {
        throw new LedgerIntegrityException(location(), "reserve a run", v);
      }
      DatasetRecord d = state.datasets().get(ds);
      if (d == null) {
        throw new IllegalStateException("dataset " + ds + " is not in the ledger " + location().display()
            + "; a run needs a budget first: `dpvideo budget set --dataset " + ds
            + " --epsilon E --delta D --ledger " + location().display() + "`");
      }
      PrivacyBudget budget = d.budget().orElseThrow(() -> new IllegalStateException("dataset " + ds
          + " has no privacy budget in the ledger " + location().display() + "; set one with `dpvideo budget set"
          + " --dataset " + ds + " --epsilon E --delta D --ledger " + location().display() + "`"));
      if (d.privacyUnit().isPresent() && d.privacyUnit().get() != request.privacyUnit()) {
        throw new IllegalArgumentException("the run protects one " + request.privacyUnit().cliName()
            + " but dataset " + ds.abbreviated() + " is accounted per " + d.privacyUnit().get().cliName()
            + "; epsilons for different privacy units do not compose. Run with --privacy-unit "
            + d.privacyUnit().get().cliName());
      }
      List<RunRecord> prior = state.runsOf(ds);
      List<DpEvent> charges = new ArrayList<>();
      for (RunRecord r : prior) {
        charges.add(r.chargedEvent());
      }
      double spent = composedEpsilon(charges, budget.delta());
      double planned = epsilon(request.planned(), budget.delta());
      charges.add(request.planned());
      double total = composedEpsilon(charges, budget.delta());
      int open = (int) prior.stream().filter(RunRecord::isOpen).count();
      if (!(total <= budget.epsilon())) {
        throw new PrivacyBudgetExceededException(ds, budget, spent, planned, total, prior.size(), open,
            accountant.kind());
      }
      RunId id = RunId.random();
      ObjectNode check = CanonicalJson.object();
      check.put("budget_epsilon", budget.epsilon());
      check.put("budget_delta", budget.delta());
      check.put("spent_epsilon", spent);
      check.put("planned_epsilon", planned);
      check.put("total_epsilon", total);
      ObjectNode p = CanonicalJson.object();
      p.put("attempt", 1);
      p.set("planned_event", CanonicalJson.event(request.planned()));
      p.put("delta", request.delta());
      p.put("privacy_unit", request.privacyUnit().cliName());
      p.put("accountant", accountant.kind().cliName());
      p.set("check", check);
      p.set("provenance", CanonicalJson.provenance(request.provenance()));
      txn.append(LedgerEntryKind.RUN_RESERVED, ds.hex(), id.value(), CanonicalJson.write(p));
      return new Reservation(id, 1, ds, request.planned(), request.delta(), request.privacyUnit(), Optional.empty());
    });
  }

  /**
   * Records durably what the run has spent so far (call it at every checkpoint, after the checkpoint is
   * written). While the run is open it stays charged its full planned event; progress shows how far it got
   * and is kept for the audit trail.
   *
   * @param spentSoFar the event of every step and statistic released so far
   * @throws IllegalStateException if the run is no longer open, if a newer attempt has resumed it (this
   *     process must stop), or if {@code spentSoFar} exceeds the reservation (then it is recorded and
   *     charged anyway, and the run must stop)
   */
  public synchronized void recordProgress(Reservation reservation, DpEvent spentSoFar) {
    ensureOpen();
    Objects.requireNonNull(reservation, "reservation");
    Objects.requireNonNull(spentSoFar, "spentSoFar");
    boolean exceeded = store.write("record progress of run " + reservation.runId().abbreviated(), txn -> {
      RunRecord run = currentRun(txn, reservation, "record progress of");
      boolean exceeds = exceeds(spentSoFar, run.chargedEvent(), run.delta());
      ObjectNode p = CanonicalJson.object();
      p.put("attempt", reservation.attempt());
      p.set("spent_event", CanonicalJson.event(spentSoFar));
      p.put("exceeds_reservation", exceeds);
      txn.append(LedgerEntryKind.RUN_PROGRESS, run.dataset().hex(), run.id().value(), CanonicalJson.write(p));
      return exceeds;
    });
    if (exceeded) {
      throw new IllegalStateException("run " + reservation.runId() + " recorded spending more than it reserved"
          + " (epsilon " + fmt(epsilon(spentSoFar, reservation.delta())) + " > reserved "
          + fmt(epsilon(reservation.planned(), reservation.delta())) + " at delta " + fmt(reservation.delta())
          + "); the ledger recorded and charged it, and the run must stop. This is a bug in the training"
          + " loop's plan; report it");
    }
  }

  /**
   * Completes the run: its final event replaces the reservation (a run that stopped early gives back the
   * rest of its plan). Call before the result is released.
   *
   * @throws IllegalStateException if the run is no longer open, if a newer attempt has resumed it, or if
   *     the final event exceeds the reservation (it is recorded and charged anyway)
   */
  public synchronized RunRecord complete(Reservation reservation, DpEvent finalEvent) {
    ensureOpen();
    Objects.requireNonNull(reservation, "reservation");
    Objects.requireNonNull(finalEvent, "finalEvent");
    Object[] out = new Object[2];
    store.write("complete run " + reservation.runId().abbreviated(), txn -> {
      RunRecord run = currentRun(txn, reservation, "complete");
      boolean exceeds = exceeds(finalEvent, run.planned(), run.delta());
      String charged = "final";
      if (run.exceededReservation()
          && epsilon(finalEvent, run.delta()) < epsilon(run.chargedEvent(), run.delta())) {
        charged = "previous";
      }
      ObjectNode p = CanonicalJson.object();
      p.put("attempt", reservation.attempt());
      p.set("final_event", CanonicalJson.event(finalEvent));
      p.put("delta", run.delta());
      p.put("epsilon", epsilon(finalEvent, run.delta()));
      p.put("exceeds_reservation", exceeds);
      p.put("charged", charged);
      txn.append(LedgerEntryKind.RUN_COMPLETED, run.dataset().hex(), run.id().value(), CanonicalJson.write(p));
      out[0] = runState(txn, run.dataset(), run.id());
      out[1] = exceeds;
      return null;
    });
    if ((Boolean) out[1]) {
      throw new IllegalStateException("run " + reservation.runId() + " completed having spent more than it"
          + " reserved (epsilon " + fmt(epsilon(finalEvent, reservation.delta())) + " > reserved "
          + fmt(epsilon(reservation.planned(), reservation.delta())) + " at delta " + fmt(reservation.delta())
          + "); the ledger recorded and charged the final event. This is a bug in the training loop's plan;"
          + " report it");
    }
    return (RunRecord) out[0];
  }

  /**
   * Resumes an open run in a new process: the same run id and reservation, the next attempt number.
   * Earlier attempts can no longer record.
   *
   * @param expectedPlan the plan the resumed process will follow; must equal the reserved plan
   * @throws IllegalStateException if the run is unknown, completed or abandoned
   * @throws IllegalArgumentException if the plan differs from the reserved one
   */
  public synchronized Reservation resume(RunId runId, DpEvent expectedPlan, Provenance by) {
    ensureOpen();
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(expectedPlan, "expectedPlan");
    Objects.requireNonNull(by, "provenance");
    return store.write("resume run " + runId.abbreviated(), txn -> {
      RunRecord run = knownRun(txn, runId, "resume");
      if (!run.isOpen()) {
        throw new IllegalStateException(closedMessage(run, "resume"));
      }
      if (!run.planned().equals(expectedPlan)) {
        throw new IllegalArgumentException("run " + runId + " reserved the plan " + shortJson(run.planned())
            + " but the resumed process would follow " + shortJson(expectedPlan) + "; a resumed run must"
            + " continue its reserved plan. Resume with the original settings, or start a new run (and"
            + " abandon this one with `dpvideo budget abandon --run " + runId + "`)");
      }
      ObjectNode p = CanonicalJson.object();
      p.put("attempt", run.attempt() + 1);
      p.set("provenance", CanonicalJson.provenance(by));
      txn.append(LedgerEntryKind.RUN_RESUMED, run.dataset().hex(), runId.value(), CanonicalJson.write(p));
      return new Reservation(runId, run.attempt() + 1, run.dataset(), run.planned(), run.delta(),
          run.privacyUnit(), run.latestProgress());
    });
  }

  /**
   * Closes an open run that will never finish. Its reservation stays counted in full (whatever it
   * recorded as progress, data it read after that may have influenced released state).
   *
   * @throws IllegalStateException if the run is unknown, completed or already abandoned
   */
  public synchronized RunRecord abandon(RunId runId, String reason, Provenance by) {
    ensureOpen();
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(by, "provenance");
    String cleanReason = cleanLabel(reason);
    return store.write("abandon run " + runId.abbreviated(), txn -> {
      RunRecord run = knownRun(txn, runId, "abandon");
      if (!run.isOpen()) {
        throw new IllegalStateException(closedMessage(run, "abandon"));
      }
      ObjectNode p = CanonicalJson.object();
      p.put("reason", cleanReason);
      p.set("provenance", CanonicalJson.provenance(by));
      txn.append(LedgerEntryKind.RUN_ABANDONED, run.dataset().hex(), runId.value(), CanonicalJson.write(p));
      return runState(txn, run.dataset(), runId);
    });
  }

  // ---------------------------------------------------------------- reading

  /** Every dataset's balance and the verification of the whole log (one consistent read). */
  public synchronized LedgerSnapshot snapshot() {
    ensureOpen();
    List<LedgerEntry> all = store.readAll();
    LedgerReplay.State state = LedgerReplay.replay(all);
    ChainVerification v = HashChain.verify(all, Optional.empty()).withProblems(state.problems());
    List<DatasetBalance> balances = new ArrayList<>();
    for (DatasetRecord d : state.datasets().values()) {
      balances.add(balanceOf(d, state.runsOf(d.id())));
    }
    return new LedgerSnapshot(location().display(), v, accountant.kind(), balances);
  }

  /**
   * One dataset's balance.
   *
   * @throws IllegalArgumentException if the dataset is not in the ledger
   */
  public synchronized DatasetBalance balance(DatasetId dataset) {
    ensureOpen();
    LedgerReplay.State state = LedgerReplay.replay(store.readAll());
    DatasetRecord d = state.datasets().get(dataset);
    if (d == null) {
      throw new IllegalArgumentException("dataset " + dataset + " is not in the ledger " + location().display());
    }
    return balanceOf(d, state.runsOf(dataset));
  }

  /** A run, if it is in the ledger. */
  public synchronized Optional<RunRecord> run(RunId runId) {
    ensureOpen();
    return Optional.ofNullable(LedgerReplay.replay(store.readAll()).runs().get(runId));
  }

  /** Every stored entry, in storage order. */
  public synchronized List<LedgerEntry> entries() {
    ensureOpen();
    return store.readAll();
  }

  /**
   * Verifies the whole log: the hash chain, that the entries describe a possible history, and, when given,
   * that the anchored head hash from an earlier export is still in the chain.
   */
  public synchronized ChainVerification verify(Optional<String> anchor) {
    ensureOpen();
    List<LedgerEntry> all = store.readAll();
    return HashChain.verify(all, anchor).withProblems(LedgerReplay.replay(all).problems());
  }

  /**
   * Finds a dataset by its full id, a unique id prefix (at least 4 digits) or its exact label. A full id
   * that is not in the ledger is returned as is (so a budget can be set before the first run).
   *
   * @throws IllegalArgumentException naming the candidates when nothing or more than one dataset matches
   */
  public synchronized DatasetId resolveDataset(String idPrefixOrLabel) {
    ensureOpen();
    String q = idPrefixOrLabel == null ? "" : idPrefixOrLabel.trim();
    String lower = q.toLowerCase(Locale.ROOT);
    if (lower.matches("[0-9a-f]{64}")) {
      return DatasetId.of(lower);
    }
    Map<DatasetId, DatasetRecord> known = LedgerReplay.replay(store.readAll()).datasets();
    List<DatasetId> matches = new ArrayList<>();
    if (lower.matches("[0-9a-f]{4,63}")) {
      known.keySet().stream().filter(id -> id.hex().startsWith(lower)).forEach(matches::add);
    }
    if (matches.isEmpty()) {
      known.values().stream().filter(d -> !d.label().isEmpty() && d.label().equals(q)).map(DatasetRecord::id)
          .forEach(matches::add);
    }
    if (matches.size() == 1) {
      return matches.get(0);
    }
    String list = known.values().stream().map(d -> d.id().abbreviated() + (d.label().isEmpty() ? "" : " (" + d.label() + ")"))
        .reduce((a, b) -> a + ", " + b).orElse("none");
    if (matches.isEmpty()) {
      throw new IllegalArgumentException("no dataset in the ledger " + location().display() + " has the id, id"
          + " prefix (4+ hex digits) or label '" + q + "'; known datasets: " + list);
    }
    throw new IllegalArgumentException("'" + q + "' matches " + matches.size() + " datasets in the ledger; give"
        + " more digits of the id. Matches: " + matches.stream().map(DatasetId::hex).toList());
  }

  /**
   * Finds a run by its full id or a unique prefix (at least 4 characters).
   *
   * @throws IllegalArgumentException when nothing or more than one run matches
   */
  public synchronized RunId resolveRun(String idOrPrefix) {
    ensureOpen();
    String q = idOrPrefix == null ? "" : idOrPrefix.trim().toLowerCase(Locale.ROOT);
    Map<RunId, RunRecord> runs = LedgerReplay.replay(store.readAll()).runs();
    List<RunId> matches = q.length() < 4 ? List.of()
        : runs.keySet().stream().filter(id -> id.value().startsWith(q)).toList();
    if (matches.size() == 1) {
      return matches.get(0);
    }
    if (matches.isEmpty()) {
      throw new IllegalArgumentException("no run in the ledger " + location().display() + " has an id starting"
          + " with '" + idOrPrefix + "' (give at least 4 characters); `dpvideo budget show` lists run ids");
    }
    throw new IllegalArgumentException("'" + idOrPrefix + "' matches " + matches.size() + " runs; give more"
        + " characters. Matches: " + matches);
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      store.close();
    }
  }

  // ---------------------------------------------------------------- internals

  private DatasetBalance balanceOf(DatasetRecord d, List<RunRecord> runs) {
    if (d.budget().isEmpty() || runs.isEmpty()) {
      List<RunBalance> rb = new ArrayList<>();
      return new DatasetBalance(d, rb, accountant.kind(), 0, 0, 0);
    }
    double delta = d.budget().get().delta();
    List<RunBalance> rb = new ArrayList<>();
    List<DpEvent> all = new ArrayList<>();
    List<DpEvent> closedCharges = new ArrayList<>();
    int open = 0;
    for (RunRecord r : runs) {
      rb.add(new RunBalance(r, epsilon(r.planned(), delta), epsilon(r.chargedEvent(), delta)));
      all.add(r.chargedEvent());
      if (r.isOpen()) {
        open++;
      } else {
        closedCharges.add(r.chargedEvent());
      }
    }
    return new DatasetBalance(d, rb, accountant.kind(), composedEpsilon(all, delta),
        composedEpsilon(closedCharges, delta), open);
  }

  private RunRecord currentRun(LedgerStore.Txn txn, Reservation reservation, String action) throws SQLException {
    RunRecord run = knownRun(txn, reservation.runId(), action);
    if (!run.isOpen()) {
      throw new IllegalStateException(closedMessage(run, action));
    }
    if (run.attempt() != reservation.attempt()) {
      throw new IllegalStateException("cannot " + action + " run " + run.id() + ": this process holds attempt "
          + reservation.attempt() + " but the run was resumed as attempt " + run.attempt() + " by another"
          + " process; this process must stop (two processes training on one reservation would spend it twice)");
    }
    return run;
  }

  private RunRecord knownRun(LedgerStore.Txn txn, RunId runId, String action) throws SQLException {
    List<LedgerEntry> runEntries = txn.readRun(runId);
    if (runEntries.isEmpty()) {
      throw new IllegalStateException("cannot " + action + " run " + runId + ": it is not in the ledger "
          + location().display() + "; is --ledger the one the run reserved in?");
    }
    DatasetId ds = DatasetId.of(runEntries.get(0).datasetId());
    RunRecord run = runState(txn, ds, runId);
    if (run == null) {
      throw new IllegalStateException("cannot " + action + " run " + runId + ": its entries do not describe a"
          + " reservation; run `dpvideo budget verify`");
    }
    return run;
  }

  /** Replays one run (with its dataset's registration and budgets), failing on any inconsistency. */
  private RunRecord runState(LedgerStore.Txn txn, DatasetId ds, RunId runId) throws SQLException {
    List<LedgerEntry> entries = new ArrayList<>(txn.readDatasetHeader(ds));
    entries.addAll(txn.readRun(runId));
    entries.sort(Comparator.comparingLong(LedgerEntry::seq));
    return replay(entries, "use run " + runId.abbreviated()).runs().get(runId);
  }

  private LedgerReplay.State replay(List<LedgerEntry> entries, String action) {
    LedgerReplay.State state = LedgerReplay.replay(entries);
    List<ChainProblem> problems = new ArrayList<>(state.problems());
    for (LedgerEntry e : entries) {
      if (!e.recomputedHash().equals(e.hash())) {
        problems.add(new ChainProblem(ChainProblem.Kind.EDITED, e.seq(), "entry " + e.describe()
            + " was edited after it was written"));
      }
    }
    if (!problems.isEmpty()) {
      String head = entries.isEmpty() ? LedgerEntry.GENESIS_PREV_HASH : entries.get(entries.size() - 1).hash();
      throw new LedgerIntegrityException(location(), action,
          new ChainVerification(entries.size(), head, Optional.empty(), Optional.empty(), problems));
    }
    return state;
  }

  /**
   * Whether {@code event} spends more than {@code reserved}. Decided structurally when {@code event} is a
   * part of {@code reserved} (then it cannot spend more, and no accountant call is needed, which keeps
   * progress records cheap); otherwise by comparing epsilons at {@code delta}.
   */
  private boolean exceeds(DpEvent event, DpEvent reserved, double delta) {
    if (EventParts.isPartOf(event, reserved)) {
      return false;
    }
    double e = epsilon(event, delta);
    double r = epsilon(reserved, delta);
    return e > r * (1 + RELATIVE_SLACK) + 1e-12;
  }

  private double composedEpsilon(List<DpEvent> events, double delta) {
    if (events.isEmpty()) {
      return 0;
    }
    return epsilon(events.size() == 1 ? events.get(0) : new ComposedEvent(events), delta);
  }

  private double epsilon(DpEvent event, double delta) {
    EpsilonKey key = new EpsilonKey(event, delta);
    Double cached = epsilonCache.get(key);
    if (cached != null) {
      return cached;
    }
    double eps = accountant.epsilon(event, delta).epsilon();
    epsilonCache.put(key, eps);
    return eps;
  }

  private static String closedMessage(RunRecord run, String action) {
    if (run.status() == RunStatus.COMPLETED) {
      return "cannot " + action + " run " + run.id() + ": it completed at " + run.closedAt().orElseThrow()
          + "; its final event is recorded. Start a new run instead";
    }
    return "cannot " + action + " run " + run.id() + ": it was abandoned at " + run.closedAt().orElseThrow()
        + " (" + run.abandonReason().orElse("") + ") and stays charged its full reservation; a process still"
        + " training under it must stop. Start a new run instead";
  }

  private static String shortJson(DpEvent e) {
    String s = org.dpvideo.dpsgd.accounting.DpEventJson.toJson(e);
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }

  private static String cleanLabel(String label) {
    return label == null ? "" : label.replace('\n', ' ').replace('\r', ' ').trim();
  }

  private static String fmt(double v) {
    return PrivacyBudgetExceededException.fmt(v);
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("this ledger was closed; open it again with PrivacyLedger.open");
    }
  }
}
