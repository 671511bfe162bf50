package org.dpvideo.fairness.classify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.dpvideo.fairness.group.GroupKey;
import org.dpvideo.fairness.misalignment.GroupAlignment;
import org.dpvideo.fairness.misalignment.GroupNormStats;
import org.dpvideo.fairness.misalignment.MisalignmentDiagnostics;
import org.dpvideo.fairness.misalignment.MisalignmentSnapshot;

/**
 * The misalignment diagnostics of a classifier run as a JSON-ready object: per group the mean over logged
 * steps (undefined values skipped) of the unclipped norm, the fraction clipped, the mean scale factor, the
 * cosines of the full-data group gradient with the unclipped and clipped batch gradients, and the
 * direction-error statistic Δ_k (spec §1.2, Prop. 3); the batch-level cos(g_B, ḡ_B); and per-step series of
 * Δ_k and the fraction clipped. Everything is marked internal: raw private training data, no DP mechanism.
 */
final class MisalignmentSummary {
  private MisalignmentSummary() {}

  static Map<String, Object> toJson(MisalignmentDiagnostics d, String threshold) {
    List<MisalignmentSnapshot> snaps = d.snapshots();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("available", !snaps.isEmpty());
    m.put("provenance", d.options().provenance().name());
    m.put("release", d.options().provenance().description()
        + ": computed from raw per-example gradients of the private training data; keep internal");
    m.put("every_steps", d.options().everySteps());
    m.put("logged_steps", snaps.stream().map(MisalignmentSnapshot::step).toList());
    m.put("clipped_means", threshold);
    List<Double> batchCos = new ArrayList<>();
    for (MisalignmentSnapshot s : snaps) {
      batchCos.add(s.alignment() == null ? Double.NaN : s.alignment().cosBatchVsClipped());
    }
    m.put("cos_batch_vs_clipped_mean", mean(batchCos));
    Map<String, Object> groups = new LinkedHashMap<>();
    if (!snaps.isEmpty()) {
      for (GroupNormStats g0 : snaps.get(0).norms()) {
        GroupKey key = g0.group();
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("mean_norm", mean(norms(snaps, key, GroupNormStats::meanNorm)));
        g.put("fraction_clipped", mean(norms(snaps, key, GroupNormStats::fractionClipped)));
        g.put("mean_scale_factor", mean(norms(snaps, key, GroupNormStats::meanScaleFactor)));
        g.put("cos_full_vs_batch", mean(align(snaps, key, GroupAlignment::cosFullVsBatch)));
        g.put("cos_full_vs_clipped_batch", mean(align(snaps, key, GroupAlignment::cosFullVsClippedBatch)));
        List<Double> dir = align(snaps, key, GroupAlignment::directionError);
        g.put("direction_error", mean(dir));
        g.put("direction_error_by_step", dir);
        g.put("fraction_clipped_by_step", norms(snaps, key, GroupNormStats::fractionClipped));
        groups.put(key.valuesLabel(), g);
      }
    }
    m.put("groups", groups);
    return m;
  }

  private static List<Double> norms(List<MisalignmentSnapshot> snaps, GroupKey key, ToDoubleFunction<GroupNormStats> f) {
    List<Double> out = new ArrayList<>();
    for (MisalignmentSnapshot s : snaps) {
      double v = Double.NaN;
      for (GroupNormStats g : s.norms()) {
        if (g.group().equals(key)) {
          v = f.applyAsDouble(g);
        }
      }
      out.add(v);
    }
    return out;
  }

  private static List<Double> align(List<MisalignmentSnapshot> snaps, GroupKey key, ToDoubleFunction<GroupAlignment> f) {
    List<Double> out = new ArrayList<>();
    for (MisalignmentSnapshot s : snaps) {
      double v = Double.NaN;
      if (s.alignment() != null) {
        for (GroupAlignment g : s.alignment().groups()) {
          if (g.group().equals(key)) {
            v = f.applyAsDouble(g);
          }
        }
      }
      out.add(v);
    }
    return out;
  }

  /** Mean of the finite values; NaN when none. */
  static double mean(List<Double> values) {
    double s = 0;
    int n = 0;
    for (double v : values) {
      if (Double.isFinite(v)) {
        s += v;
        n++;
      }
    }
    return n == 0 ? Double.NaN : s / n;
  }
}
