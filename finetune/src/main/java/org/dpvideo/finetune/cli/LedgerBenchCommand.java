package org.dpvideo.finetune.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.dpvideo.dpsgd.PrivacyUnit;
import org.dpvideo.dpsgd.accounting.AccountantKind;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.ledger.DatasetId;
import org.dpvideo.dpsgd.ledger.LedgerLocation;
import org.dpvideo.dpsgd.ledger.PrivacyBudget;
import org.dpvideo.dpsgd.ledger.PrivacyLedger;
import org.dpvideo.dpsgd.ledger.Provenance;
import org.dpvideo.dpsgd.ledger.Reservation;
import org.dpvideo.dpsgd.ledger.ReservationRequest;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dpvideo bench ledger}: how long the ledger's calls take, so a training loop knows how often it can
 * record progress. Writes to a fresh ledger (a temporary SQLite file unless {@code --ledger} names a new
 * file or an empty PostgreSQL schema); never to the default ledger.
 */
@Command(name = "ledger", mixinStandardHelpOptions = true, description = "Time ledger writes (progress, reservation) and verification.")
final class LedgerBenchCommand implements Runnable {
  @Option(names = "--ledger", paramLabel = "PATH_OR_JDBC_URL",
      description = "A NEW ledger to write to (default: a temporary SQLite file, deleted afterwards).")
  String ledger;
  @Option(names = "--progress-writes", defaultValue = "200", description = "Progress entries to time (default: ${DEFAULT-VALUE}).")
  int progressWrites;
  @Option(names = "--runs", defaultValue = "20", description = "Runs to reserve and complete (default: ${DEFAULT-VALUE}).")
  int runs;
  @Option(names = "--accountant", paramLabel = "pld|rdp", defaultValue = "pld",
      converter = BudgetCommand.AccountantConverter.class, description = "Accountant (default: ${DEFAULT-VALUE}).")
  AccountantKind accountant;
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    if (progressWrites < 1 || runs < 1) {
      throw new IllegalArgumentException("--progress-writes and --runs must be >= 1, got " + progressWrites + " and " + runs);
    }
    PrintWriter out = spec.commandLine().getOut();
    Path tmpDir = null;
    LedgerLocation loc;
    try {
      if (ledger == null) {
        tmpDir = Files.createTempDirectory("dpvideo-ledger-bench");
        loc = LedgerLocation.sqlite(tmpDir.resolve("bench.db"));
      } else {
        loc = LedgerLocation.parse(ledger);
      }
      Provenance who = Provenance.current("dpvideo bench ledger");
      DatasetId ds = DatasetId.of(String.format(Locale.ROOT, "%064x", System.nanoTime()));
      DpEvent plan = DpEvent.dpSgd(0.01, 1.1, 1000);
      try (PrivacyLedger l = PrivacyLedger.open(loc, LedgerOption.accountant(accountant))) {
        l.setBudget(ds, new PrivacyBudget(1e6, 1e-6), Optional.of(PrivacyUnit.SUBJECT), "bench", who);
        out.println("ledger " + loc.display() + ", accountant " + accountant.cliName());

        double[] reserveMs = new double[runs];
        Reservation last = null;
        for (int i = 0; i < runs; i++) {
          long t0 = System.nanoTime();
          last = l.reserve(new ReservationRequest(ds, plan, 1e-6, PrivacyUnit.SUBJECT, who));
          reserveMs[i] = (System.nanoTime() - t0) / 1e6;
          if (i < runs - 1) {
            l.complete(last, plan);
          }
        }
        report(out, "reserve (budget check by composition of k prior runs, k = 0.." + (runs - 1) + ")", reserveMs);

        double[] progressMs = new double[progressWrites];
        for (int i = 0; i < progressWrites; i++) {
          long t0 = System.nanoTime();
          l.recordProgress(last, DpEvent.dpSgd(0.01, 1.1, 1 + i * 1000 / (progressWrites + 1)));
          progressMs[i] = (System.nanoTime() - t0) / 1e6;
        }
        report(out, "recordProgress (one durable entry)", progressMs);

        int n = l.entries().size();
        long t0 = System.nanoTime();
        boolean intact = l.verify(Optional.empty()).intact();
        out.printf(Locale.ROOT, "verify of %d entries: %.1f ms (intact: %s)%n", n, (System.nanoTime() - t0) / 1e6, intact);
        out.flush();
      }
    } catch (IOException e) {
      throw new UserFacingException("cannot create a temporary ledger: " + e.getMessage(), e);
    } finally {
      if (tmpDir != null) {
        deleteQuietly(tmpDir);
      }
    }
  }

  private static void report(PrintWriter out, String what, double[] ms) {
    double[] s = ms.clone();
    Arrays.sort(s);
    out.printf(Locale.ROOT, "%s: n=%d median %.2f ms, p90 %.2f ms, max %.2f ms%n", what, s.length,
        s[s.length / 2], s[(int) Math.min(s.length - 1, Math.floor(s.length * 0.9))], s[s.length - 1]);
  }

  private static void deleteQuietly(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // a temporary file left behind is harmless
        }
      });
    } catch (IOException ignored) {
      // same
    }
  }
}
