package org.dpvideo.fairness.report;

import static org.dpvideo.fairness.report.chart.SvgCharts.esc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.dpvideo.dpsgd.accounting.DpEventJson;
import org.dpvideo.fairness.Provenance;
import org.dpvideo.fairness.cost.GroupGap;
import org.dpvideo.fairness.cost.PrivacyCostSummary;
import org.dpvideo.fairness.metrics.Aggregate;
import org.dpvideo.fairness.metrics.GroupEstimate;
import org.dpvideo.fairness.metrics.GroupStatus;
import org.dpvideo.dpsgd.noise.RandomnessLabel;
import org.dpvideo.fairness.report.chart.SvgCharts;

/**
 * Renders a {@link RunReport} as one self-contained HTML page: inline CSS, charts as inline SVG, sample
 * GIFs embedded as data URIs (files over {@link #MAX_EMBEDDED_BYTES} are linked relative to the run
 * directory instead), no scripts and no external resources, so it opens offline. Every figure shows
 * its provenance.
 *
 * <p>Thread-safe (stateless).
 */
public final class HtmlReport {
  /** Larger sample files are linked, not embedded. */
  public static final long MAX_EMBEDDED_BYTES = 4L << 20;

  private HtmlReport() {}

  /**
   * The HTML text.
   *
   * @param report the report (already filtered to its scope)
   * @param runDirectory where relative sample paths resolve
   */
  public static String render(RunReport report, Path runDirectory) {
    StringBuilder h = new StringBuilder(64 * 1024);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    h.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    h.append("<title>").append(esc(report.title())).append("</title><style>").append(CSS).append("</style></head><body>");
    h.append("<header><h1>").append(esc(report.title())).append("</h1>");
    h.append("<p class=\"meta\">run <code>").append(esc(report.runId())).append("</code>");
    if (!report.createdAt().isEmpty()) {
      h.append(" · written ").append(esc(report.createdAt()));
    }
    h.append("</p>");
    boolean secure = report.noise().kind() == RandomnessLabel.SECURE;
    h.append("<p class=\"banner ").append(secure ? "ok" : "bad").append("\">Noise source: <b>")
        .append(report.noise().kind()).append("</b> — ").append(esc(report.noise().description()));
    if (!secure) {
      h.append(". Seeded noise is replayable: no figure of this run is differentially private.");
    }
    h.append("</p>");
    if (report.scope() == ReleaseScope.INTERNAL) {
      h.append("<p class=\"banner bad\"><b>INTERNAL REPORT</b> — it may contain statistics that are not"
          + " differentially private (marked <span class=\"prov TRAIN_UNPROTECTED\">internal</span>). Do not share it"
          + " outside the data owner's organisation.</p>");
    } else {
      h.append("<p class=\"banner ok\">Release report: figures whose provenance is not releasable are withheld"
          + " (listed at the end).</p>");
    }
    h.append(toc(report)).append("</header><main>");
    privacy(h, report);
    tables(h, "fairness", "Fairness by group", report.fairness());
    costs(h, report);
    misalignment(h, report);
    tables(h, "quality", "Quality by group", report.quality());
    tables(h, "collapse", "Decoding collapse by group", report.collapse());
    samples(h, report, runDirectory);
    if (report.tuning() != null || !report.notes().isEmpty() || !report.withheld().isEmpty()) {
      h.append("<section id=\"notes\"><h2>Tuning, notes and withheld figures</h2>");
      if (report.tuning() != null) {
        h.append("<p><b>Tuning:</b> ").append(esc(report.tuning())).append("</p>");
      }
      list(h, "Notes", report.notes());
      list(h, "Withheld (not releasable)", report.withheld());
      h.append("</section>");
    }
    h.append("</main><footer>dpvideo report · schema ").append(report.schemaVersion()).append("</footer></body></html>\n");
    return h.toString();
  }

  private static String toc(RunReport r) {
    List<String[]> items = new ArrayList<>();
    if (r.privacy() != null) {
      items.add(new String[] {"privacy", "Privacy"});
    }
    if (!r.fairness().isEmpty()) {
      items.add(new String[] {"fairness", "Fairness"});
    }
    if (!r.privacyCosts().isEmpty()) {
      items.add(new String[] {"cost", "Privacy cost"});
    }
    if (r.misalignment() != null || !r.charts().isEmpty()) {
      items.add(new String[] {"misalignment", "Misalignment"});
    }
    if (!r.quality().isEmpty()) {
      items.add(new String[] {"quality", "Quality"});
    }
    if (!r.collapse().isEmpty()) {
      items.add(new String[] {"collapse", "Decoding collapse"});
    }
    if (!r.samples().isEmpty()) {
      items.add(new String[] {"samples", "Samples"});
    }
    StringBuilder b = new StringBuilder("<nav>");
    for (String[] i : items) {
      b.append("<a href=\"#").append(i[0]).append("\">").append(i[1]).append("</a>");
    }
    return b.append("</nav>").toString();
  }

