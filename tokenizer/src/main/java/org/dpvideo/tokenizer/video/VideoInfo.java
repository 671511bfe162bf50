package org.dpvideo.tokenizer.video;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * What a full decode of a file found: format, frame size, frame count and every frame's duration.
 *
 * @param path the file
 * @param format its recognised format
 * @param width frame (canvas) width in pixels
 * @param height frame (canvas) height in pixels
 * @param frameDurationsMicros how long each frame is shown, microseconds (0 for a still image)
 * @param hasTransparency whether some frame has a pixel that is not fully opaque
 */
public record VideoInfo(Path path, VideoFormat format, int width, int height, long[] frameDurationsMicros,
    boolean hasTransparency) {

  /** Number of frames. */
  public int frameCount() {
    return frameDurationsMicros.length;
  }

  /** Sum of the frame durations in microseconds. */
  public long durationMicros() {
    return Arrays.stream(frameDurationsMicros).sum();
  }

  /** Mean frame rate (frames / duration), or 0 for a still image. */
  public double meanFps() {
    long d = durationMicros();
    return d == 0 ? 0 : frameCount() * 1e6 / d;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VideoInfo v && v.path.equals(path) && v.format == format && v.width == width
        && v.height == height && Arrays.equals(v.frameDurationsMicros, frameDurationsMicros)
        && v.hasTransparency == hasTransparency;
  }

  @Override
  public int hashCode() {
    return path.hashCode() * 31 + Arrays.hashCode(frameDurationsMicros);
  }

  @Override
  public String toString() {
    return "VideoInfo[" + path + ", " + format + ", " + width + "x" + height + ", " + frameCount()
        + " frames, " + durationMicros() / 1000 + " ms]";
  }
}
