package org.dpvideo.finetune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dpvideo.dpsgd.accounting.AccountantKind;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.fairness.Provenance;
import org.dpvideo.fairness.group.GroupAssignment;
import org.dpvideo.fairness.metrics.GroupMetrics;
import org.dpvideo.fairness.metrics.GroupMetricsOptions;
import org.dpvideo.fairness.metrics.Metric;
import org.dpvideo.dpsgd.noise.RandomnessLabel;
import org.dpvideo.fairness.report.GroupTable;
import org.dpvideo.fairness.report.NoiseLabel;
import org.dpvideo.fairness.report.PrivacySection;
import org.dpvideo.fairness.report.RunDirectory;
import org.dpvideo.fairness.report.RunReport;
import org.dpvideo.fairness.report.StepValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ReportCommandTest {
  @TempDir
  Path dir;

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    CommandLine cl = DpvideoCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  void writeRun() {
    GroupMetrics f = GroupMetrics.compute(GroupAssignment.ofColumn("skin_tone", new String[] {"1", "1", "2", "2"}),
        List.of(Metric.mean("nll", new double[] {1, 2, 3, 4})),
        GroupMetricsOptions.of(Provenance.EVAL_PUBLIC).withMinGroupSize(1));
    GroupMetrics internal = GroupMetrics.compute(GroupAssignment.ofColumn("skin_tone",
        new String[] {"1", "2"}), List.of(Metric.mean("train_loss", new double[] {0.5, 0.7})),
        GroupMetricsOptions.of(Provenance.TRAIN_UNPROTECTED).withMinGroupSize(1));
    RunReport r = RunReport.builder("cli-test", new NoiseLabel(RandomnessLabel.SECURE, "test"))
        .privacy(new PrivacySection(1.5, 1e-5, AccountantKind.RDP, "clip", DpEvent.dpSgd(0.1, 1.0, 10),
            List.of(new StepValue(0, 0), new StepValue(10, 1.5)), Double.NaN, List.of()))
        .fairness(GroupTable.from(f, "nll", "held-out NLL", "eval", false))
        .fairness(GroupTable.from(internal, "train_loss", "training loss", "training set", false))
        .build();
    new RunDirectory(dir).writeReportData(r);
  }

  @Test
  void report_allFormats_writesReleaseFilesWithoutInternalFigures() throws Exception {
    writeRun();
    Result r = run("report", dir.toString());
    assertEquals(0, r.code(), r.err());
    for (String f : List.of("report.html", "report.json", "report.md")) {
      assertTrue(Files.isRegularFile(dir.resolve(f)), f);
      assertTrue(r.out().contains(f), r.out());
    }
    String md = Files.readString(dir.resolve("report.md"));
    assertTrue(md.contains("### nll"));
    assertFalse(md.contains("### train_loss"), "internal figure must not be released");
    assertTrue(md.contains("train_loss"), "withheld figures are listed");
  }

  @Test
  void report_internalMarkdown_writesInternalFileOnly() throws Exception {
    writeRun();
    Result r = run("report", dir.toString(), "--format", "md", "--internal");
    assertEquals(0, r.code(), r.err());
    assertTrue(Files.readString(dir.resolve("report-internal.md")).contains("### train_loss"));
    assertFalse(Files.exists(dir.resolve("report.html")));
    assertTrue(r.out().contains("do not share"));
  }

  @Test
  void report_missingRunData_exitsTwoWithMessage() {
    Result r = run("report", dir.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("report-data.json"), r.err());
    assertFalse(r.err().contains("at org."), "no stack trace without --verbose");
  }

  @Test
  void report_unknownFormat_exitsTwo() {
    writeRun();
    Result r = run("report", dir.toString(), "--format", "pdf");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("expected one of html, json, md"), r.err());
  }
}
