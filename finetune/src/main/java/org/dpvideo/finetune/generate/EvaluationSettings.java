package org.dpvideo.finetune.generate;

import java.util.Objects;
import org.dpvideo.fairness.Provenance;
import org.dpvideo.finetune.metrics.CollapseOptions;
import org.dpvideo.finetune.sample.SamplingConfig;
import org.dpvideo.finetune.task.TaskLayout;

/**
 * How {@link ModelEvaluation} samples and measures. Validated here; {@code withX} for variants.
 *
 * @param layout the task and its token grid; every held-out clip's grid must be the layout's
 * @param sampling temperature, top-k, top-p and guidance scale (sampling is always restricted to the
 *     video codes)
 * @param samplesPerGroup samples drawn per group, &gt;= 1; sample {@code i} of a group is prompted by the
 *     group's held-out clip {@code i mod n}
 * @param seed seed of the samples' random streams (sample {@code k} draws from stream {@code k}), so an
 *     evaluation is reproducible
 * @param provenance what the held-out clips are ({@code EVAL_PUBLIC} for a releasable evaluation split,
 *     {@code TRAIN_UNPROTECTED} for private clips); the samples inherit it because their prompts come from
 *     those clips
 * @param minGroupSize groups with fewer samples (or held-out clips) are suppressed (NaN) in the per-group
 *     figures, &gt;= 1
 * @param kvCache decode with the KV cache (true) or recompute every position (false; the same samples,
 *     much slower)
 * @param batchSize sequences decoded together, &gt;= 1 (speed only)
 * @param fps frame rate of the decoded clips and GIFs, &gt; 0
 * @param gifScale integer upscaling of GIF frames and the contact sheet, in [1, 16]
 * @param collapse settings of the decoding-collapse statistics
 * @param name the sub-directory of the run directory the samples are written to, a plain name (e.g.
 *     {@code samples} or {@code samples-base})
 */
public record EvaluationSettings(TaskLayout layout, SamplingConfig sampling, int samplesPerGroup, long seed,
    Provenance provenance, int minGroupSize, boolean kvCache, int batchSize, double fps, int gifScale,
    CollapseOptions collapse, String name) {

  /** Validates. */
  public EvaluationSettings {
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(sampling, "sampling");
    Objects.requireNonNull(provenance, "provenance: say what data the held-out clips are");
    Objects.requireNonNull(collapse, "collapse");
    Objects.requireNonNull(name, "name");
    if (samplesPerGroup < 1) {
      throw new IllegalArgumentException("samplesPerGroup must be >= 1, got " + samplesPerGroup + ".");
    }
    if (minGroupSize < 1) {
      throw new IllegalArgumentException("minGroupSize must be >= 1, got " + minGroupSize + ".");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize + ".");
    }
    if (!(fps > 0) || Double.isInfinite(fps)) {
      throw new IllegalArgumentException("fps must be finite and > 0, got " + fps + ".");
    }
    if (gifScale < 1 || gifScale > 16) {
      throw new IllegalArgumentException("gifScale must be in [1, 16], got " + gifScale + ".");
    }
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*") || name.contains("..")) {
      throw new IllegalArgumentException("the sample directory name '" + name + "' must be a plain name of letters,"
          + " digits, '.', '_' or '-' (e.g. samples-base).");
    }
  }

  /**
   * Defaults: temperature 1 without top-k/top-p or guidance, 8 samples per group, seed 1, groups of any
   * size reported, the KV cache, batches of 8, 8 fps, GIFs scaled 4x, {@link CollapseOptions#DEFAULT},
   * directory {@code samples}.
   */
  public static EvaluationSettings of(TaskLayout layout, Provenance provenance) {
    return new EvaluationSettings(layout, SamplingConfig.DEFAULT, 8, 1, provenance, 1, true, 8, 8.0, 4,
        CollapseOptions.DEFAULT, "samples");
  }

  /** The same with other sampler settings. */
  public EvaluationSettings withSampling(SamplingConfig s) {
    return new EvaluationSettings(layout, s, samplesPerGroup, seed, provenance, minGroupSize, kvCache, batchSize, fps,
        gifScale, collapse, name);
  }

  /** The same with another number of samples per group. */
  public EvaluationSettings withSamplesPerGroup(int n) {
    return new EvaluationSettings(layout, sampling, n, seed, provenance, minGroupSize, kvCache, batchSize, fps,
        gifScale, collapse, name);
  }

  /** The same with another seed. */
  public EvaluationSettings withSeed(long s) {
    return new EvaluationSettings(layout, sampling, samplesPerGroup, s, provenance, minGroupSize, kvCache, batchSize,
        fps, gifScale, collapse, name);
  }

  /** The same with another minimum group size. */
  public EvaluationSettings withMinGroupSize(int n) {
    return new EvaluationSettings(layout, sampling, samplesPerGroup, seed, provenance, n, kvCache, batchSize, fps,
        gifScale, collapse, name);
  }

  /** The same with or without the KV cache. */
  public EvaluationSettings withKvCache(boolean on) {
    return new EvaluationSettings(layout, sampling, samplesPerGroup, seed, provenance, minGroupSize, on, batchSize, fps,
        gifScale, collapse, name);
  }

  /** The same with another decoding batch size. */
  public EvaluationSettings withBatchSize(int n) {
    return new EvaluationSettings(layout, sampling, samplesPerGroup, seed, provenance, minGroupSize, kvCache, n, fps,
        gifScale, collapse, name);
  }

  /** The same with another frame rate and GIF scale. */
  public EvaluationSettings withVideo(double newFps, int scale) {
    return new EvaluationSettings(layout, sampling, samplesPerGroup, seed, provenance, minGroupSize, kvCache, batchSize,
        newFps, scale, collapse, name);
  }

  /** The same with other collapse settings. */
  public EvaluationSettings withCollapse(CollapseOptions options) {
    return new EvaluationSettings(layout, sampling, samplesPerGroup, seed, provenance, minGroupSize, kvCache, batchSize,
        fps, gifScale, options, name);
  }

  /** The same writing into another sub-directory. */
  public EvaluationSettings withName(String dir) {
    return new EvaluationSettings(layout, sampling, samplesPerGroup, seed, provenance, minGroupSize, kvCache, batchSize,
        fps, gifScale, collapse, dir);
  }
}
