package org.dpvideo.fairness.report.chart;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Renders small SVG charts as text. Undefined values (NaN) break lines and leave bars out (they are
 * never drawn as 0). Colours are the Okabe–Ito colour-blind-safe palette.
 *
 * <p>Thread-safe (stateless).
 */
public final class SvgCharts {
  /** Okabe–Ito colours (yellow left out: too light on white). */
  public static final List<String> PALETTE =
      List.of("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000");

  private static final int WIDTH = 680;
  private static final int PLOT_HEIGHT = 240;
  private static final int LEFT = 70;
  private static final int RIGHT = 20;
  private static final int TOP = 34;
  private static final int AXIS_BOTTOM = 44;

  private SvgCharts() {}

  /**
   * One line.
   *
   * @param name legend label
   * @param x x values (steps)
   * @param y y values (NaN breaks the line)
   */
  public record Line(String name, double[] x, double[] y) {
    /** Validates. */
    public Line {
      Objects.requireNonNull(name, "name");
      if (x.length != y.length) {
        throw new IllegalArgumentException("line '" + name + "' has " + x.length + " x values and " + y.length
            + " y values");
      }
    }
  }

  /**
   * One bar.
   *
   * @param label category label
   * @param value bar height (NaN: no bar, the label says why)
   * @param lower interval lower bound (NaN: no whisker)
   * @param upper interval upper bound (NaN: no whisker)
   * @param note text shown instead of a value (e.g. "suppressed (n=4)"), or null
   */
  public record Bar(String label, double value, double lower, double upper, String note) {}

