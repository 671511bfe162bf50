package org.dpvideo.finetune.generate;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.dpvideo.fairness.Provenance;
import org.dpvideo.fairness.report.GroupTable;
import org.dpvideo.fairness.report.ReportJson;
import org.dpvideo.fairness.report.SampleSet;
import org.dpvideo.finetune.metrics.CollapseReport;
import org.dpvideo.finetune.metrics.MetricComparison;
import org.dpvideo.finetune.metrics.QualityReport;

/**
 * What {@link ModelEvaluation} measured and wrote. The plain fields serialize to JSON ({@link #toJson()},
 * snake_case keys, NaN as null); the report objects behind them ({@link #likelihood()}, {@link #pixels()},
 * {@link #collapse()}, {@link #sampleSets()}) are for the run report and are left out of the JSON.
 *
 * <p>Metric names: {@code nll_per_token}, {@code perplexity}, {@code next_token_accuracy} (held-out
 * likelihood, no baseline); {@code motion_magnitude}, {@code brightness_flicker}, {@code detail_flicker}
 * (baseline: the real held-out clips), {@code psnr_db}, {@code ssim} (against the prompt's own held-out
 * clip, for tasks that have one); {@code seq_rep_4}, {@code distinct_1}, {@code distinct_4},
 * {@code token_entropy_bits}, {@code code_usage}, {@code longest_run}, {@code previous_frame_copy_share},
 * {@code frozen_frame_ratio} (baseline: the real held-out clips). Definitions: {@code docs/metrics.md}.
 *
 * @param task the task layout's label, e.g. {@code image_to_video@5x8x8}
 * @param sampling the sampler settings, e.g. {@code T=1 top-k=64 cfg=3}
 * @param decoder {@code kv_cache} or {@code recompute}
 * @param seed the samples' seed
 * @param provenance what the held-out clips (and so the figures) are
 * @param privacy what the evaluation costs in privacy: sampling and scoring read only the model's
 *     parameters (post-processing, no cost for a DP model), while the figures and samples rest on the
 *     held-out clips and carry their provenance
 * @param heldOutClips real held-out clips (the likelihood set and the baseline)
 * @param samples generated samples in all groups
 * @param overall every metric over all samples (or held-out clips), with its real-clip baseline (NaN
 *     where there is none)
 * @param groups per group label (e.g. {@code skin_tone=dark}), every metric in that group with the group's
 *     own baseline; NaN where the group is below the minimum size
 * @param sampleFiles per group label, its samples' GIFs, relative to the run directory
 * @param contactSheet the contact sheet of all samples next to their prompts' held-out clips, relative to
 *     the run directory
 * @param likelihood the held-out likelihood tables
 * @param pixels the motion, flicker and PSNR/SSIM tables
 * @param collapse the decoding-collapse tables
 * @param sampleSets the samples per group for {@code RunReport.Builder.samples}
 */
public record EvaluationResult(String task, String sampling, String decoder, long seed, Provenance provenance,
    String privacy, int heldOutClips, int samples, List<MetricComparison> overall, Map<String, List<MetricComparison>> groups,
    Map<String, List<String>> sampleFiles, String contactSheet,
    @JsonIgnore QualityReport likelihood, @JsonIgnore QualityReport pixels, @JsonIgnore CollapseReport collapse,
    @JsonIgnore List<SampleSet> sampleSets) {

  /** Copies. */
  public EvaluationResult {
    overall = List.copyOf(overall);
    groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
    sampleFiles = Collections.unmodifiableMap(new LinkedHashMap<>(sampleFiles));
    sampleSets = List.copyOf(sampleSets);
    Objects.requireNonNull(likelihood, "likelihood");
    Objects.requireNonNull(pixels, "pixels");
    Objects.requireNonNull(collapse, "collapse");
  }

  /** The overall figure of {@code metric}. */
  public MetricComparison overall(String metric) {
    return overall.stream().filter(c -> c.metric().equals(metric)).findFirst().orElseThrow(
        () -> new IllegalArgumentException("no metric '" + metric + "'; the metrics are "
            + overall.stream().map(MetricComparison::metric).toList()));
  }

  /** Group {@code groupLabel}'s figure of {@code metric}. */
  public MetricComparison group(String groupLabel, String metric) {
    List<MetricComparison> g = groups.get(groupLabel);
    if (g == null) {
      throw new IllegalArgumentException("no group '" + groupLabel + "'; the groups are " + groups.keySet());
    }
    return g.stream().filter(c -> c.metric().equals(metric)).findFirst().orElseThrow(
        () -> new IllegalArgumentException("no metric '" + metric + "' in group " + groupLabel));
  }

  /** Every quality table (likelihood, then pixels), for {@code RunReport.Builder.quality}. */
  @JsonIgnore
  public List<GroupTable> qualityTables() {
    List<GroupTable> t = new ArrayList<>(likelihood.tables());
    t.addAll(pixels.tables());
    return t;
  }

  /** The JSON form (the plain fields). */
  public String toJson() {
    try {
      return ReportJson.mapper().writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the evaluation of " + task + " as JSON: " + e.getOriginalMessage(),
          e);
    }
  }
}
