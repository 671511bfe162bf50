package org.dpvideo.tokenizer.video;

import java.nio.file.Path;

/**
 * Opens any supported video, image or frame folder as a {@link FrameSource}, after validating it: the
 * format is recognised from the first bytes, declared sizes are checked against the file length, and
 * frames smaller than {@link #MIN_SIDE} pixels are refused (nothing useful can be cut from them).
 *
 * <p>Thread-safe (stateless); each returned source is single-threaded.
 */
public final class VideoReader {
  /** Smallest accepted frame side in pixels. */
  public static final int MIN_SIDE = 8;

  /** Frame rate assumed for a folder of frames when the caller gives none. */
  public static final double DEFAULT_FOLDER_FPS = 8.0;

  private VideoReader() {}

  /**
   * Opens {@code path}; frames of a folder play at {@code folderFps}.
   *
   * @throws VideoDecodeException naming the file and the problem when it cannot be read
   */
  public static FrameSource open(Path path, double folderFps) {
    VideoFormat format = VideoFormat.detect(path);
    if (format != VideoFormat.FRAME_FOLDER) {
      ContainerCheck.check(path, format);
    }
    FrameSource source;
    try {
      source = switch (format) {
        case MP4, AVI, MATROSKA, GIF -> new FfmpegFrameSource(path, format);
        case WEBP -> new WebpFrameSource(path);
        case PNG, JPEG, FRAME_FOLDER -> new ImageFrameSource(path, format, folderFps);
      };
    } catch (VideoDecodeException e) {
      throw e;
    } catch (RuntimeException | LinkageError e) {
      throw new VideoDecodeException(path, "the decoder failed to open it: " + e, e);
    }
    return new CheckedSource(source);
  }

  /** {@link #open(Path, double)} with {@link #DEFAULT_FOLDER_FPS}. */
  public static FrameSource open(Path path) {
    return open(path, DEFAULT_FOLDER_FPS);
  }

  /**
   * Decodes every frame of {@code path} (without keeping them) and reports frame count, size and
   * durations.
   *
   * @throws VideoDecodeException when the file cannot be decoded or has zero frames
   */
  public static VideoInfo probe(Path path) {
    try (FrameSource s = open(path)) {
      long[] durations = new long[16];
      int n = 0;
      int w = 0;
      int h = 0;
      boolean alpha = false;
      VideoFrame f;
      while ((f = s.next()) != null) {
        if (n == durations.length) {
          durations = java.util.Arrays.copyOf(durations, n * 2);
        }
        durations[n++] = f.durationMicros();
        w = Math.max(w, f.width());
        h = Math.max(h, f.height());
        alpha |= f.hasTransparency();
      }
      if (n == 0) {
        throw new VideoDecodeException(path, "contains zero frames.");
      }
      return new VideoInfo(path, s.format(), w, h, java.util.Arrays.copyOf(durations, n), alpha);
    }
  }

  /** Wraps a source: checks frame sizes and turns unexpected decoder failures into clear errors. */
  private static final class CheckedSource implements FrameSource {
    private final FrameSource inner;
    private int count;

    CheckedSource(FrameSource inner) {
      this.inner = inner;
    }

    @Override
    public Path path() {
      return inner.path();
    }

    @Override
    public VideoFormat format() {
      return inner.format();
    }

    @Override
    public VideoFrame next() {
      VideoFrame f;
      try {
        f = inner.next();
      } catch (VideoDecodeException e) {
        throw e;
      } catch (RuntimeException | LinkageError | AssertionError e) {
        throw new VideoDecodeException(inner.path(), "decoding failed at frame " + count + ": " + e, e);
      }
      if (f == null) {
        if (count == 0) {
          throw new VideoDecodeException(inner.path(), "contains zero frames.");
        }
        return null;
      }
      if (f.width() < MIN_SIDE || f.height() < MIN_SIDE) {
        throw new VideoDecodeException(inner.path(), "frames are " + f.width() + "x" + f.height()
            + " pixels; dpvideo needs at least " + MIN_SIDE + "x" + MIN_SIDE + " to make a clip.");
      }
      count++;
      return f;
    }

    @Override
    public void close() {
      inner.close();
    }
  }
}