  /** A line chart of y over x, one line per entry, with a legend below. */
  public static String lineChart(String title, String xLabel, String yLabel, List<Line> lines) {
    double xmin = Double.POSITIVE_INFINITY;
    double xmax = Double.NEGATIVE_INFINITY;
    double ymin = Double.POSITIVE_INFINITY;
    double ymax = Double.NEGATIVE_INFINITY;
    for (Line l : lines) {
      for (int i = 0; i < l.x.length; i++) {
        if (Double.isFinite(l.x[i]) && Double.isFinite(l.y[i])) {
          xmin = Math.min(xmin, l.x[i]);
          xmax = Math.max(xmax, l.x[i]);
          ymin = Math.min(ymin, l.y[i]);
          ymax = Math.max(ymax, l.y[i]);
        }
      }
    }
    int legendRows = (lines.size() + 2) / 3;
    int height = TOP + PLOT_HEIGHT + AXIS_BOTTOM + 18 * legendRows + 8;
    StringBuilder sb = open(title, height);
    if (!Double.isFinite(xmin)) {
      emptyNote(sb);
      return sb.append("</svg>").toString();
    }
    double[] yr = padded(ymin, ymax);
    double[] xt = ticks(xmin, xmax == xmin ? xmin + 1 : xmax, 6);
    double[] yt = ticks(yr[0], yr[1], 5);
    double x0 = Math.min(xmin, xt[0]);
    double x1 = Math.max(xmax == xmin ? xmin + 1 : xmax, xt[xt.length - 1]);
    double y0 = Math.min(yr[0], yt[0]);
    double y1 = Math.max(yr[1], yt[yt.length - 1]);
    Frame f = new Frame(x0, x1, y0, y1);
    axes(sb, f, xt, yt, xLabel, yLabel);
    for (int s = 0; s < lines.size(); s++) {
      Line l = lines.get(s);
      String c = PALETTE.get(s % PALETTE.size());
      StringBuilder path = new StringBuilder();
      boolean pen = false;
      int finite = 0;
      for (int i = 0; i < l.x.length; i++) {
        if (!Double.isFinite(l.y[i]) || !Double.isFinite(l.x[i])) {
          pen = false;
          continue;
        }
        path.append(pen ? " L" : (path.length() == 0 ? "M" : " M")).append(fmt(f.px(l.x[i]))).append(' ')
            .append(fmt(f.py(l.y[i])));
        pen = true;
        finite++;
      }
      sb.append("<g class=\"series\" data-series=\"").append(esc(l.name)).append("\">");
      if (path.length() > 0) {
        sb.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"").append(c)
            .append("\" stroke-width=\"2.2\" stroke-linejoin=\"round\"/>");
      }
      if (finite <= 60) {
        for (int i = 0; i < l.x.length; i++) {
          if (Double.isFinite(l.y[i]) && Double.isFinite(l.x[i])) {
            sb.append("<circle cx=\"").append(fmt(f.px(l.x[i]))).append("\" cy=\"").append(fmt(f.py(l.y[i])))
                .append("\" r=\"3\" fill=\"").append(c).append("\"><title>").append(esc(l.name)).append(": ")
                .append(num(l.y[i])).append(" at ").append(num(l.x[i])).append("</title></circle>");
          }
        }
      }
      sb.append("</g>");
      int row = s / 3;
      int col = s % 3;
      double lx = LEFT + col * 200;
      double ly = TOP + PLOT_HEIGHT + AXIS_BOTTOM + 14 + 18 * row;
      sb.append("<rect x=\"").append(fmt(lx)).append("\" y=\"").append(fmt(ly - 9)).append("\" width=\"14\" height=\""
          + "10\" fill=\"").append(c).append("\"/>");
      sb.append("<text x=\"").append(fmt(lx + 20)).append("\" y=\"").append(fmt(ly)).append("\" font-size=\"12\">")
          .append(esc(truncate(l.name, 28))).append("</text>");
    }
    return sb.append("</svg>").toString();
  }

  /** A bar chart of one value per category with interval whiskers; the zero line is drawn. */
  public static String barChart(String title, String yLabel, List<Bar> bars) {
    double ymin = 0;
    double ymax = 0;
    boolean any = false;
    for (Bar b : bars) {
      for (double v : new double[] {b.value, b.lower, b.upper}) {
        if (Double.isFinite(v)) {
          ymin = Math.min(ymin, v);
          ymax = Math.max(ymax, v);
          any = true;
        }
      }
    }
    double slotWidth = (WIDTH - LEFT - RIGHT) / (double) Math.max(1, bars.size());
    int longest = bars.stream().mapToInt(b -> b.label.length()).max().orElse(0);
    boolean rotate = longest * 7 > slotWidth;
    int labelSpace = rotate ? Math.min(110, 10 + (int) (Math.min(longest, 22) * 5.2)) : 0;
    int height = TOP + PLOT_HEIGHT + AXIS_BOTTOM + labelSpace;
    StringBuilder sb = open(title, height);
    if (!any || bars.isEmpty()) {
      emptyNote(sb);
      return sb.append("</svg>").toString();
    }
    double[] yr = padded(ymin, ymax);
    double[] yt = ticks(yr[0], yr[1], 5);
    Frame f = new Frame(0, bars.size(), Math.min(yr[0], yt[0]), Math.max(yr[1], yt[yt.length - 1]));
    axes(sb, f, null, yt, null, yLabel);
    double slot = (WIDTH - LEFT - RIGHT) / (double) bars.size();
    double bw = Math.min(60, slot * 0.6);
    double zero = f.py(0);
    sb.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT).append("\" y1=\"")
        .append(fmt(zero)).append("\" y2=\"").append(fmt(zero)).append("\" stroke=\"#444\"/>");
    for (int i = 0; i < bars.size(); i++) {
      Bar b = bars.get(i);
      String c = PALETTE.get(i % PALETTE.size());
      double cx = LEFT + slot * (i + 0.5);
      if (Double.isFinite(b.value)) {
        double y = f.py(b.value);
        sb.append("<rect class=\"bar\" x=\"").append(fmt(cx - bw / 2)).append("\" y=\"").append(fmt(Math.min(y, zero)))
            .append("\" width=\"").append(fmt(bw)).append("\" height=\"").append(fmt(Math.max(1, Math.abs(zero - y))))
            .append("\" fill=\"").append(c).append("\"><title>").append(esc(b.label)).append(": ").append(num(b.value))
            .append("</title></rect>");
        if (Double.isFinite(b.lower) && Double.isFinite(b.upper)) {
          double yl = f.py(b.lower);
          double yu = f.py(b.upper);
          sb.append("<path d=\"M").append(fmt(cx)).append(' ').append(fmt(yl)).append(" L").append(fmt(cx)).append(' ')
              .append(fmt(yu)).append(" M").append(fmt(cx - 8)).append(' ').append(fmt(yl)).append(" L")
              .append(fmt(cx + 8)).append(' ').append(fmt(yl)).append(" M").append(fmt(cx - 8)).append(' ')
              .append(fmt(yu)).append(" L").append(fmt(cx + 8)).append(' ').append(fmt(yu))
              .append("\" stroke=\"#222\" stroke-width=\"1.5\" fill=\"none\"/>");
        }
        // Value label beyond the bar's end: above a positive bar, below a negative one.
        double labelY = b.value >= 0 ? y - 4 : y + 13;
        if (Double.isFinite(b.lower) && Double.isFinite(b.upper)) {
          labelY = b.value >= 0 ? Math.min(labelY, f.py(b.upper) - 4) : Math.max(labelY, f.py(b.lower) + 13);
        }
        sb.append("<text x=\"").append(fmt(cx + (Double.isFinite(b.lower) ? 14 : 0))).append("\" y=\"")
            .append(fmt(labelY)).append("\" font-size=\"11\" text-anchor=\"")
            .append(Double.isFinite(b.lower) ? "start" : "middle").append("\" fill=\"#222\">").append(num(b.value))
            .append("</text>");
      } else {
        // The reason, one word per line, above the zero line (never a bar of height 0).
        String[] words = (b.note == null ? "undefined" : b.note).split(" ");
        // Above the zero line, or below it when the zero line is at the top of the plot.
        double top = zero - TOP > 12 * words.length + 10 ? zero - 8 - 12 * (words.length - 1) : zero + 14;
        sb.append("<text class=\"note\" x=\"").append(fmt(cx)).append("\" y=\"").append(fmt(top))
            .append("\" font-size=\"10\" text-anchor=\"middle\" fill=\"#a33\">");
        for (int w = 0; w < words.length; w++) {
          sb.append("<tspan x=\"").append(fmt(cx)).append("\" dy=\"").append(w == 0 ? "0" : "12").append("\">")
              .append(esc(words[w])).append("</tspan>");
        }
        sb.append("</text>");
      }
      int ly = TOP + PLOT_HEIGHT + 16;
      if (rotate) {
        sb.append("<text x=\"").append(fmt(cx + 4)).append("\" y=\"").append(ly)
            .append("\" font-size=\"11\" text-anchor=\"end\" transform=\"rotate(-35 ").append(fmt(cx + 4))
            .append(' ').append(ly).append(")\">").append(esc(truncate(b.label, 22))).append("</text>");
      } else {
        sb.append("<text x=\"").append(fmt(cx)).append("\" y=\"").append(ly)
            .append("\" font-size=\"12\" text-anchor=\"middle\">").append(esc(b.label)).append("</text>");
      }
    }
    return sb.append("</svg>").toString();
  }

  private static StringBuilder open(String title, int height) {
    StringBuilder sb = new StringBuilder();
    sb.append("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"").append(WIDTH)
        .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
        .append("\" font-family=\"sans-serif\"><title>").append(esc(title)).append("</title>");
    sb.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>");
    sb.append("<text x=\"").append(LEFT).append("\" y=\"20\" font-size=\"14\" font-weight=\"bold\">")
        .append(esc(title)).append("</text>");
    return sb;
  }

  private static void emptyNote(StringBuilder sb) {
    sb.append("<text x=\"").append(WIDTH / 2).append("\" y=\"").append(TOP + PLOT_HEIGHT / 2)
        .append("\" font-size=\"13\" text-anchor=\"middle\" fill=\"#a33\">no defined values</text>");
  }

  private static void axes(StringBuilder sb, Frame f, double[] xt, double[] yt, String xLabel, String yLabel) {
    int bottom = TOP + PLOT_HEIGHT;
    for (double y : yt) {
      double py = f.py(y);
      sb.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT).append("\" y1=\"").append(fmt(py))
          .append("\" y2=\"").append(fmt(py)).append("\" stroke=\"#e3e3e3\"/>");
      sb.append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(fmt(py + 4))
          .append("\" font-size=\"11\" text-anchor=\"end\">").append(num(y)).append("</text>");
    }
    if (xt != null) {
      for (double x : xt) {
        double px = f.px(x);
        sb.append("<line x1=\"").append(fmt(px)).append("\" x2=\"").append(fmt(px)).append("\" y1=\"").append(bottom)
            .append("\" y2=\"").append(bottom + 5).append("\" stroke=\"#444\"/>");
        sb.append("<text x=\"").append(fmt(px)).append("\" y=\"").append(bottom + 18)
            .append("\" font-size=\"11\" text-anchor=\"middle\">").append(num(x)).append("</text>");
      }
    }
    sb.append("<path d=\"M").append(LEFT).append(' ').append(TOP).append(" L").append(LEFT).append(' ').append(bottom)
        .append(" L").append(WIDTH - RIGHT).append(' ').append(bottom).append("\" stroke=\"#444\" fill=\"none\"/>");
    if (xLabel != null && !xLabel.isEmpty()) {
      sb.append("<text x=\"").append((LEFT + WIDTH - RIGHT) / 2).append("\" y=\"").append(bottom + 34)
          .append("\" font-size=\"12\" text-anchor=\"middle\">").append(esc(xLabel)).append("</text>");
    }
    if (yLabel != null && !yLabel.isEmpty()) {
      sb.append("<text transform=\"translate(14 ").append(TOP + PLOT_HEIGHT / 2)
          .append(") rotate(-90)\" font-size=\"12\" text-anchor=\"middle\">").append(esc(yLabel)).append("</text>");
    }
  }

  private static double[] padded(double lo, double hi) {
    double d = lo == hi ? (lo == 0 ? 1 : Math.abs(lo) * 0.1) : (hi - lo) * 0.05;
    // Never pad across zero: a non-negative quantity keeps its axis at 0.
    double a = lo >= 0 && lo - d < 0 ? 0 : lo - d;
    double b = hi <= 0 && hi + d > 0 ? 0 : hi + d;
    return new double[] {a, b};
  }

  /** "Nice" ticks (steps of 1, 2 or 5 times a power of ten) covering [lo, hi]. */
  static double[] ticks(double lo, double hi, int target) {
    double range = hi - lo;
    double raw = range / Math.max(1, target);
    double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    double step = mag;
    for (double m : new double[] {1, 2, 5, 10}) {
      if (raw <= m * mag) {
        step = m * mag;
        break;
      }
    }
    double start = Math.floor(lo / step) * step;
    double end = Math.ceil(hi / step) * step;
    int n = (int) Math.round((end - start) / step) + 1;
    double[] t = new double[n];
    for (int i = 0; i < n; i++) {
      t[i] = start + i * step;
      if (Math.abs(t[i]) < step * 1e-9) {
        t[i] = 0;
      }
    }
    return t;
  }

  /** A compact number: up to 4 significant digits, scientific when very small or large. */
  public static String num(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "∞" : "−∞";
    }
    double a = Math.abs(v);
    if (a != 0 && (a < 1e-3 || a >= 1e6)) {
      return String.format(Locale.ROOT, "%.3g", v);
    }
    String s = String.format(Locale.ROOT, "%.4g", v);
    if (s.contains(".") && !s.contains("e")) {
      s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return s;
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static String truncate(String s, int max) {
    return s.length() <= Math.max(4, max) ? s : s.substring(0, Math.max(4, max) - 1) + "…";
  }

  /** XML text escaping. */
  public static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  private record Frame(double x0, double x1, double y0, double y1) {
    double px(double x) {
      return LEFT + (x - x0) / (x1 - x0) * (WIDTH - LEFT - RIGHT);
    }

    double py(double y) {
      return TOP + PLOT_HEIGHT - (y - y0) / (y1 - y0) * PLOT_HEIGHT;
    }
  }
}
