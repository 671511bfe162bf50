package org.dpvideo.fairness.report;

import java.util.ArrayList;
import java.util.List;
import org.dpvideo.dpsgd.accounting.DpEventJson;
import org.dpvideo.fairness.Provenance;
import org.dpvideo.fairness.cost.GroupGap;
import org.dpvideo.fairness.cost.MetricOrientation;
import org.dpvideo.fairness.cost.PrivacyCostSummary;
import org.dpvideo.fairness.metrics.Aggregate;
import org.dpvideo.fairness.metrics.GroupEstimate;
import org.dpvideo.fairness.metrics.GroupStatus;
import org.dpvideo.dpsgd.noise.RandomnessLabel;
import org.dpvideo.fairness.report.chart.SvgCharts;

/**
 * Renders a {@link RunReport} as Markdown: the same sections and tables as the HTML report, every
 * figure with its provenance; charts become compact tables of their points (at most
 * {@link #MAX_CHART_ROWS} steps, evenly spaced, always including the last).
 *
 * <p>Thread-safe (stateless).
 */
public final class MarkdownReport {
  /** Steps shown per chart table. */
  public static final int MAX_CHART_ROWS = 12;

  private MarkdownReport() {}

  /** The Markdown text. */
  public static String render(RunReport r) {
    StringBuilder m = new StringBuilder(16 * 1024);
    m.append("# ").append(r.title()).append("\n\n");
    m.append("Run `").append(r.runId()).append('`').append(r.createdAt().isEmpty() ? "" : ", written " + r.createdAt())
        .append(".\n\n");
    m.append("- Noise source: **").append(r.noise().kind()).append("** — ").append(r.noise().description());
    if (r.noise().kind() != RandomnessLabel.SECURE) {
      m.append(". Seeded noise is replayable: no figure of this run is differentially private.");
    }
    m.append('\n');
    m.append(r.scope() == ReleaseScope.INTERNAL
        ? "- **INTERNAL REPORT**: may contain statistics that are not differentially private. Do not share.\n"
        : "- Release report: figures whose provenance is not releasable are withheld (listed at the end).\n");
    m.append('\n');
    PrivacySection p = r.privacy();
    if (p != null) {
      m.append("## Privacy\n\n| ε | δ | accountant | privacy unit | ε of released statistics |\n|---|---|---|---|---|\n| ")
          .append(FigureText.value(p.epsilon())).append(" | ").append(SvgCharts.num(p.delta())).append(" | ")
          .append(p.accountant().cliName()).append(" | ").append(cell(p.privacyUnit())).append(" | ")
          .append(Double.isNaN(p.statisticsEpsilon()) ? "none released" : SvgCharts.num(p.statisticsEpsilon()))
          .append(" |\n\n");
      if (!p.epsilonOverSteps().isEmpty()) {
        m.append("ε over steps:\n\n| step | ε |\n|---|---|\n");
        for (StepValue v : sample(p.epsilonOverSteps())) {
          m.append("| ").append(v.step()).append(" | ").append(FigureText.value(v.value())).append(" |\n");
        }
        m.append('\n');
      }
      for (PrivacySection.AccountedStatistic s : p.releases()) {
        m.append("- accounted release: ").append(s.statistic()).append(" — `").append(DpEventJson.toJson(s.event()))
            .append("`\n");
      }
      if (p.event() != null) {
        m.append("\nComposed event: `").append(DpEventJson.toJson(p.event())).append("`\n\n");
      }
    }
    tables(m, "Fairness by group", r.fairness());
    if (!r.privacyCosts().isEmpty()) {
      m.append("## Privacy cost by group\n\n");
      for (PrivacyCostTable t : r.privacyCosts()) {
        m.append("### ").append(t.orientation().costName()).append(" of ").append(t.metric()).append(" — ")
            .append(prov(t.provenance())).append("\n\n");
        m.append("Reference model: **").append(t.reference().kind()).append("** — ")
            .append(t.reference().description()).append(". Cost = ")
            .append(t.orientation() == MetricOrientation.HIGHER_IS_BETTER ? "reference − private" : "private − reference")
            .append(".").append(t.dataset().isEmpty() ? "" : " Data: " + t.dataset() + ".").append("\n\n");
        m.append("| group | n | private | reference | cost | interval |\n|---|---|---|---|---|---|\n");
        for (PrivacyCostTable.CostRow row : t.rows()) {
          boolean rep = row.status() == GroupStatus.REPORTED;
          m.append("| ").append(cell(row.group().label())).append(" | ").append(row.count()).append(" | ")
              .append(rep ? FigureText.value(row.privateValue()) : FigureText.status(row.status())).append(" | ")
              .append(rep ? FigureText.value(row.referenceValue()) : "").append(" | ")
              .append(rep ? FigureText.value(row.cost()) : "").append(" | ")
              .append(cell(FigureText.interval(row.costInterval()))).append(" |\n");
        }
        m.append("\nLargest gap (").append(t.orientation().gapName()).append("): **")
            .append(FigureText.aggregate(t.maxGap())).append("** ").append(FigureText.interval(t.maxGap().interval()))
            .append("\n");
        for (GroupGap g : t.gaps()) {
          m.append("\nGap ").append(g.a().label()).append(" vs ").append(g.b().label()).append(": **")
              .append(FigureText.value(g.gap())).append("** ").append(FigureText.interval(g.interval())).append('\n');
        }
        if (t.seeds() != null) {
          m.append("\n| group | mean over seeds | std | standard error | seeds |\n|---|---|---|---|---|\n");
          for (PrivacyCostSummary.SeedSpread s : t.seeds().groups()) {
            m.append("| ").append(cell(s.group().label())).append(" | ").append(FigureText.value(s.mean())).append(" | ")
                .append(FigureText.value(s.std())).append(" | ").append(FigureText.value(s.standardError()))
                .append(" | ").append(s.seeds()).append(" |\n");
          }
        }
        m.append('\n');
      }
    }
    List<SeriesChart> charts = new ArrayList<>();
    if (r.misalignment() != null) {
      charts.addAll(r.misalignment().charts());
    }
    charts.addAll(r.charts());
    if (!charts.isEmpty()) {
      m.append("## Misalignment diagnostics\n\n");
      if (r.misalignment() != null) {
        m.append(prov(r.misalignment().provenance())).append("; logged every ").append(r.misalignment().everySteps())
            .append(" steps; expected-loss terms ")
            .append(r.misalignment().hessianIncluded() ? "include Hessian terms" : "are first order").append(".\n\n");
      }
      for (SeriesChart c : charts) {
        m.append("### ").append(c.title()).append(" — ").append(prov(c.provenance())).append("\n\n| step |");
        for (SeriesChart.Series s : c.series()) {
          m.append(' ').append(cell(s.name())).append(" |");
        }
        m.append("\n|---|").append("---|".repeat(c.series().size())).append('\n');
        List<StepValue> steps = sample(c.series().get(0).points());
        for (StepValue st : steps) {
          m.append("| ").append(st.step()).append(" |");
          for (SeriesChart.Series s : c.series()) {
            double v = s.points().stream().filter(x -> x.step() == st.step()).mapToDouble(StepValue::value).findFirst()
                .orElse(Double.NaN);
            m.append(' ').append(FigureText.value(v)).append(" |");
          }
          m.append('\n');
        }
        m.append('\n');
      }
    }
    tables(m, "Quality by group", r.quality());
    tables(m, "Decoding collapse by group", r.collapse());
    if (!r.samples().isEmpty()) {
      m.append("## Samples by group\n\n");
      for (SampleSet s : r.samples()) {
        m.append("- ").append(s.group().label()).append(" (").append(prov(s.provenance())).append("): ");
        List<String> links = new ArrayList<>();
        for (String path : s.paths()) {
          links.add("![" + path + "](" + path + ")");
        }
        m.append(String.join(" ", links)).append('\n');
      }
      m.append('\n');
    }
    if (r.tuning() != null) {
      m.append("## Tuning\n\n").append(r.tuning()).append("\n\n");
    }
    if (!r.notes().isEmpty()) {
      m.append("## Notes\n\n");
      r.notes().forEach(n -> m.append("- ").append(n).append('\n'));
      m.append('\n');
    }
    if (!r.withheld().isEmpty()) {
      m.append("## Withheld (not releasable)\n\n");
      r.withheld().forEach(n -> m.append("- ").append(n).append('\n'));
      m.append('\n');
    }
    return m.toString();
  }

