package org.dpvideo.tokenizer.video;

import java.nio.file.Path;

/**
 * A stream of decoded frames in presentation order. Open one with {@link VideoReader#open}; close it
 * (it may hold native decoder memory). Not thread-safe.
 */
public interface FrameSource extends AutoCloseable {

  /** The file or folder being read. */
  Path path();

  /** The recognised format. */
  VideoFormat format();

  /**
   * The next frame, or {@code null} after the last one.
   *
   * @throws VideoDecodeException when the file turns out to be undecodable part-way
   */
  VideoFrame next();

  /** Releases decoder resources; never throws. */
  @Override
  void close();
}
