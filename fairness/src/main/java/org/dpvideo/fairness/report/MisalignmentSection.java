package org.dpvideo.fairness.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.dpvideo.fairness.Provenance;
import org.dpvideo.fairness.group.GroupKey;
import org.dpvideo.fairness.misalignment.BatchAlignment;
import org.dpvideo.fairness.misalignment.ExpectedLossTerms;
import org.dpvideo.fairness.misalignment.GroupAlignment;
import org.dpvideo.fairness.misalignment.GroupNormStats;
import org.dpvideo.fairness.misalignment.MisalignmentDiagnostics;
import org.dpvideo.fairness.misalignment.MisalignmentSnapshot;

/**
 * Misalignment diagnostics over training steps.
 *
 * @param provenance what they were computed from (raw training gradients: internal)
 * @param everySteps the logging interval
 * @param hessianIncluded whether the expected-loss terms include second-order terms
 * @param snapshots one per logged step
 */
public record MisalignmentSection(Provenance provenance, int everySteps, boolean hessianIncluded,
    List<MisalignmentSnapshot> snapshots) {

  /** Validates and copies. */
  public MisalignmentSection {
    Objects.requireNonNull(provenance, "provenance");
    snapshots = List.copyOf(snapshots);
  }

  /** The section of a diagnostics collector. */
  public static MisalignmentSection from(MisalignmentDiagnostics diagnostics) {
    return new MisalignmentSection(diagnostics.options().provenance(), diagnostics.options().everySteps(),
        diagnostics.options().hessian() != null, diagnostics.snapshots());
  }

  /**
   * The charts of the section, one line per group: fraction clipped, mean per-unit norm,
   * cos(g_{D_k}, ḡ_B), Δ_k, R_dir, R_mag, and the batch's cos(g_B, ḡ_B). Charts without any finite
   * point are left out.
   */
  public List<SeriesChart> charts() {
    List<SeriesChart> out = new ArrayList<>();
    addNorms(out, "Fraction of units clipped", "fraction", GroupNormStats::fractionClipped);
    addNorms(out, "Mean per-unit gradient norm (unclipped)", "norm", GroupNormStats::meanNorm);
    addAlignment(out, "cos(g_D_k, clipped batch gradient)", "cosine", GroupAlignment::cosFullVsClippedBatch);
    addAlignment(out, "Direction error Δ_k = |ḡ_B|(cos(g_D_k, g_B) − cos(g_D_k, ḡ_B))", "Δ_k",
        GroupAlignment::directionError);
    String order = hessianIncluded ? "" : " (first order)";
    addTerms(out, "Direction error of clipping R_dir" + order, "R_dir", ExpectedLossTerms::dir);
    addTerms(out, "Magnitude error of clipping R_mag" + order, "R_mag", ExpectedLossTerms::mag);
    List<StepValue> batch = new ArrayList<>();
    for (MisalignmentSnapshot s : snapshots) {
      if (s.alignment() != null) {
        batch.add(new StepValue(s.step(), s.alignment().cosBatchVsClipped()));
      }
    }
    if (batch.stream().anyMatch(p -> Double.isFinite(p.value()))) {
      out.add(new SeriesChart("cos(g_B, ḡ_B): clipping misalignment of the batch", "cosine", provenance,
          List.of(new SeriesChart.Series("batch", batch))));
    }
    return out;
  }

  private void addNorms(List<SeriesChart> out, String title, String y, Function<GroupNormStats, Double> f) {
    Map<GroupKey, List<StepValue>> lines = new LinkedHashMap<>();
    for (MisalignmentSnapshot s : snapshots) {
      for (GroupNormStats g : s.norms()) {
        lines.computeIfAbsent(g.group(), k -> new ArrayList<>()).add(new StepValue(s.step(), f.apply(g)));
      }
    }
    add(out, title, y, lines);
  }

  private void addAlignment(List<SeriesChart> out, String title, String y, Function<GroupAlignment, Double> f) {
    Map<GroupKey, List<StepValue>> lines = new LinkedHashMap<>();
    for (MisalignmentSnapshot s : snapshots) {
      BatchAlignment a = s.alignment();
      if (a == null) {
        continue;
      }
      for (GroupAlignment g : a.groups()) {
        lines.computeIfAbsent(g.group(), k -> new ArrayList<>()).add(new StepValue(s.step(), f.apply(g)));
      }
    }
    add(out, title, y, lines);
  }

  private void addTerms(List<SeriesChart> out, String title, String y, Function<ExpectedLossTerms, Double> f) {
    Map<GroupKey, List<StepValue>> lines = new LinkedHashMap<>();
    for (MisalignmentSnapshot s : snapshots) {
      for (ExpectedLossTerms t : s.lossTerms()) {
        lines.computeIfAbsent(t.group(), k -> new ArrayList<>()).add(new StepValue(s.step(), f.apply(t)));
      }
    }
    add(out, title, y, lines);
  }

  private void add(List<SeriesChart> out, String title, String y, Map<GroupKey, List<StepValue>> lines) {
    boolean any = lines.values().stream().flatMap(List::stream).anyMatch(p -> Double.isFinite(p.value()));
    if (!any) {
      return;
    }
    List<SeriesChart.Series> series = new ArrayList<>();
    lines.forEach((k, v) -> series.add(new SeriesChart.Series(k.label(), v)));
    out.add(new SeriesChart(title, y, provenance, series));
  }
}
