package org.dpvideo.tokenizer.video;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/**
 * Frames decoded by FFmpeg 5.0 through JavaCV's {@link FFmpegFrameGrabber}, converted to RGBA by
 * swscale (so GIF transparency survives). Durations come from presentation timestamps: a frame lasts
 * until the next one starts; the last lasts one nominal frame period.
 *
 * <p>Only called after {@link ContainerCheck} accepted the file. Every FFmpeg failure is rethrown as a
 * {@link VideoDecodeException} naming the file.
 */
final class FfmpegFrameSource implements FrameSource {
  static {
    // FFmpeg prints stream dumps and warnings to stderr; errors surface as exceptions instead.
    avutil.av_log_set_level(avutil.AV_LOG_QUIET);
  }

  private final Path path;
  private final VideoFormat format;
  private final FFmpegFrameGrabber grabber;
  private final long nominalPeriodMicros;
  private final long lengthMicros;
  private PendingFrame pending;
  private boolean exhausted;
  private int emitted;

  private record PendingFrame(int width, int height, int[] argb, long ts) {}

  FfmpegFrameSource(Path path, VideoFormat format) {
    this.path = path;
    this.format = format;
    FFmpegFrameGrabber g = new FFmpegFrameGrabber(path.toFile());
    g.setPixelFormat(avutil.AV_PIX_FMT_RGBA);
    try {
      g.start();
    } catch (Throwable e) {
      closeQuietly(g);
      throw new VideoDecodeException(path, "FFmpeg cannot open it as " + format + ": " + e.getMessage(), e);
    }
    if (!g.hasVideo() || g.getImageWidth() <= 0 || g.getImageHeight() <= 0) {
      closeQuietly(g);
      throw new VideoDecodeException(path, "contains no video stream (zero frames).");
    }
    double rate = g.getFrameRate();
    this.nominalPeriodMicros = rate > 0 && Double.isFinite(rate) ? Math.round(1e6 / rate) : 40_000L;
    this.lengthMicros = g.getLengthInTime();
    this.grabber = g;
  }

  @Override
  public Path path() {
    return path;
  }

  @Override
  public VideoFormat format() {
    return format;
  }

  @Override
  public VideoFrame next() {
    if (pending == null && !exhausted) {
      pending = grab();
    }
    if (pending == null) {
      if (emitted == 0) {
        throw new VideoDecodeException(path, "has a video stream but FFmpeg decoded zero frames from it.");
      }
      return null;
    }
    PendingFrame current = pending;
    pending = exhausted ? null : grab();
    long duration;
    if (pending != null) {
      duration = Math.max(0, pending.ts - current.ts);
    } else {
      long rest = lengthMicros - current.ts;
      duration = rest > 0 && rest < 4 * nominalPeriodMicros ? rest : nominalPeriodMicros;
    }
    emitted++;
    return new VideoFrame(current.width, current.height, current.argb, Math.max(0, current.ts), duration);
  }

  private PendingFrame grab() {
    Frame f;
    try {
      f = grabber.grabImage();
    } catch (Throwable e) {
      throw new VideoDecodeException(path, "FFmpeg failed at frame " + emitted + ": " + e.getMessage(), e);
    }
    if (f == null || f.image == null) {
      exhausted = true;
      return null;
    }
    int w = f.imageWidth;
    int h = f.imageHeight;
    if (f.imageChannels != 4 || !(f.image[0] instanceof ByteBuffer buf)) {
      throw new VideoDecodeException(path, "FFmpeg returned an unexpected pixel layout ("
          + f.imageChannels + " channels); expected RGBA.");
    }
    int stride = f.imageStride;
    int[] argb = new int[w * h];
    byte[] row = new byte[w * 4];
    for (int y = 0; y < h; y++) {
      buf.position(y * stride);
      buf.get(row, 0, w * 4);
      int o = y * w;
      for (int x = 0; x < w; x++) {
        int r = row[4 * x] & 0xFF;
        int g = row[4 * x + 1] & 0xFF;
        int b = row[4 * x + 2] & 0xFF;
        int a = row[4 * x + 3] & 0xFF;
        argb[o + x] = (a << 24) | (r << 16) | (g << 8) | b;
      }
    }
    buf.position(0);
    long ts = f.timestamp;
    if (pendingTsFloor >= 0 && ts <= pendingTsFloor) {
      ts = pendingTsFloor + nominalPeriodMicros; // missing or repeated timestamps: keep time moving
    }
    pendingTsFloor = ts;
    return new PendingFrame(w, h, argb, ts);
  }

  private long pendingTsFloor = -1;

  @Override
  public void close() {
    closeQuietly(grabber);
  }

  private static void closeQuietly(FFmpegFrameGrabber g) {
    try {
      g.close();
    } catch (Throwable ignored) {
      // closing a failed grabber must not hide the original error
    }
  }
}
