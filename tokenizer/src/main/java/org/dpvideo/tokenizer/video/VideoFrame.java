package org.dpvideo.tokenizer.video;

/**
 * One decoded frame: non-premultiplied ARGB pixels (row-major, {@code width * height} ints) and when it
 * is shown: from {@code startMicros} for {@code durationMicros}.
 *
 * @param width frame width in pixels
 * @param height frame height in pixels
 * @param argb pixels, {@code 0xAARRGGBB}, alpha not premultiplied; not copied
 * @param startMicros presentation time in microseconds from the start of the video
 * @param durationMicros how long it is shown, microseconds, {@code >= 0}
 */
public record VideoFrame(int width, int height, int[] argb, long startMicros, long durationMicros) {
  /** Validates sizes. */
  public VideoFrame {
    if (width < 1 || height < 1 || argb == null || argb.length != width * height) {
      throw new IllegalArgumentException("VideoFrame needs width*height pixels, got " + width + "x" + height
          + " with " + (argb == null ? "no" : Integer.toString(argb.length)) + " pixels.");
    }
    if (startMicros < 0 || durationMicros < 0) {
      throw new IllegalArgumentException("VideoFrame times must be >= 0, got start " + startMicros
          + " us, duration " + durationMicros + " us.");
    }
  }

  /** True when some pixel is not fully opaque. */
  public boolean hasTransparency() {
    for (int p : argb) {
      if ((p >>> 24) != 0xFF) {
        return true;
      }
    }
    return false;
  }
}