  private static void privacy(StringBuilder h, RunReport r) {
    PrivacySection p = r.privacy();
    if (p == null) {
      return;
    }
    h.append("<section id=\"privacy\"><h2>Privacy</h2><div class=\"kpis\">");
    kpi(h, "ε", FigureText.value(p.epsilon()));
    kpi(h, "δ", SvgCharts.num(p.delta()));
    kpi(h, "accountant", p.accountant().cliName().toUpperCase(Locale.ROOT));
    kpi(h, "privacy unit", p.privacyUnit());
    if (!Double.isNaN(p.statisticsEpsilon())) {
      kpi(h, "ε of released statistics", SvgCharts.num(p.statisticsEpsilon()));
    }
    h.append("</div><p>(ε, δ)-differential privacy with respect to adding or removing one ").append(esc(p.privacyUnit()))
        .append("; ε covers training").append(p.releases().isEmpty() ? "" : " and every accounted statistics release")
        .append(".</p>");
    if (!p.epsilonOverSteps().isEmpty()) {
      h.append("<figure>").append(SvgCharts.lineChart("ε over training steps (δ = " + SvgCharts.num(p.delta()) + ")",
          "step", "ε", List.of(line("training ε", p.epsilonOverSteps())))).append("</figure>");
    }
    if (!p.releases().isEmpty()) {
      h.append("<h3>Accounted statistics releases</h3><table><tr><th>statistic</th><th>event</th></tr>");
      for (PrivacySection.AccountedStatistic s : p.releases()) {
        h.append("<tr><td>").append(esc(s.statistic())).append("</td><td><code>").append(esc(DpEventJson.toJson(s.event())))
            .append("</code></td></tr>");
      }
      h.append("</table>");
    }
    if (p.event() != null) {
      h.append("<details><summary>The run's composed DP event</summary><pre>")
          .append(esc(DpEventJson.toJson(p.event()))).append("</pre></details>");
    }
    h.append("</section>");
  }

  private static void tables(StringBuilder h, String id, String heading, List<GroupTable> tables) {
    if (tables.isEmpty()) {
      return;
    }
    h.append("<section id=\"").append(id).append("\"><h2>").append(heading).append("</h2>");
    for (GroupTable t : tables) {
      h.append("<article><h3>").append(esc(t.metric())).append(' ').append(prov(t.provenance())).append("</h3>");
      if (!t.description().isEmpty()) {
        h.append("<p>").append(esc(t.description()));
        if (t.higherIsBetter() != null) {
          h.append(t.higherIsBetter() ? " Higher is better." : " Lower is better.");
        }
        h.append("</p>");
      }
      if (!t.dataset().isEmpty()) {
        h.append("<p class=\"meta\">Data: ").append(esc(t.dataset())).append("</p>");
      }
      List<SvgCharts.Bar> bars = new ArrayList<>();
      for (GroupEstimate e : t.groups()) {
        bars.add(bar(e));
      }
      String by = t.groups().isEmpty() ? "group" : t.groups().get(0).group().columnsLabel();
      h.append("<figure>").append(SvgCharts.barChart(t.metric() + " by " + by, t.metric(), bars)).append("</figure>");
      boolean base = !t.baseline().isEmpty();
      h.append("<table><tr><th>group</th><th>n</th><th>value</th><th>interval</th><th>status</th>");
      if (base) {
        h.append("<th>").append(esc(t.baselineLabel())).append(' ').append(prov(t.baselineProvenance())).append("</th>");
      }
      h.append("</tr>");
      if (t.overall() != null) {
        h.append("<tr class=\"overall\"><td>overall</td><td>").append(t.overall().count()).append("</td><td>")
            .append(FigureText.value(t.overall().value())).append("</td><td>")
            .append(esc(FigureText.interval(t.overall().interval()))).append("</td><td></td>");
        if (base) {
          h.append("<td></td>");
        }
        h.append("</tr>");
      }
      for (GroupEstimate e : t.groups()) {
        h.append("<tr class=\"").append(e.status().name().toLowerCase(Locale.ROOT)).append("\"><td>")
            .append(esc(e.group().label())).append("</td><td>").append(e.count()).append("</td><td>")
            .append(esc(FigureText.groupValue(e))).append("</td><td>").append(esc(FigureText.interval(e.interval())))
            .append("</td><td>").append(FigureText.status(e.status())).append("</td>");
        if (base) {
          GroupEstimate b = t.baseline().stream().filter(x -> x.group().equals(e.group())).findFirst().orElse(null);
          h.append("<td>").append(b == null ? "" : esc(FigureText.groupValue(b))).append("</td>");
        }
        h.append("</tr>");
      }
      h.append("</table>");
      if (!t.aggregates().isEmpty()) {
        h.append("<table class=\"agg\"><tr><th>summary</th><th>value</th><th>interval</th></tr>");
        for (Aggregate a : t.aggregates()) {
          h.append("<tr><td>").append(esc(a.name())).append("</td><td>").append(esc(FigureText.aggregate(a)))
              .append("</td><td>").append(esc(FigureText.interval(a.interval()))).append("</td></tr>");
        }
        h.append("</table>");
      }
      h.append("</article>");
    }
    h.append("</section>");
  }

