package org.dpvideo.finetune.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;
import org.dpvideo.fairness.Provenance;
import org.dpvideo.fairness.group.GroupAssignment;
import org.dpvideo.fairness.metrics.GroupMetricsOptions;
import org.dpvideo.fairness.metrics.Metric;

/**
 * Quality metrics per group, as report tables:
 *
 * <ul>
 *   <li>{@link #likelihood}: held-out per-token NLL (nats), perplexity {@code exp(NLL)} and next-token
 *       accuracy, token-weighted: a group's NLL is the sum of its sequences' NLL over the sum of their
 *       scored tokens (not a mean of per-sequence means);
 *   <li>{@link #clips}: motion magnitude, brightness and detail flicker of decoded samples (next to the
 *       same statistics of real held-out clips when given) and PSNR/SSIM against references where they
 *       exist.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class QualityEvaluation {
  /** Name of the per-token NLL metric. */
  public static final String NLL = "nll_per_token";
  /** Name of the perplexity metric. */
  public static final String PERPLEXITY = "perplexity";
  /** Name of the next-token accuracy metric. */
  public static final String ACCURACY = "next_token_accuracy";
  /** Name of the motion-magnitude metric. */
  public static final String MOTION = "motion_magnitude";
  /** Name of the brightness-flicker metric. */
  public static final String BRIGHTNESS_FLICKER = "brightness_flicker";
  /** Name of the detail-flicker metric. */
  public static final String DETAIL_FLICKER = "detail_flicker";
  /** Name of the PSNR metric. */
  public static final String PSNR = "psnr_db";
  /** Name of the SSIM metric. */
  public static final String SSIM = "ssim";

  private QualityEvaluation() {}

  /**
   * Held-out likelihood tables (NLL per token, perplexity, next-token accuracy) per group.
   *
   * @param scores one score per held-out sequence
   * @param groups the group of each sequence
   * @param options frame settings (provenance of the held-out data, minimum group size, bootstrap)
   * @param dataset what the sequences are, e.g. "held-out private-style clips, sticker animation"
   */
  public static QualityReport likelihood(List<SequenceScore> scores, GroupAssignment groups,
      GroupMetricsOptions options, String dataset) {
    Objects.requireNonNull(scores, "scores");
    if (scores.size() != groups.size()) {
      throw new IllegalArgumentException("one group per scored sequence is needed, got " + groups.size()
          + " groups for " + scores.size() + " sequences.");
    }
    List<SequenceScore> s = List.copyOf(scores);
    List<ComparedMetrics.Spec> specs = List.of(
        spec(NLL, "mean negative log-likelihood per output token (nats), token-weighted; lower is better", false,
            s, rows -> total(s, rows).nllPerToken()),
        spec(PERPLEXITY, "exp(NLL per token); lower is better; 1 is perfect, the vocabulary size is a uniform guess",
            false, s, rows -> total(s, rows).perplexity()),
        spec(ACCURACY, "share of output tokens that were the model's arg max prediction; higher is better", true, s,
            rows -> total(s, rows).accuracy()));
    ComparedMetrics.Result r = ComparedMetrics.build(specs, groups, options, dataset, null, null, null);
    return new QualityReport(r.tables(), r.overall(), r.measured());
  }

  /**
   * Pixel quality tables per group: motion magnitude, brightness flicker, detail flicker (with the real
   * clips' values as baseline when {@code real} is given), and PSNR/SSIM when any sample has a reference.
   *
   * @param samples one {@link PixelQuality} per decoded sample
   * @param groups the group of each sample
   * @param options frame settings of the samples
   * @param dataset what the samples are
   * @param real the same statistics of real held-out clips decoded through the tokenizer, or null
   * @param realGroups their groups (null when {@code real} is null)
   * @param realProvenance what the real clips are (null when {@code real} is null)
   * @param realLabel what the baseline is, e.g. "real held-out clips (80 clips)"
   */
  public static QualityReport clips(List<PixelQuality> samples, GroupAssignment groups, GroupMetricsOptions options,
      String dataset, List<PixelQuality> real, GroupAssignment realGroups, Provenance realProvenance, String realLabel) {
    if (samples.size() != groups.size()) {
      throw new IllegalArgumentException("one group per sample is needed, got " + groups.size() + " groups for "
          + samples.size() + " samples.");
    }
    if (real != null && (realGroups == null || realProvenance == null || realGroups.size() != real.size())) {
      throw new IllegalArgumentException("a real-clip baseline needs one group per real clip and its provenance.");
    }
    List<PixelQuality> q = List.copyOf(samples);
    List<PixelQuality> b = real == null ? null : List.copyOf(real);
    List<ComparedMetrics.Spec> specs = new ArrayList<>();
    specs.add(pixel(MOTION, "mean absolute frame-to-frame change of pixels in [0, 1]; 0 = still; compare with real"
        + " clips", q, b, PixelQuality::motionMagnitude));
    specs.add(pixel(BRIGHTNESS_FLICKER, "mean absolute change of mean luma (BT.601) between consecutive frames;"
        + " higher = more brightness flicker; compare with real clips", q, b, PixelQuality::brightnessFlicker));
    specs.add(pixel(DETAIL_FLICKER, "mean absolute change of high-pass luma energy between consecutive frames;"
        + " higher = more texture flicker; compare with real clips", q, b, PixelQuality::detailFlicker));
    if (q.stream().anyMatch(c -> Double.isFinite(c.psnrDb()))) {
      specs.add(new ComparedMetrics.Spec(PSNR, "PSNR (dB) of the decoded sample against its reference clip; higher"
          + " is better", true, false, Metric.mean(PSNR, values(q, PixelQuality::psnrDb)), null));
      specs.add(new ComparedMetrics.Spec(SSIM, "SSIM (Wang et al. 2004, 7x7 window) against the reference clip;"
          + " higher is better", true, false, Metric.mean(SSIM, values(q, PixelQuality::ssim)), null));
    }
    ComparedMetrics.Result r = ComparedMetrics.build(specs, groups, options, dataset, real == null ? null : realGroups,
        realProvenance, realLabel);
    List<org.dpvideo.fairness.metrics.GroupMetrics> frames = new ArrayList<>(r.measured());
    frames.addAll(r.baseline());
    return new QualityReport(r.tables(), r.overall(), frames);
  }

  private static ComparedMetrics.Spec spec(String name, String description, boolean higherIsBetter,
      List<SequenceScore> s, ToDoubleFunction<int[]> fn) {
    return new ComparedMetrics.Spec(name, description, higherIsBetter, false,
        Metric.of(name, s.size(), rows -> rows.length == 0 ? Double.NaN : fn.applyAsDouble(rows)), null);
  }

  private static ComparedMetrics.Spec pixel(String name, String description, List<PixelQuality> q,
      List<PixelQuality> b, ToDoubleFunction<PixelQuality> f) {
    return new ComparedMetrics.Spec(name, description, null, false, Metric.mean(name, values(q, f)),
        b == null ? null : Metric.mean(name, values(b, f)));
  }

  private static double[] values(List<PixelQuality> q, ToDoubleFunction<PixelQuality> f) {
    double[] v = new double[q.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = f.applyAsDouble(q.get(i));
    }
    return v;
  }

  private static SequenceScore total(List<SequenceScore> s, int[] rows) {
    List<SequenceScore> picked = new ArrayList<>(rows.length);
    for (int r : rows) {
      picked.add(s.get(r));
    }
    return SequenceScore.total(picked);
  }
}
