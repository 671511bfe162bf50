package org.dpvideo.finetune.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.dpvideo.fairness.group.GroupAssignment;
import org.dpvideo.fairness.group.GroupKey;
import org.dpvideo.fairness.metrics.GroupMetricsOptions;
import org.dpvideo.fairness.metrics.Metric;
import org.dpvideo.tokenizer.TokenGrid;
import org.dpvideo.tokenizer.video.Clip;

/**
 * Measures decoding collapse of generated videos against real held-out videos (VideoPoet, sec. 4.2:
 * fine-tuning "addresses decoding collapse issues, characterized by repetitive token predictions").
 * Every statistic is computed the same way on both sets, overall and per group:
 *
 * <table>
 *   <caption>statistics</caption>
 *   <tr><th>name</th><th>kind</th><th>definition</th></tr>
 *   <tr><td>{@code seq_rep_<n>}</td><td>per video, mean</td><td>{@link TokenStatistics#seqRep}</td></tr>
 *   <tr><td>{@code distinct_<n>}</td><td>per set</td><td>{@link TokenStatistics#distinct}</td></tr>
 *   <tr><td>{@code token_entropy_bits}</td><td>per video, mean</td><td>{@link TokenStatistics#entropyBits}</td></tr>
 *   <tr><td>{@code code_usage}</td><td>per set</td><td>{@link TokenStatistics#codeUsage}</td></tr>
 *   <tr><td>{@code longest_run}</td><td>per video, mean</td><td>{@link TokenStatistics#longestRun}</td></tr>
 *   <tr><td>{@code previous_frame_copy_share}</td><td>per video, mean</td>
 *       <td>{@link TokenStatistics#previousFrameCopyShare}</td></tr>
 *   <tr><td>{@code frozen_frame_ratio}</td><td>per video, mean (needs decoded clips)</td>
 *       <td>{@link TemporalMetrics#frozenFrameRatio}</td></tr>
 * </table>
 *
 * <p>Set-level statistics depend on the set's size (more videos repeat more n-grams and use more
 * codes), so the baseline of a set-level statistic is size-matched: for a group with {@code m} generated
 * videos and more than {@code m} real ones, it is the mean over {@link CollapseOptions#baselineSubsets()}
 * random subsets of {@code m} real videos of that group (seeded, without replacement); overall, subsets
 * of the total generated count. Compare each group with its own baseline; differences of set-level
 * statistics between groups of different sizes are confounded by size.
 *
 * <p>Stateless and thread-safe.
 */
public final class CollapseEvaluation {
  /** Label of the baseline column in reports. */
  public static final String BASELINE_LABEL = "real held-out clips";

  private CollapseEvaluation() {}

