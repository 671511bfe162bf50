package org.dpvideo.finetune.data;

/**
 * Statistics of one sampled clip, for the quality filter. All of them are properties of the clip alone
 * (no statistic of the whole dataset), so filtering with fixed thresholds is a per-example rule.
 *
 * @param sourceWidth width of the source footage in pixels
 * @param sourceHeight height of the source footage in pixels
 * @param distinctFrames how many different source frames the clip shows (1 for a still image)
 * @param motion mean absolute difference of consecutive clip frames, per pixel and channel, in [0, 1]
 */
public record ClipQuality(int sourceWidth, int sourceHeight, int distinctFrames, double motion) {
  public ClipQuality {
    if (sourceWidth < 1 || sourceHeight < 1 || distinctFrames < 1 || !(motion >= 0)) {
      throw new IllegalArgumentException("invalid clip statistics: " + sourceWidth + "x" + sourceHeight + ", "
          + distinctFrames + " distinct frames, motion " + motion);
    }
  }

  /** The shorter side of the source in pixels. */
  public int minSide() {
    return Math.min(sourceWidth, sourceHeight);
  }
}
