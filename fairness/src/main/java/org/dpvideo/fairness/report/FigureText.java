package org.dpvideo.fairness.report;

import org.dpvideo.fairness.metrics.Aggregate;
import org.dpvideo.fairness.metrics.ConfidenceInterval;
import org.dpvideo.fairness.metrics.GroupEstimate;
import org.dpvideo.fairness.metrics.GroupStatus;
import org.dpvideo.fairness.report.chart.SvgCharts;

/** Text of figures shared by the renderers: values, intervals, statuses. Stateless. */
final class FigureText {
  private FigureText() {}

  static String value(double v) {
    return Double.isNaN(v) ? "undefined" : SvgCharts.num(v);
  }

  static String interval(ConfidenceInterval ci) {
    if (ci == null) {
      return "";
    }
    if (!ci.defined()) {
      return "undefined";
    }
    return "[" + SvgCharts.num(ci.lower()) + ", " + SvgCharts.num(ci.upper()) + "] ("
        + Math.round(ci.level() * 100) + "%, " + method(ci) + ")";
  }

  static String method(ConfidenceInterval ci) {
    return switch (ci.method()) {
      case BOOTSTRAP_PERCENTILE -> "bootstrap, " + ci.replicates() + " resamples";
      case DELTA_METHOD_WITH_NOISE -> "delta method incl. DP noise";
      case SEED_STANDARD_ERROR -> "over " + ci.replicates() + " seeds";
    };
  }

  static String groupValue(GroupEstimate e) {
    return switch (e.status()) {
      case EMPTY -> "empty (no member)";
      case SUPPRESSED_SMALL -> "suppressed (too few members)";
      case REPORTED -> value(e.value());
    };
  }

  static String status(GroupStatus s) {
    return switch (s) {
      case REPORTED -> "reported";
      case SUPPRESSED_SMALL -> "suppressed: small group";
      case EMPTY -> "empty";
    };
  }

  static String aggregate(Aggregate a) {
    if (Double.isNaN(a.value())) {
      return "undefined" + (a.undefinedReason() == null ? "" : " (" + a.undefinedReason() + ")");
    }
    return SvgCharts.num(a.value()) + (a.extremeGroup() == null ? "" : " (" + a.extremeGroup().label() + ")");
  }
}