  private static void costs(StringBuilder h, RunReport r) {
    if (r.privacyCosts().isEmpty()) {
      return;
    }
    h.append("<section id=\"cost\"><h2>Privacy cost by group</h2>");
    for (PrivacyCostTable t : r.privacyCosts()) {
      String costName = t.orientation().costName();
      h.append("<article><h3>").append(esc(costName)).append(" of ").append(esc(t.metric())).append(' ')
          .append(prov(t.provenance())).append("</h3>");
      h.append("<p>Reference model: <b>").append(t.reference().kind()).append("</b> — ")
          .append(esc(t.reference().description())).append(". Cost = ")
          .append(t.orientation() == org.dpvideo.fairness.cost.MetricOrientation.HIGHER_IS_BETTER
              ? "reference − private" : "private − reference")
          .append(" (positive: the group lost under privacy).</p>");
      if (!t.dataset().isEmpty()) {
        h.append("<p class=\"meta\">Data: ").append(esc(t.dataset())).append("</p>");
      }
      List<SvgCharts.Bar> bars = new ArrayList<>();
      for (PrivacyCostTable.CostRow row : t.rows()) {
        bars.add(new SvgCharts.Bar(row.group().valuesLabel(),
            row.status() == GroupStatus.REPORTED ? row.cost() : Double.NaN,
            row.costInterval() == null ? Double.NaN : row.costInterval().lower(),
            row.costInterval() == null ? Double.NaN : row.costInterval().upper(),
            shortStatus(row.status(), row.count())));
      }
      String by = t.rows().isEmpty() ? "group" : t.rows().get(0).group().columnsLabel();
      h.append("<figure>").append(SvgCharts.barChart(costName + " of " + t.metric() + " by " + by, costName, bars))
          .append("</figure>");
      h.append("<table><tr><th>group</th><th>n</th><th>private</th><th>reference</th><th>").append(esc(costName))
          .append("</th><th>interval</th></tr>");
      for (PrivacyCostTable.CostRow row : t.rows()) {
        boolean rep = row.status() == GroupStatus.REPORTED;
        h.append("<tr><td>").append(esc(row.group().label())).append("</td><td>").append(row.count()).append("</td><td>")
            .append(rep ? FigureText.value(row.privateValue()) : FigureText.status(row.status())).append("</td><td>")
            .append(rep ? FigureText.value(row.referenceValue()) : "").append("</td><td>")
            .append(rep ? FigureText.value(row.cost()) : "").append("</td><td>")
            .append(esc(FigureText.interval(row.costInterval()))).append("</td></tr>");
      }
      h.append("</table><p>Largest gap between groups (").append(esc(t.orientation().gapName())).append("): <b>")
          .append(esc(FigureText.aggregate(t.maxGap()))).append("</b> ")
          .append(esc(FigureText.interval(t.maxGap().interval()))).append("</p>");
      for (GroupGap g : t.gaps()) {
        h.append("<p>Gap ").append(esc(g.a().label())).append(" vs ").append(esc(g.b().label())).append(": <b>")
            .append(FigureText.value(g.gap())).append("</b> ").append(esc(FigureText.interval(g.interval())))
            .append("</p>");
      }
      if (t.seeds() != null) {
        h.append("<table><tr><th>group</th><th>mean over seeds</th><th>std</th><th>standard error</th><th>seeds</th></tr>");
        for (PrivacyCostSummary.SeedSpread s : t.seeds().groups()) {
          h.append("<tr><td>").append(esc(s.group().label())).append("</td><td>").append(FigureText.value(s.mean()))
              .append("</td><td>").append(FigureText.value(s.std())).append("</td><td>")
              .append(FigureText.value(s.standardError())).append("</td><td>").append(s.seeds()).append("</td></tr>");
        }
        PrivacyCostSummary.SeedSpread g = t.seeds().maxGap();
        h.append("<tr><td>largest gap</td><td>").append(FigureText.value(g.mean())).append("</td><td>")
            .append(FigureText.value(g.std())).append("</td><td>").append(FigureText.value(g.standardError()))
            .append("</td><td>").append(g.seeds()).append("</td></tr></table>");
      }
      h.append("</article>");
    }
    h.append("</section>");
  }

