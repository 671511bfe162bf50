package org.dpvideo.finetune.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import org.dpvideo.fairness.report.ReleaseScope;
import org.dpvideo.fairness.report.ReportFormat;
import org.dpvideo.fairness.report.RunDirectory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dpvideo report RUN_DIR [--format html|json|md] [--internal]}: renders the run's
 * {@code report-data.json} into {@code report.html}, {@code report.json} and {@code report.md} (each
 * written atomically). By default figures whose provenance is not releasable are withheld; with
 * {@code --internal} everything is shown and the files are named {@code report-internal.*}.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = {"Render a run's report (privacy, fairness by group, privacy cost, misalignment,"
        + " quality, decoding collapse, samples) from RUN_DIR/report-data.json.",
        "Writes RUN_DIR/report.<format>; figures that are not differentially private are withheld unless"
            + " --internal is given (then RUN_DIR/report-internal.<format>, not to be shared)."})
public final class ReportCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "RUN_DIR", description = "The run directory (holds report-data.json).")
  Path runDir;

  @Option(names = "--format", split = ",", paramLabel = "FORMAT",
      description = "html, json or md; repeat or separate with commas. Default: all three.")
  List<String> formats = new ArrayList<>();

  @Option(names = "--internal",
      description = "Render the internal report, including statistics that are not differentially private.")
  boolean internal;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    EnumSet<ReportFormat> chosen = EnumSet.noneOf(ReportFormat.class);
    for (String f : formats) {
      chosen.add(ReportFormat.parse(f));
    }
    if (chosen.isEmpty()) {
      chosen = EnumSet.allOf(ReportFormat.class);
    }
    ReleaseScope scope = internal ? ReleaseScope.INTERNAL : ReleaseScope.RELEASE;
    List<Path> written = new RunDirectory(runDir).writeReports(chosen, scope);
    PrintWriter out = spec.commandLine().getOut();
    for (Path p : written) {
      out.println("wrote " + p);
    }
    if (internal) {
      out.println("internal report: it may contain statistics that are not differentially private; do not share it");
    }
    out.flush();
    return 0;
  }
}
