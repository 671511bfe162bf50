package org.dpvideo.fairness.report;

import java.util.Locale;

/** The output formats of a rendered report. */
public enum ReportFormat {
  /** Self-contained HTML (inline SVG charts, embedded GIFs, no scripts). */
  HTML,
  /** The (scope-filtered) report data as JSON. */
  JSON,
  /** Markdown tables. */
  MD;

  /** The file extension. */
  public String extension() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code html}, {@code json} or {@code md} (any case). */
  public static ReportFormat parse(String s) {
    for (ReportFormat f : values()) {
      if (f.extension().equalsIgnoreCase(s == null ? "" : s.trim())) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown report format '" + s + "'; expected one of html, json, md");
  }
}
