package org.dpvideo.tokenizer.video;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Animated (or still) WebP: each frame's VP8/VP8L(+ALPH) bitstream is decoded by TwelveMonkeys'
 * pure-Java WebP reader, then composited on the canvas as the WebP container specification says and as
 * libwebp's {@code WebPAnimDecoder} does: the canvas starts fully transparent (the ANIM background
 * colour is only a hint and is ignored, as libwebp does); a frame with blending alpha-blends onto the
 * canvas ("source over", non-premultiplied), one without overwrites its rectangle; a frame marked
 * "dispose to background" clears its rectangle to transparent after it was shown.
 */
final class WebpFrameSource implements FrameSource {
  private final Path path;
  private final WebpContainer container;
  private final int[] canvas;
  private int index;
  private long timeMicros;
  private WebpContainer.FrameChunk previous;

  WebpFrameSource(Path path) {
    this.path = path;
    byte[] data;
    try {
      data = Files.readAllBytes(path);
    } catch (IOException e) {
      throw new VideoDecodeException(path, "reading failed: " + e.getMessage(), e);
    }
    this.container = WebpContainer.parse(path, data);
    this.canvas = new int[container.canvasWidth * container.canvasHeight];
  }

  @Override
  public Path path() {
    return path;
  }

  @Override
  public VideoFormat format() {
    return VideoFormat.WEBP;
  }

  /** Number of frames in the file. */
  int frameCount() {
    return container.frames.size();
  }

  /** The loop count from the ANIM chunk (0 = forever); 0 for stills. */
  int loopCount() {
    return container.loopCount;
  }

  @Override
  public VideoFrame next() {
    if (index >= container.frames.size()) {
      return null;
    }
    WebpContainer.FrameChunk f = container.frames.get(index);
    int cw = container.canvasWidth;
    paint(canvas, cw, previous, f, decode(f, index));
    previous = f;
    index++;
    long duration = container.animated ? f.durationMillis() * 1000L : 0L;
    VideoFrame out = new VideoFrame(cw, container.canvasHeight, canvas.clone(), timeMicros, duration);
    timeMicros += duration;
    return out;
  }

  /**
   * One compositing step on {@code canvas} (row-major, {@code canvasWidth} wide): first disposes the
   * previous frame's rectangle to transparent if it asked for it, then draws {@code src} (the decoded
   * {@code frame}) with alpha blending or by overwriting.
   */
  static void paint(int[] canvas, int canvasWidth, WebpContainer.FrameChunk previous,
      WebpContainer.FrameChunk frame, int[] src) {
    int cw = canvasWidth;
    if (previous != null && previous.disposeToBackground()) {
      for (int y = previous.y(); y < previous.y() + previous.height(); y++) {
        java.util.Arrays.fill(canvas, y * cw + previous.x(), y * cw + previous.x() + previous.width(), 0);
      }
    }
    for (int y = 0; y < frame.height(); y++) {
      int co = (frame.y() + y) * cw + frame.x();
      int so = y * frame.width();
      if (!frame.blend()) {
        System.arraycopy(src, so, canvas, co, frame.width());
      } else {
        for (int x = 0; x < frame.width(); x++) {
          canvas[co + x] = blend(src[so + x], canvas[co + x]);
        }
      }
    }
  }

  /** Non-premultiplied "source over" of {@code src} onto {@code dst}, both ARGB. */
  static int blend(int src, int dst) {
    int sa = src >>> 24;
    if (sa == 255) {
      return src;
    }
    if (sa == 0) {
      return dst;
    }
    int da = dst >>> 24;
    // dst weight = da * (1 - sa); all in 1/255 units, rounded.
    double s = sa / 255.0;
    double d = da / 255.0 * (1 - s);
    double a = s + d;
    int r = (int) Math.round((((src >> 16) & 0xFF) * s + ((dst >> 16) & 0xFF) * d) / a);
    int g = (int) Math.round((((src >> 8) & 0xFF) * s + ((dst >> 8) & 0xFF) * d) / a);
    int b = (int) Math.round(((src & 0xFF) * s + (dst & 0xFF) * d) / a);
    int oa = (int) Math.round(a * 255);
    return oa << 24 | r << 16 | g << 8 | b;
  }

  private int[] decode(WebpContainer.FrameChunk f, int i) {
    BufferedImage img;
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(f.standaloneWebp()))) {
      Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("webp");
      if (!readers.hasNext()) {
        throw new VideoDecodeException(path, "no WebP decoder is on the classpath (TwelveMonkeys"
            + " imageio-webp is a dependency of dpvideo-tokenizer; the build is broken).");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in);
        img = reader.read(0);
      } finally {
        reader.dispose();
      }
    } catch (VideoDecodeException e) {
      throw e;
    } catch (Exception | LinkageError | AssertionError e) {
      // AssertionError and runtime exceptions: the pure-Java decoder on a corrupted bitstream.
      throw new VideoDecodeException(path, "frame " + i + " of " + container.frames.size()
          + " has a corrupted VP8/VP8L bitstream: " + e, e);
    }
    if (img.getWidth() != f.width() || img.getHeight() != f.height()) {
      throw new VideoDecodeException(path, "frame " + i + " decodes to " + img.getWidth() + "x"
          + img.getHeight() + " but its header says " + f.width() + "x" + f.height() + ".");
    }
    return img.getRGB(0, 0, f.width(), f.height(), null, 0, f.width());
  }

  @Override
  public void close() {
    // nothing native
  }
}