  private static void misalignment(StringBuilder h, RunReport r) {
    MisalignmentSection m = r.misalignment();
    if (m == null && r.charts().isEmpty()) {
      return;
    }
    h.append("<section id=\"misalignment\"><h2>Misalignment diagnostics</h2>");
    if (m != null) {
      h.append("<p>").append(prov(m.provenance())).append(" Logged every ").append(m.everySteps()).append(" steps (")
          .append(m.snapshots().size()).append(" points); expected-loss terms ")
          .append(m.hessianIncluded() ? "include the Hessian terms." : "are first order (Hessian terms off).")
          .append(" Δ_k &gt; 0 means clipping turned the batch step away from group k's gradient.</p>");
      h.append("<div class=\"charts\">");
      for (SeriesChart c : m.charts()) {
        h.append("<figure>").append(chart(c)).append("</figure>");
      }
      h.append("</div>");
    }
    if (!r.charts().isEmpty()) {
      h.append("<div class=\"charts\">");
      for (SeriesChart c : r.charts()) {
        h.append("<figure>").append(chart(c)).append("<figcaption>").append(prov(c.provenance()))
            .append("</figcaption></figure>");
      }
      h.append("</div>");
    }
    h.append("</section>");
  }

  private static void samples(StringBuilder h, RunReport r, Path runDir) {
    if (r.samples().isEmpty()) {
      return;
    }
    h.append("<section id=\"samples\"><h2>Samples by group</h2>");
    for (SampleSet s : r.samples()) {
      h.append("<article><h3>").append(esc(s.group().label())).append(' ').append(prov(s.provenance())).append("</h3>");
      if (!s.caption().isEmpty()) {
        h.append("<p class=\"meta\">").append(esc(s.caption())).append("</p>");
      }
      h.append("<div class=\"samples\">");
      for (String p : s.paths()) {
        h.append(image(runDir, p));
      }
      h.append("</div></article>");
    }
    h.append("</section>");
  }

  private static String image(Path runDir, String relative) {
    Path f = runDir.resolve(relative).normalize();
    String alt = esc(relative);
    try {
      if (Files.isRegularFile(f) && Files.size(f) <= MAX_EMBEDDED_BYTES) {
        String mime = mime(relative);
        return "<img class=\"sample\" alt=\"" + alt + "\" title=\"" + alt + "\" src=\"data:" + mime + ";base64,"
            + Base64.getEncoder().encodeToString(Files.readAllBytes(f)) + "\">";
      }
    } catch (IOException e) {
      return "<p class=\"bad\">cannot read " + alt + ": " + esc(String.valueOf(e.getMessage())) + "</p>";
    }
    if (!Files.exists(f)) {
      return "<p class=\"bad\">missing sample file " + alt + "</p>";
    }
    return "<img class=\"sample\" alt=\"" + alt + "\" src=\"" + alt + "\">";
  }

  private static String mime(String path) {
    String p = path.toLowerCase(Locale.ROOT);
    if (p.endsWith(".png")) {
      return "image/png";
    }
    if (p.endsWith(".webp")) {
      return "image/webp";
    }
    if (p.endsWith(".jpg") || p.endsWith(".jpeg")) {
      return "image/jpeg";
    }
    return "image/gif";
  }

  static String chart(SeriesChart c) {
    List<SvgCharts.Line> lines = new ArrayList<>();
    for (SeriesChart.Series s : c.series()) {
      lines.add(line(s.name(), s.points()));
    }
    return SvgCharts.lineChart(c.title(), "step", c.yLabel(), lines);
  }

  private static SvgCharts.Line line(String name, List<StepValue> pts) {
    double[] x = new double[pts.size()];
    double[] y = new double[pts.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = pts.get(i).step();
      y[i] = pts.get(i).value();
    }
    return new SvgCharts.Line(name, x, y);
  }

