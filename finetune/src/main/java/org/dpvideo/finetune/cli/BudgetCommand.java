package org.dpvideo.finetune.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.dpvideo.dpsgd.PrivacyUnit;
import org.dpvideo.dpsgd.accounting.AccountantKind;
import org.dpvideo.dpsgd.ledger.ChainVerification;
import org.dpvideo.dpsgd.ledger.DatasetBalance;
import org.dpvideo.dpsgd.ledger.DatasetId;
import org.dpvideo.dpsgd.ledger.DatasetRecord;
import org.dpvideo.dpsgd.ledger.LedgerIntegrityException;
import org.dpvideo.dpsgd.ledger.LedgerJson;
import org.dpvideo.dpsgd.ledger.LedgerSnapshot;
import org.dpvideo.dpsgd.ledger.LedgerUnavailableException;
import org.dpvideo.dpsgd.ledger.PrivacyBudget;
import org.dpvideo.dpsgd.ledger.PrivacyLedger;
import org.dpvideo.dpsgd.ledger.Provenance;
import org.dpvideo.dpsgd.ledger.RunBalance;
import org.dpvideo.dpsgd.ledger.RunId;
import org.dpvideo.dpsgd.ledger.RunRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dpvideo budget ...}: the privacy budget ledger. {@code show} prints what every dataset has spent
 * (the composition of its runs' events; open reservations counted in full), {@code set} sets a dataset's
 * budget, {@code verify} checks the ledger's hash chain (optionally against an exported head hash),
 * {@code export} writes the JSON audit trail an auditor keeps, and {@code abandon} closes a crashed run
 * that will not be resumed (its reservation stays counted in full).
 */
@Command(name = "budget", mixinStandardHelpOptions = true, description = "Show, set, verify and export the privacy budget ledger.",
    subcommands = {
        BudgetCommand.Show.class,
        BudgetCommand.Set.class,
        BudgetCommand.Verify.class,
        BudgetCommand.Export.class,
        BudgetCommand.Abandon.class,
    })
public final class BudgetCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code --accountant pld|rdp}: which accountant composes the events for the printed epsilons. */
  static final class AccountantOption {
    @Option(names = "--accountant", paramLabel = "pld|rdp", defaultValue = "pld",
        converter = AccountantConverter.class,
        description = "Accountant that composes the runs' events (default: ${DEFAULT-VALUE}).")
    AccountantKind kind;
  }

  static final class AccountantConverter implements CommandLine.ITypeConverter<AccountantKind> {
    @Override
    public AccountantKind convert(String value) {
      return AccountantKind.parse(value);
    }
  }

  static final class UnitConverter implements CommandLine.ITypeConverter<PrivacyUnit> {
    @Override
    public PrivacyUnit convert(String value) {
      return PrivacyUnit.parse(value);
    }
  }

  // ------------------------------------------------------------------ show

  /** {@code budget show [--dataset ID] [--json]}. */
  @Command(name = "show", mixinStandardHelpOptions = true, description = "Print each dataset's budget, what it has spent (composition of its runs,"
      + " open reservations counted in full) and its runs.")
  static final class Show implements Runnable {
    @Mixin
    LedgerOption ledger;
    @Mixin
    AccountantOption accountant;
    @Option(names = "--dataset", paramLabel = "ID", description = "Only this dataset: its id, a unique id prefix"
        + " (4+ hex digits) or its label.")
    String dataset;
    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      PrintWriter out = spec.commandLine().getOut();
      try (PrivacyLedger l = ledger.openForReading(LedgerOption.accountant(accountant.kind))) {
        LedgerSnapshot snapshot = userFacing(l::snapshot);
        List<DatasetBalance> shown = snapshot.datasets();
        if (dataset != null) {
          DatasetId id = l.resolveDataset(dataset);
          shown = shown.stream().filter(b -> b.dataset().id().equals(id)).toList();
          if (shown.isEmpty()) {
            throw new IllegalArgumentException("dataset " + id + " is not in the ledger " + l.location().display());
          }
        }
        if (json) {
          ObjectNode root = LedgerJson.balances(snapshot);
          ArrayNode arr = root.putArray("datasets");
          shown.forEach(b -> arr.add(LedgerJson.dataset(b)));
          out.print(LedgerJson.pretty(root));
        } else {
          printText(out, snapshot, shown);
        }
        out.flush();
      }
    }

    private static void printText(PrintWriter out, LedgerSnapshot s, List<DatasetBalance> shown) {
      ChainVerification v = s.verification();
      out.println("ledger " + s.location() + " (accountant " + s.accountant().cliName() + ")");
      if (v.intact()) {
        out.println("chain  intact: " + v.entryCount() + " entries, head " + v.headHash());
      } else {
        out.println("chain  NOT INTACT: " + v.problems().size() + " problem(s); the figures below may be wrong."
            + " Run `dpvideo budget verify` for the details.");
      }
      if (shown.isEmpty()) {
        out.println();
        out.println("no datasets yet: `dpvideo budget set --dataset ID --epsilon E --delta D` sets a budget,"
            + " and a private run registers its dataset");
      }
      for (DatasetBalance b : shown) {
        DatasetRecord d = b.dataset();
        out.println();
        out.println("dataset " + d.id().hex() + (d.label().isEmpty() ? "" : "  " + d.label()));
        d.fingerprint().ifPresent(f -> out.println("  files         " + f.fileCount() + " files, " + f.totalBytes()
            + " bytes, manifest sha256 " + f.manifestSha256()));
        out.println("  privacy unit  " + d.privacyUnit().map(PrivacyUnit::cliName).orElse("not fixed yet"));
        if (d.budget().isEmpty()) {
          out.println("  budget        none: no run may start. Set one with `dpvideo budget set --dataset "
              + d.id().abbreviated() + " --epsilon E --delta D`");
          continue;
        }
        PrivacyBudget budget = d.budget().get();
        out.println("  budget        epsilon " + fmt(budget.epsilon()) + " at delta " + fmt(budget.delta()));
        out.println("  spent         epsilon " + fmt(b.spentEpsilon()) + " at delta " + fmt(budget.delta()) + " ("
            + b.accountant().cliName() + " composition of " + b.runs().size() + " run(s); " + b.openRuns()
            + " open reservation(s) counted in full)");
        if (b.openRuns() > 0) {
          out.println("  closed runs   epsilon " + fmt(b.closedEpsilon()) + " (completed and abandoned runs only)");
        }
        out.println("  status        " + (b.overBudget() ? "OVER BUDGET: no further run will pass"
            : "within budget"));
        if (!b.runs().isEmpty()) {
          out.println("  runs          (epsilons of each run alone at the budget's delta)");
          for (RunBalance rb : b.runs()) {
            RunRecord r = rb.run();
            StringBuilder line = new StringBuilder("    ").append(r.id().value()).append("  ")
                .append(String.format(Locale.ROOT, "%-9s", r.status().cliName()))
                .append(" planned ").append(fmt(rb.plannedEpsilon()))
                .append("  charged ").append(fmt(rb.chargedEpsilon()))
                .append("  ").append(r.privacyUnit().cliName())
                .append("  by ").append(r.reservedBy().user()).append('@').append(r.reservedBy().host())
                .append("  ").append(r.reservedAt());
            r.closedAt().ifPresent(t -> line.append(" -> ").append(t));
            if (r.attempt() > 1) {
              line.append("  (resumed, attempt ").append(r.attempt()).append(')');
            }
            if (r.exceededReservation()) {
              line.append("  EXCEEDED ITS RESERVATION");
            }
            r.abandonReason().ifPresent(reason -> line.append("  abandoned: ").append(reason));
            out.println(line);
          }
        }
      }
    }
  }

  // ------------------------------------------------------------------ set

  /** {@code budget set --dataset ID --epsilon E --delta D [--unit example|subject] [--label TEXT]}. */
  @Command(name = "set", mixinStandardHelpOptions = true, description = "Set or change a dataset's total privacy budget (epsilon, delta).")
  static final class Set implements Runnable {
    @Mixin
    LedgerOption ledger;
    @Mixin
    AccountantOption accountant;
    @Option(names = "--dataset", required = true, paramLabel = "ID",
        description = "The dataset: its full 64-digit id (content hash; it need not be in the ledger yet), a unique"
            + " id prefix or its label.")
    String dataset;
    @Option(names = "--epsilon", required = true, paramLabel = "E", description = "Total epsilon of every run on"
        + " the dataset, composed.")
    double epsilon;
    @Option(names = "--delta", required = true, paramLabel = "D", description = "The delta of the budget.")
    double delta;
    @Option(names = "--unit", paramLabel = "example|subject", converter = UnitConverter.class,
        description = "The privacy unit the budget protects (fixed once set; default: left to the first run).")
    PrivacyUnit unit;
    @Option(names = "--label", paramLabel = "TEXT", description = "A name for a dataset new to the ledger.")
    String label;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      PrivacyBudget budget = new PrivacyBudget(epsilon, delta);
      PrintWriter out = spec.commandLine().getOut();
      try (PrivacyLedger l = ledger.openForWriting(LedgerOption.accountant(accountant.kind))) {
        DatasetId id = l.resolveDataset(dataset);
        userFacing(() -> l.setBudget(id, budget, Optional.ofNullable(unit), label, provenance(spec)));
        DatasetBalance b = l.balance(id);
        out.println("budget of dataset " + id.hex() + " set to epsilon " + fmt(budget.epsilon()) + " at delta "
            + fmt(budget.delta()) + b.dataset().privacyUnit().map(u -> " per " + u.cliName()).orElse("")
            + " in " + l.location().display());
        out.println("spent so far: epsilon " + fmt(b.spentEpsilon()) + " (" + b.runs().size() + " run(s), "
            + b.openRuns() + " open)");
        if (b.overBudget()) {
          out.println("note: the dataset has already spent more than the new budget; no further run will pass");
        }
        out.flush();
      }
    }
  }

  // ------------------------------------------------------------------ verify

  /** {@code budget verify [--expect-head HASH] [--trail FILE] [--json]}. */
  @Command(name = "verify", mixinStandardHelpOptions = true, description = "Check the ledger's hash chain: detects edited, deleted, inserted and"
      + " reordered entries; with --expect-head also a truncated or rewritten ledger. Exit code 1 when it fails.")
  static final class Verify implements Callable<Integer> {
    @Mixin
    LedgerOption ledger;
    @Option(names = "--expect-head", paramLabel = "HASH", description = "A head hash kept from an earlier"
        + " `budget export`: it must still be in the chain.")
    String expectHead;
    @Option(names = "--trail", paramLabel = "FILE", description = "Verify an exported audit trail file instead"
        + " of a ledger (needs no database).")
    Path trail;
    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      Optional<String> anchor = Optional.ofNullable(expectHead);
      ChainVerification v;
      String what;
      if (trail != null) {
        String text;
        try {
          text = Files.readString(trail);
        } catch (NoSuchFileException e) {
          throw new IllegalArgumentException("audit trail file " + trail + " does not exist");
        } catch (IOException e) {
          throw new UserFacingException("cannot read the audit trail " + trail + ": " + e.getMessage(), e);
        }
        v = LedgerJson.verifyAuditTrail(text, anchor);
        what = "audit trail " + trail;
      } else {
        try (PrivacyLedger l = ledger.openForReading(LedgerOption.accountant(AccountantKind.PLD))) {
          v = userFacing(() -> l.verify(anchor));
          what = "ledger " + l.location().display();
        }
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        ObjectNode root = LedgerJson.verification(v);
        root.put("verified", what);
        out.print(LedgerJson.pretty(root));
      } else {
        out.println(what + ": " + v.describe());
      }
      out.flush();
      if (!v.intact()) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("budget verify: the " + what + " FAILS verification (" + v.problems().size() + " problem(s),"
            + " first: " + v.problems().get(0).kind().name().toLowerCase(Locale.ROOT) + " at #"
            + v.problems().get(0).seq() + "). Its record of spent privacy cannot be trusted; restore it from a"
            + " backup that verifies against the head hash of your last export.");
        err.flush();
        return 1;
      }
      return 0;
    }
  }

  // ------------------------------------------------------------------ export

  /** {@code budget export [--output FILE]}. */
  @Command(name = "export", mixinStandardHelpOptions = true, description = "Write the JSON audit trail (every entry as stored, the head hash, the"
      + " balances) to stdout or a file. Keep the head hash: `budget verify --expect-head HASH` checks it later.")
  static final class Export implements Runnable {
    @Mixin
    LedgerOption ledger;
    @Mixin
    AccountantOption accountant;
    @Option(names = {"--output", "-o"}, paramLabel = "FILE", description = "Write to this file (atomically)"
        + " instead of stdout.")
    Path output;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      String text;
      ChainVerification v;
      try (PrivacyLedger l = ledger.openForReading(LedgerOption.accountant(accountant.kind))) {
        LedgerSnapshot snapshot = userFacing(l::snapshot);
        v = snapshot.verification();
        text = LedgerJson.auditTrail(snapshot, l.entries(), Instant.now());
      }
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      String note = "head hash " + v.headHash() + " (" + v.entryCount() + " entries"
          + (v.intact() ? "" : "; the chain does NOT verify") + "): keep it; `dpvideo budget verify --expect-head "
          + v.headHash() + "` later proves that these entries are still in the ledger";
      if (output == null) {
        out.print(text);
        out.flush();
        err.println(note);
        err.flush();
      } else {
        writeAtomically(output, text);
        out.println("wrote the audit trail to " + output);
        out.println(note);
        out.flush();
      }
    }
  }

  // ------------------------------------------------------------------ abandon

  /** {@code budget abandon --run ID [--reason TEXT]}. */
  @Command(name = "abandon", mixinStandardHelpOptions = true, description = "Close an open run that will never be resumed (its process crashed or"
      + " was stopped). Its whole reservation stays counted as spent.")
  static final class Abandon implements Runnable {
    @Mixin
    LedgerOption ledger;
    @Option(names = "--run", required = true, paramLabel = "ID", description = "The run id or a unique prefix.")
    String run;
    @Option(names = "--reason", paramLabel = "TEXT", defaultValue = "abandoned by an operator",
        description = "Why (recorded in the ledger).")
    String reason;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      try (PrivacyLedger l = ledger.openForReading(LedgerOption.accountant(AccountantKind.PLD))) {
        RunId id = l.resolveRun(run);
        RunRecord r = userFacing(() -> l.abandon(id, reason, provenance(spec)));
        PrintWriter out = spec.commandLine().getOut();
        out.println("run " + r.id() + " abandoned; its whole planned reservation stays counted against dataset "
            + r.dataset().abbreviated());
        out.flush();
      }
    }
  }

  // ------------------------------------------------------------------ shared

  /** Runs a ledger call, turning its complete-sentence failures into messages without a stack trace. */
  static <T> T userFacing(Supplier<T> call) {
    try {
      return call.get();
    } catch (LedgerUnavailableException | LedgerIntegrityException | IllegalStateException e) {
      throw new UserFacingException(e.getMessage(), e);
    }
  }

  /** Who runs this command: user, host, pid and the command line (secrets redacted). */
  static Provenance provenance(CommandLine.Model.CommandSpec spec) {
    CommandLine root = spec.root().commandLine();
    List<String> args = root.getParseResult() == null ? List.of() : root.getParseResult().originalArgs();
    return Provenance.current("dpvideo " + String.join(" ", args));
  }

  static String fmt(double v) {
    if (Double.isInfinite(v)) {
      return "infinity";
    }
    if (v != 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e6)) {
      return String.format(Locale.ROOT, "%.4g", v);
    }
    return String.format(Locale.ROOT, "%.4f", v);
  }

  /** Writes {@code text} to a temporary file beside {@code target} and renames it over the target. */
  static void writeAtomically(Path target, String text) {
    Path abs = target.toAbsolutePath();
    Path tmp = null;
    try {
      Files.createDirectories(abs.getParent());
      tmp = Files.createTempFile(abs.getParent(), abs.getFileName().toString(), ".tmp");
      Files.writeString(tmp, text);
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort
        }
      }
      throw new UserFacingException("cannot write " + abs + ": " + e.getMessage() + "; pick a writable path", e);
    }
  }
}