  /**
   * Computes every statistic on {@code generated} and {@code real}.
   *
   * @param generated the samples' grids (codes), optionally their decoded clips, groups and provenance
   * @param real the baseline: real held-out clips' grids from the same tokenizer (and their decoded
   *     clips for the frozen-frame ratio), with groups over the same levels
   * @param codebookSize the video tokenizer's vocabulary size (for code usage)
   * @param options statistic settings
   * @param frameOptions group frame settings of the generated set (minimum group size, bootstrap,
   *     reference group); its provenance must be the generated set's
   * @throws IllegalArgumentException on mismatched provenance or a grid with codes beyond the codebook
   */
  public static CollapseReport evaluate(VideoSet generated, VideoSet real, int codebookSize, CollapseOptions options,
      GroupMetricsOptions frameOptions) {
    Objects.requireNonNull(generated, "generated");
    Objects.requireNonNull(real, "real");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(frameOptions, "frameOptions");
    if (frameOptions.provenance() != generated.provenance()) {
      throw new IllegalArgumentException("the frame options say the figures are " + frameOptions.provenance()
          + " but the generated set is " + generated.provenance() + "; use GroupMetricsOptions.of("
          + generated.provenance() + ").");
    }
    checkCodes(generated, codebookSize, "generated");
    checkCodes(real, codebookSize, "real");
    PerVideo g = PerVideo.of(generated, options);
    PerVideo r = PerVideo.of(real, options);
    List<ComparedMetrics.Spec> specs = new ArrayList<>();
    String seqRep = "seq_rep_" + options.seqRepOrder();
    specs.add(perVideo(seqRep, "share of repeated " + options.seqRepOrder() + "-grams within a sample's token"
        + " sequence (1 - unique/total; Welleck et al. 2020); higher = more repetition; compare with real clips",
        g.seqRep, r.seqRep));
    List<int[]> gs = generated.sequences();
    List<int[]> rs = real.sequences();
    SizeMatching match = new SizeMatching(generated.groups(), real.groups(), options);
    for (int n : options.distinctOrders()) {
      specs.add(setLevel("distinct_" + n, "distinct " + n + "-grams over all n-grams of the set's samples (Li et al."
          + " 2016); lower = samples repeat each other; baseline size-matched",
          rows -> TokenStatistics.distinct(select(gs, rows), n),
          rows -> match.average(rows, sub -> TokenStatistics.distinct(select(rs, sub), n))));
    }
    specs.add(perVideo("token_entropy_bits", "Shannon entropy (bits) of a sample's token histogram; lower = fewer"
        + " codes repeated more", g.entropy, r.entropy));
    specs.add(setLevel("code_usage", "share of the " + codebookSize + " codes used anywhere in the set; baseline"
        + " size-matched", rows -> TokenStatistics.codeUsage(select(gs, rows), codebookSize),
        rows -> match.average(rows, sub -> TokenStatistics.codeUsage(select(rs, sub), codebookSize))));
    specs.add(perVideo("longest_run", "longest run of one repeated token in a sample's sequence (tokens, of "
        + generated.grids().get(0).size() + "); higher = more repetition", g.longestRun, r.longestRun));
    specs.add(perVideo("previous_frame_copy_share", "share of tokens equal to the token at the same (h, w) of the"
        + " previous latent frame; higher = more static or copied frames", g.copyShare, r.copyShare));
    if (generated.clips() != null) {
      specs.add(new ComparedMetrics.Spec("frozen_frame_ratio", "share of decoded frame transitions whose mean"
          + " absolute change is below " + String.format(java.util.Locale.ROOT, "%.5f", options.frozenThreshold())
          + " (frozen frames); higher = more frozen video", null, false,
          Metric.mean("frozen_frame_ratio", g.frozen), real.clips() == null ? null
              : Metric.mean("frozen_frame_ratio", r.frozen)));
    }
    ComparedMetrics.Result res = ComparedMetrics.build(specs, generated.groups(), frameOptions,
        generated.description(), real.groups(), real.provenance(), BASELINE_LABEL + " (" + real.description() + ")");
    return new CollapseReport(res.tables(), res.overall(), res.measured(), res.baseline());
  }

  private static ComparedMetrics.Spec perVideo(String name, String description, double[] generated, double[] real) {
    return new ComparedMetrics.Spec(name, description, null, false, Metric.mean(name, generated),
        Metric.mean(name, real));
  }

  private static ComparedMetrics.Spec setLevel(String name, String description, ToDoubleFunction<int[]> generated,
      ToDoubleFunction<int[]> real) {
    return new ComparedMetrics.Spec(name, description, null, true, Metric.of(name, -1, rows -> rows.length == 0
        ? Double.NaN : generated.applyAsDouble(rows)), Metric.of(name, -1, rows -> rows.length == 0 ? Double.NaN
        : real.applyAsDouble(rows)));
  }

  static List<int[]> select(List<int[]> all, int[] rows) {
    List<int[]> out = new ArrayList<>(rows.length);
    for (int r : rows) {
      out.add(all.get(r));
    }
    return out;
  }

