package org.dpvideo.finetune.metrics;

import java.util.Locale;
import org.dpvideo.tokenizer.video.Clip;

/**
 * Temporal statistics of one clip, on pixel values in [0, 1] (frames {@code x_0 .. x_{T-1}} of
 * {@code H x W x 3}). Definitions (docs/metrics.md gives the same with how to read them):
 *
 * <ul>
 *   <li><b>frame difference</b> {@code d_t = mean_{y,x,c} |x_{t+1}(y,x,c) - x_t(y,x,c)|} for
 *       {@code t = 0 .. T-2};
 *   <li><b>motion magnitude</b> {@code M = mean_t d_t}: the mean absolute frame difference, a cheap
 *       stand-in for optical-flow magnitude (0 for a still video);
 *   <li><b>frozen-frame ratio</b> {@code F = #{t : d_t < tau} / (T - 1)} with a fixed threshold
 *       {@code tau} (default {@link #DEFAULT_FROZEN_THRESHOLD}, one 8-bit level): the share of frame
 *       transitions with no visible change;
 *   <li><b>brightness flicker</b> {@code B = mean_t |Y_{t+1} - Y_t|} with {@code Y_t} the mean luma
 *       (ITU-R BT.601: {@code 0.299 R + 0.587 G + 0.114 B}) of frame {@code t}: global brightness jumps,
 *       which motion of an object over a background hardly changes;
 *   <li><b>detail flicker</b> {@code D = mean_t |E_{t+1} - E_t|} with {@code E_t} the mean absolute
 *       high-pass luma of frame {@code t}, {@code E_t = mean_{y,x} |L_t(y,x) - box3(L_t)(y,x)|} over
 *       interior pixels ({@code box3} the 3x3 mean): texture and edges popping in and out between frames,
 *       which a translation keeps about constant.
 * </ul>
 * Clips of one frame have no transitions: every statistic is NaN. Detail flicker needs frames of at
 * least 3x3 pixels (NaN otherwise).
 *
 * <p>Plain Java over one copy of the pixels (evaluation clips are small); stateless and thread-safe.
 */
public final class TemporalMetrics {
  /** Default frozen-frame threshold: a mean absolute change below one 8-bit level, {@code 1/255}. */
  public static final double DEFAULT_FROZEN_THRESHOLD = 1.0 / 255;

  private TemporalMetrics() {}

  /** The frame differences {@code d_0 .. d_{T-2}}. */
  public static double[] frameDifferences(Clip clip) {
    float[] v = pixels(clip);
    int t = clip.frameCount();
    int f = clip.height() * clip.width() * 3;
    double[] d = new double[Math.max(0, t - 1)];
    for (int i = 0; i + 1 < t; i++) {
      double s = 0;
      int a = i * f;
      int b = a + f;
      for (int k = 0; k < f; k++) {
        s += Math.abs(v[b + k] - v[a + k]);
      }
      d[i] = s / f;
    }
    return d;
  }

  /** Motion magnitude {@code M}; NaN for one frame. */
  public static double motionMagnitude(Clip clip) {
    return mean(frameDifferences(clip));
  }

  /** Frozen-frame ratio {@code F} at threshold {@code tau}; NaN for one frame. */
  public static double frozenFrameRatio(Clip clip, double tau) {
    checkThreshold(tau);
    double[] d = frameDifferences(clip);
    if (d.length == 0) {
      return Double.NaN;
    }
    int frozen = 0;
    for (double x : d) {
      if (x < tau) {
        frozen++;
      }
    }
    return (double) frozen / d.length;
  }

  /** Brightness flicker {@code B}; NaN for one frame. */
  public static double brightnessFlicker(Clip clip) {
    double[][] luma = luma(clip);
    double[] means = new double[luma.length];
    for (int t = 0; t < luma.length; t++) {
      means[t] = mean(luma[t]);
    }
    return meanAbsStep(means);
  }

  /** Detail flicker {@code D}; NaN for one frame or frames smaller than 3x3. */
  public static double detailFlicker(Clip clip) {
    int h = clip.height();
    int w = clip.width();
    if (h < 3 || w < 3) {
      return Double.NaN;
    }
    double[][] luma = luma(clip);
    double[] energy = new double[luma.length];
    for (int t = 0; t < luma.length; t++) {
      energy[t] = highPassEnergy(luma[t], h, w);
    }
    return meanAbsStep(energy);
  }

  /** {@code E} of one luma frame: mean over interior pixels of |L - box3(L)|. */
  static double highPassEnergy(double[] l, int h, int w) {
    double s = 0;
    for (int y = 1; y < h - 1; y++) {
      for (int x = 1; x < w - 1; x++) {
        double box = 0;
        for (int dy = -1; dy <= 1; dy++) {
          for (int dx = -1; dx <= 1; dx++) {
            box += l[(y + dy) * w + x + dx];
          }
        }
        s += Math.abs(l[y * w + x] - box / 9);
      }
    }
    return s / ((double) (h - 2) * (w - 2));
  }

  /** Per frame the BT.601 luma of every pixel, row-major. */
  static double[][] luma(Clip clip) {
    float[] v = pixels(clip);
    int t = clip.frameCount();
    int n = clip.height() * clip.width();
    double[][] out = new double[t][n];
    for (int i = 0; i < t; i++) {
      int base = i * n * 3;
      for (int p = 0; p < n; p++) {
        int o = base + 3 * p;
        out[i][p] = 0.299 * v[o] + 0.587 * v[o + 1] + 0.114 * v[o + 2];
      }
    }
    return out;
  }

  static void checkThreshold(double tau) {
    if (!Double.isFinite(tau) || tau <= 0) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "the frozen-frame threshold must be finite and"
          + " > 0 (a mean absolute change on [0, 1] pixels), got %s; the default is 1/255.", tau));
    }
  }

  private static float[] pixels(Clip clip) {
    return clip.frames().dup('c').data().asFloat();
  }

  private static double meanAbsStep(double[] series) {
    if (series.length < 2) {
      return Double.NaN;
    }
    double s = 0;
    for (int i = 0; i + 1 < series.length; i++) {
      s += Math.abs(series[i + 1] - series[i]);
    }
    return s / (series.length - 1);
  }

  private static double mean(double[] x) {
    if (x.length == 0) {
      return Double.NaN;
    }
    double s = 0;
    for (double v : x) {
      s += v;
    }
    return s / x.length;
  }
}
