package org.dpvideo.fairness.report;

import java.util.List;
import java.util.Objects;
import org.dpvideo.fairness.Provenance;

/**
 * A chart of values over training steps, one line per series (e.g. per group).
 *
 * @param title chart title
 * @param yLabel y-axis label
 * @param provenance what the values are computed from
 * @param series the lines
 */
public record SeriesChart(String title, String yLabel, Provenance provenance, List<Series> series) {

  /** Validates and copies. */
  public SeriesChart {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(provenance, "provenance");
    yLabel = yLabel == null ? "" : yLabel;
    series = List.copyOf(series);
  }

  /**
   * One line.
   *
   * @param name legend label
   * @param points the points, in step order
   */
  public record Series(String name, List<StepValue> points) {
    /** Validates and copies. */
    public Series {
      Objects.requireNonNull(name, "name");
      points = List.copyOf(points);
    }
  }
}