  private static void checkCodes(VideoSet set, int codebookSize, String which) {
    if (codebookSize < 1) {
      throw new IllegalArgumentException("codebookSize must be >= 1, got " + codebookSize + ".");
    }
    for (int i = 0; i < set.size(); i++) {
      TokenGrid grid = set.grids().get(i);
      if (grid.maxIdExclusive() > codebookSize) {
        throw new IllegalArgumentException("the " + which + " set's grid " + i + " holds code "
            + (grid.maxIdExclusive() - 1) + ", beyond the codebook of " + codebookSize + "; pass video codes (grid"
            + " ids), not shared-vocabulary ids.");
      }
    }
  }

  /** Per-video statistics of a set. */
  private record PerVideo(double[] seqRep, double[] entropy, double[] longestRun, double[] copyShare,
      double[] frozen) {
    static PerVideo of(VideoSet set, CollapseOptions o) {
      int n = set.size();
      double[] seqRep = new double[n];
      double[] entropy = new double[n];
      double[] run = new double[n];
      double[] copy = new double[n];
      double[] frozen = new double[n];
      for (int i = 0; i < n; i++) {
        TokenGrid grid = set.grids().get(i);
        int[] ids = grid.ids();
        seqRep[i] = TokenStatistics.seqRep(ids, o.seqRepOrder());
        entropy[i] = TokenStatistics.entropyBits(ids);
        run[i] = TokenStatistics.longestRun(ids);
        copy[i] = TokenStatistics.previousFrameCopyShare(grid);
        if (set.clips() != null) {
          Clip c = set.clips().get(i);
          frozen[i] = TemporalMetrics.frozenFrameRatio(c, o.frozenThreshold());
        }
      }
      return new PerVideo(seqRep, entropy, run, copy, frozen);
    }
  }

  /**
   * Size matching of set-level baseline statistics: the real rows of one group (or of all groups) are
   * subsampled to the generated count of that group (or the generated total).
   */
  static final class SizeMatching {
    private final GroupAssignment generated;
    private final GroupAssignment real;
    private final CollapseOptions options;

    SizeMatching(GroupAssignment generated, GroupAssignment real, CollapseOptions options) {
      this.generated = generated;
      this.real = real;
      this.options = options;
    }

    /** The statistic on {@code rows} of the real set, averaged over subsets of the matched size. */
    double average(int[] rows, ToDoubleFunction<int[]> statistic) {
      int target = targetSize(rows);
      if (rows.length <= target) {
        return statistic.applyAsDouble(rows);
      }
      long seed = options.subsetSeed() * 0x9E3779B97F4A7C15L + rows.length * 31L + target;
      if (singleGroup(rows) >= 0) {
        seed += real.levels().get(singleGroup(rows)).hashCode();
      }
      SplittableRandom rng = new SplittableRandom(seed);
      double sum = 0;
      int finite = 0;
      for (int s = 0; s < options.baselineSubsets(); s++) {
        int[] pick = rows.clone();
        for (int i = 0; i < target; i++) { // partial Fisher-Yates
          int j = i + rng.nextInt(pick.length - i);
          int tmp = pick[i];
          pick[i] = pick[j];
          pick[j] = tmp;
        }
        double v = statistic.applyAsDouble(java.util.Arrays.copyOf(pick, target));
        if (Double.isFinite(v)) {
          sum += v;
          finite++;
        }
      }
      return finite == 0 ? Double.NaN : sum / finite;
    }

    private int targetSize(int[] rows) {
      int g = singleGroup(rows);
      if (g < 0) {
        return generated.size();
      }
      GroupKey key = real.levels().get(g);
      if (!generated.contains(key)) {
        return rows.length;
      }
      int count = generated.counts()[generated.indexOf(key)];
      // A group with no generated sample has no set to match; keep the real set as it is.
      return count == 0 ? rows.length : count;
    }

    /**
     * The group index when the rows are one group's members, or -1 for the whole set (every row, as the
     * overall figure is computed) or rows of several groups.
     */
    private int singleGroup(int[] rows) {
      if (rows.length == 0 || rows.length == real.size()) {
        return -1;
      }
      int g = real.code(rows[0]);
      for (int r : rows) {
        if (real.code(r) != g) {
          return -1;
        }
      }
      return g;
    }
  }
}
