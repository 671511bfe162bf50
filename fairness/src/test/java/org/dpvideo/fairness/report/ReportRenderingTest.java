package org.dpvideo.fairness.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.dpvideo.fairness.Provenance;
import org.dpvideo.fairness.group.GroupKey;
import org.dpvideo.fairness.metrics.GroupEstimate;
import org.dpvideo.fairness.metrics.GroupStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportRenderingTest {
  @TempDir
  Path dir;

  @Test
  void json_roundTrip_keepsNaNAsNaNAndIsStable() throws Exception {
    RunReport r = SampleRunReport.build(dir);
    String json = ReportJson.toJson(r);
    RunReport back = ReportJson.fromJson(json);
    assertEquals(json, ReportJson.toJson(back));
    GroupEstimate rare = back.fairness().get(0).groups().get(4);
    assertEquals(GroupStatus.SUPPRESSED_SMALL, rare.status());
    assertTrue(Double.isNaN(rare.value()));
    assertTrue(json.contains("\"skin_tone\" : \"1F3FF\""), "group keys are named objects");
    assertFalse(json.contains("NaN"), "undefined values are written as null");
    assertEquals(r.privacy().event(), back.privacy().event());
  }

  @Test
  void forRelease_withholdsInternalFigures() throws Exception {
    RunReport r = SampleRunReport.build(dir).forScope(ReleaseScope.RELEASE);
    assertEquals(ReleaseScope.RELEASE, r.scope());
    assertNull(r.misalignment());
    assertEquals(1, r.privacyCosts().size());
    assertEquals(Provenance.EVAL_PUBLIC, r.privacyCosts().get(0).provenance());
    assertEquals(1, r.charts().size());
    assertTrue(r.withheld().stream().anyMatch(w -> w.startsWith("misalignment diagnostics")), r.withheld().toString());
    assertTrue(r.withheld().stream().anyMatch(w -> w.contains("NON_PRIVATE_SHADOW")), r.withheld().toString());
    String html = HtmlReport.render(r, dir);
    assertFalse(html.contains("prov TRAIN_UNPROTECTED\" title"), "no internal figure in a release report");
    assertFalse(ReportJson.toJson(r).contains("TRAIN_UNPROTECTED"));
  }

  @Test
  void html_isSelfContained_withChartsAndEmbeddedGifs() throws Exception {
    String html = HtmlReport.render(SampleRunReport.build(dir), dir);
    assertFalse(html.contains("<script"), "no scripts");
    String withoutData = html.replaceAll("data:image/gif;base64,[A-Za-z0-9+/=]+", "");
    Matcher urls = Pattern.compile("(https?:)?//[^\"' <)]+").matcher(withoutData);
    while (urls.find()) {
      assertEquals("http://www.w3.org/2000/svg", urls.group(), "only the SVG namespace may look like a URL");
    }
    long charts = Pattern.compile("<svg class=\"chart\"").matcher(html).results().count();
    // ε chart, 2 fairness bars, 2 cost bars, 6 misalignment charts, 1 DP chart, quality and collapse bars.
    assertTrue(charts >= 13, "charts: " + charts);
    assertEquals(6, Pattern.compile("src=\"data:image/gif;base64,").matcher(html).results().count());
    assertTrue(html.contains("INTERNAL REPORT"));
    assertTrue(html.contains("suppressed: small group"));
    assertTrue(html.contains("empty (no member)"));
    assertTrue(html.contains("SEEDED"));
  }

  @Test
  void markdown_hasTablesProvenanceAndWithheldList() throws Exception {
    RunReport r = SampleRunReport.build(dir);
    String md = MarkdownReport.render(r.forScope(ReleaseScope.RELEASE));
    assertTrue(md.contains("| group | n | value | interval | status |"));
    assertTrue(md.contains("| skin_tone=1F3FF | 13 | suppressed (too few members) |"), md);
    assertTrue(md.contains("## Withheld (not releasable)"));
    assertTrue(md.contains("evaluation data marked releasable"));
    String internal = MarkdownReport.render(r);
    assertTrue(internal.contains("**internal, not differentially private**"));
    assertTrue(internal.contains("### Direction error"));
  }

  @Test
  void runDirectory_writeReports_atomicFilesForEachFormat() throws Exception {
    RunDirectory run = new RunDirectory(dir);
    run.writeReportData(SampleRunReport.build(dir));
    List<Path> files = run.writeReports(EnumSet.allOf(ReportFormat.class), ReleaseScope.RELEASE);
    assertEquals(List.of(dir.resolve("report.html"), dir.resolve("report.json"), dir.resolve("report.md")),
        files.stream().map(p -> p.toAbsolutePath().normalize()).toList());
    List<Path> internal = run.writeReports(EnumSet.of(ReportFormat.HTML), ReleaseScope.INTERNAL);
    assertEquals(dir.resolve("report-internal.html"), internal.get(0));
    try (Stream<Path> s = Files.list(dir)) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
    }
    RunReport released = ReportJson.fromJson(Files.readString(dir.resolve("report.json")));
    assertEquals(ReleaseScope.RELEASE, released.scope());
    assertNotNull(released.privacy());
  }

  @Test
  void runDirectory_missingData_saysWhatToDo() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new RunDirectory(dir).readReportData());
    assertTrue(e.getMessage().contains("report-data.json"), e.getMessage());
    IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
        () -> new RunDirectory(dir.resolve("nope")).readReportData());
    assertTrue(e2.getMessage().contains("does not exist"), e2.getMessage());
  }

  @Test
  void reportJson_malformedOrWrongVersion_isRejectedWithReason() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReportJson.fromJson("{"));
    assertTrue(e.getMessage().startsWith("malformed report data"), e.getMessage());
    IllegalArgumentException v = assertThrows(IllegalArgumentException.class,
        () -> ReportJson.fromJson("{\"schema_version\": 99, \"run_id\": \"x\", \"scope\": \"INTERNAL\","
            + " \"noise\": {\"kind\": \"SECURE\", \"description\": \"d\"}}"));
    assertTrue(v.getMessage().contains("schema version 99"), v.getMessage());
  }

  @Test
  void sampleSet_pathOutsideRunDirectory_isRejected() {
    assertThrows(IllegalArgumentException.class, () -> new SampleSet(GroupKey.of("g", "a"), "", Provenance.EVAL_PUBLIC,
        List.of("../secret.gif")));
  }
}
