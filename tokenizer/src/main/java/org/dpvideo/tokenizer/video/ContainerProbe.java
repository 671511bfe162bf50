package org.dpvideo.tokenizer.video;

import java.nio.file.Path;

/**
 * Cheap checks of a file without decoding it: recognised format and no visible truncation (declared
 * container sizes against the file length). Used to validate manifests quickly.
 */
public final class ContainerProbe {
  private ContainerProbe() {}

  /**
   * Returns the format of {@code path} after the cheap checks.
   *
   * @throws VideoDecodeException naming the file and the problem
   */
  public static VideoFormat check(Path path) {
    VideoFormat f = VideoFormat.detect(path);
    if (f != VideoFormat.FRAME_FOLDER) {
      ContainerCheck.check(path, f);
    }
    return f;
  }
}
