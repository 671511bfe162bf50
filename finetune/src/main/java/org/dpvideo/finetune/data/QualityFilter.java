package org.dpvideo.finetune.data;

import java.util.Locale;

/**
 * Keeps the clips fit for fine-tuning (VideoPoet fine-tunes on a high-quality subset). The thresholds are
 * fixed in advance, as constants of the recipe, and never computed from the data (a quantile of private
 * data would itself be a statistic of it that no mechanism accounts).
 *
 * <p>Note that the number of clips that pass, and so the number of privacy units N, depends on the
 * private data; dpvideo treats N as public (see {@code docs/privacy-model.md}).
 *
 * @param minSourceSide the shorter side of the source must be at least this many pixels
 * @param minDistinctFrames the clip must show at least this many different source frames
 * @param minMotion the mean absolute frame difference must be at least this (per pixel and channel, in [0, 1])
 */
public record QualityFilter(int minSourceSide, int minDistinctFrames, double minMotion) {
  public QualityFilter {
    if (minSourceSide < 1 || minDistinctFrames < 1 || !(minMotion >= 0) || minMotion > 1) {
      throw new IllegalArgumentException("quality thresholds need minSourceSide >= 1, minDistinctFrames >= 1 and"
          + " minMotion in [0, 1], got " + minSourceSide + ", " + minDistinctFrames + ", " + minMotion);
    }
  }

  /**
   * The sticker recipe: sources of at least 128 pixels, at least 5 distinct frames among the clip's 9, and
   * a mean frame difference of at least 0.002 (about half a grey level): drops stills and near-frozen
   * animations.
   */
  public static final QualityFilter STICKERS = new QualityFilter(128, 5, 0.002);

  /** Keeps everything (for image data and tests). */
  public static final QualityFilter NONE = new QualityFilter(1, 1, 0);

  /** Whether a clip passes. */
  public boolean accepts(ClipQuality q) {
    return q.minSide() >= minSourceSide && q.distinctFrames() >= minDistinctFrames && q.motion() >= minMotion;
  }

  /** The thresholds in words. */
  public String describe() {
    return String.format(Locale.ROOT, "source side >= %d px, >= %d distinct frames, motion >= %.4f", minSourceSide,
        minDistinctFrames, minMotion);
  }
}