  private static void tables(StringBuilder m, String heading, List<GroupTable> tables) {
    if (tables.isEmpty()) {
      return;
    }
    m.append("## ").append(heading).append("\n\n");
    for (GroupTable t : tables) {
      m.append("### ").append(t.metric()).append(" — ").append(prov(t.provenance())).append("\n\n");
      if (!t.description().isEmpty()) {
        m.append(t.description());
        if (t.higherIsBetter() != null) {
          m.append(t.higherIsBetter() ? " Higher is better." : " Lower is better.");
        }
        m.append("\n\n");
      }
      if (!t.dataset().isEmpty()) {
        m.append("Data: ").append(t.dataset()).append("\n\n");
      }
      boolean base = !t.baseline().isEmpty();
      m.append("| group | n | value | interval | status |").append(base ? " " + cell(t.baselineLabel()) + " |" : "")
          .append("\n|---|---|---|---|---|").append(base ? "---|" : "").append('\n');
      if (t.overall() != null) {
        m.append("| **overall** | ").append(t.overall().count()).append(" | ").append(FigureText.value(t.overall().value()))
            .append(" | ").append(cell(FigureText.interval(t.overall().interval()))).append(" | |")
            .append(base ? " |" : "").append('\n');
      }
      for (GroupEstimate e : t.groups()) {
        m.append("| ").append(cell(e.group().label())).append(" | ").append(e.count()).append(" | ")
            .append(FigureText.groupValue(e)).append(" | ").append(cell(FigureText.interval(e.interval()))).append(" | ")
            .append(FigureText.status(e.status())).append(" |");
        if (base) {
          GroupEstimate b = t.baseline().stream().filter(x -> x.group().equals(e.group())).findFirst().orElse(null);
          m.append(' ').append(b == null ? "" : FigureText.groupValue(b)).append(" |");
        }
        m.append('\n');
      }
      if (!t.aggregates().isEmpty()) {
        m.append("\n| summary | value | interval |\n|---|---|---|\n");
        for (Aggregate a : t.aggregates()) {
          m.append("| ").append(cell(a.name())).append(" | ").append(cell(FigureText.aggregate(a))).append(" | ")
              .append(cell(FigureText.interval(a.interval()))).append(" |\n");
        }
      }
      m.append('\n');
    }
  }

  private static List<StepValue> sample(List<StepValue> pts) {
    if (pts.size() <= MAX_CHART_ROWS) {
      return pts;
    }
    List<StepValue> out = new ArrayList<>();
    for (int i = 0; i < MAX_CHART_ROWS; i++) {
      out.add(pts.get((int) Math.round(i * (pts.size() - 1) / (double) (MAX_CHART_ROWS - 1))));
    }
    return out;
  }

  private static String prov(Provenance p) {
    return p == Provenance.TRAIN_UNPROTECTED ? "**" + p.description() + "**" : p.description();
  }

  private static String cell(String s) {
    return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
  }
}