  private static SvgCharts.Bar bar(GroupEstimate e) {
    boolean rep = e.status() == GroupStatus.REPORTED;
    return new SvgCharts.Bar(e.group().valuesLabel(), rep ? e.value() : Double.NaN,
        e.interval() == null ? Double.NaN : e.interval().lower(),
        e.interval() == null ? Double.NaN : e.interval().upper(),
        shortStatus(e.status(), e.count()));
  }

  private static String shortStatus(GroupStatus s, long n) {
    return switch (s) {
      case REPORTED -> "undefined n=" + n;
      case SUPPRESSED_SMALL -> "suppressed n=" + n;
      case EMPTY -> "empty n=0";
    };
  }

  private static void kpi(StringBuilder h, String label, String value) {
    h.append("<div class=\"kpi\"><div class=\"k\">").append(esc(label)).append("</div><div class=\"v\">")
        .append(esc(value)).append("</div></div>");
  }

  private static void list(StringBuilder h, String title, List<String> items) {
    if (items.isEmpty()) {
      return;
    }
    h.append("<h3>").append(esc(title)).append("</h3><ul>");
    for (String s : items) {
      h.append("<li>").append(esc(s)).append("</li>");
    }
    h.append("</ul>");
  }

  static String prov(Provenance p) {
    if (p == null) {
      return "";
    }
    String label = switch (p) {
      case EVAL_PUBLIC -> "releasable evaluation data";
      case EVAL_PRIVATE_DP, TRAIN_DP -> "DP, accounted";
      case TRAIN_UNPROTECTED -> "internal, not differentially private";
    };
    return "<span class=\"prov " + p.name() + "\" title=\"" + esc(p.description()) + "\">" + label + "</span>";
  }

  private static final String CSS = String.join("\n",
      "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;color:#1d1d1f;background:#f6f7f9}",
      "header{background:#fff;padding:16px 28px;border-bottom:1px solid #ddd}",
      "h1{margin:0 0 4px;font-size:24px} h2{border-bottom:2px solid #0072B2;padding-bottom:4px}",
      "main{padding:8px 28px 32px;max-width:1500px} section{margin-top:18px}",
      "article{background:#fff;border:1px solid #e2e2e2;border-radius:6px;padding:8px 16px 12px;margin:12px 0}",
      ".meta{color:#555;font-size:13px} nav a{margin-right:14px;font-size:14px}",
      ".banner{padding:6px 10px;border-radius:4px;font-size:14px} .banner.ok{background:#e7f4ec;border:1px solid #9ccfb0}",
      ".banner.bad,.bad{background:#fdecea;border:1px solid #f1a39a;color:#8a1c10}",
      ".kpis{display:flex;gap:12px;flex-wrap:wrap} .kpi{background:#fff;border:1px solid #ddd;border-radius:6px;"
          + "padding:8px 14px;min-width:110px} .kpi .k{font-size:12px;color:#555} .kpi .v{font-size:20px;font-weight:600}",
      "table{border-collapse:collapse;margin:8px 0;font-size:13px;background:#fff}",
      "th,td{border:1px solid #ddd;padding:3px 8px;text-align:left} th{background:#f0f3f7}",
      "tr.suppressed_small td,tr.empty td{color:#8a1c10;background:#fff6f5} tr.overall td{font-weight:600}",
      ".prov{font-size:11px;padding:2px 6px;border-radius:10px;vertical-align:middle;font-weight:normal}",
      ".prov.EVAL_PUBLIC{background:#e7f4ec;color:#1b5e34} .prov.EVAL_PRIVATE_DP,.prov.TRAIN_DP{background:#e6f0fa;"
          + "color:#0b4a7a} .prov.TRAIN_UNPROTECTED{background:#fdecea;color:#8a1c10}",
      "figure{margin:8px 0;max-width:680px} .charts{display:flex;flex-wrap:wrap;gap:10px}",
      ".charts figure{flex:1 1 520px;margin:0} svg.chart{background:#fff;border:1px solid #e2e2e2;width:100%;height:auto}",
      ".samples{display:flex;flex-wrap:wrap;gap:8px} img.sample{width:128px;height:128px;object-fit:contain;"
          + "background:#fff;border:1px solid #ddd}",
      "pre{white-space:pre-wrap;font-size:12px;background:#fff;border:1px solid #ddd;padding:8px}",
      "footer{color:#777;font-size:12px;padding:12px 28px}");
}
