package org.dpvideo.tokenizer.video;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The RIFF structure of a WebP file (Google's "WebP Container Specification"): a still image ({@code VP8 }
 * or {@code VP8L}, optionally in a {@code VP8X} extended container with {@code ALPH}) or an animation
 * ({@code VP8X} with the animation flag, {@code ANIM} with loop count and background colour, and one
 * {@code ANMF} chunk per frame giving its offset, size, duration, blending and disposal).
 *
 * <p>Each frame's bitstream is re-wrapped as a standalone WebP file so a still-image decoder can read it.
 * Parsing checks every declared size against the data and reports problems with the file's name.
 */
final class WebpContainer {

  /** One animation frame (or the single still image) as stored. */
  record FrameChunk(int x, int y, int width, int height, int durationMillis, boolean blend,
      boolean disposeToBackground, byte[] standaloneWebp) {}

  final int canvasWidth;
  final int canvasHeight;
  final boolean animated;
  final int loopCount;
  final int backgroundBgra;
  final List<FrameChunk> frames;

  private WebpContainer(int w, int h, boolean animated, int loops, int bg, List<FrameChunk> frames) {
    this.canvasWidth = w;
    this.canvasHeight = h;
    this.animated = animated;
    this.loopCount = loops;
    this.backgroundBgra = bg;
    this.frames = frames;
  }

  /** Parses {@code data}, the whole file; throws {@link VideoDecodeException} naming {@code path}. */
  static WebpContainer parse(Path path, byte[] data) {
    if (data.length < 20 || !VideoFormat.ascii(data, 0, 4).equals("RIFF")
        || !VideoFormat.ascii(data, 8, 4).equals("WEBP")) {
      throw new VideoDecodeException(path, "is not a RIFF WebP file.");
    }
    long riffEnd = Math.min(data.length, u32(data, 4) + 8L);
    List<Chunk> chunks = chunks(path, data, 12, (int) riffEnd, "file");
    if (chunks.isEmpty()) {
      throw new VideoDecodeException(path, "is a WebP file without any chunk (zero frames).");
    }
    Chunk first = chunks.get(0);
    switch (first.fourcc) {
      case "VP8 ", "VP8L" -> {
        int[] wh = stillSize(path, first, data);
        return new WebpContainer(wh[0], wh[1], false, 0, 0,
            List.of(new FrameChunk(0, 0, wh[0], wh[1], 0, false, false, wrap(List.of(first), data, wh))));
      }
      case "VP8X" -> {
        return parseExtended(path, data, chunks);
      }
      default -> throw new VideoDecodeException(path, "starts with an unknown WebP chunk '"
          + first.fourcc + "'; expected VP8, VP8L or VP8X.");
    }
  }

  private static WebpContainer parseExtended(Path path, byte[] data, List<Chunk> chunks) {
    Chunk vp8x = chunks.get(0);
    if (vp8x.length < 10) {
      throw new VideoDecodeException(path, "has a VP8X chunk of " + vp8x.length + " bytes; expected 10.");
    }
    int flags = data[vp8x.offset] & 0xFF;
    boolean animated = (flags & 0x02) != 0;
    int cw = 1 + u24(data, vp8x.offset + 4);
    int ch = 1 + u24(data, vp8x.offset + 7);
    if (!animated) {
      List<Chunk> image = new ArrayList<>();
      for (Chunk c : chunks) {
        if (c.fourcc.equals("ALPH") || c.fourcc.equals("VP8 ") || c.fourcc.equals("VP8L")) {
          image.add(c);
        }
      }
      if (image.stream().noneMatch(c -> !c.fourcc.equals("ALPH"))) {
        throw new VideoDecodeException(path, "is an extended WebP without image data (zero frames).");
      }
      return new WebpContainer(cw, ch, false, 0, 0,
          List.of(new FrameChunk(0, 0, cw, ch, 0, false, false, wrap(image, data, new int[] {cw, ch}))));
    }
    int loops = 0;
    int bg = 0;
    List<FrameChunk> frames = new ArrayList<>();
    for (Chunk c : chunks) {
      if (c.fourcc.equals("ANIM")) {
        if (c.length < 6) {
          throw new VideoDecodeException(path, "has an ANIM chunk of " + c.length + " bytes; expected 6.");
        }
        bg = (int) u32(data, c.offset);
        loops = u16(data, c.offset + 4);
      } else if (c.fourcc.equals("ANMF")) {
        frames.add(frame(path, data, c, frames.size(), cw, ch));
      }
    }
    if (frames.isEmpty()) {
      throw new VideoDecodeException(path, "is an animated WebP with zero frames (no ANMF chunk).");
    }
    return new WebpContainer(cw, ch, true, loops, bg, frames);
  }

  private static FrameChunk frame(Path path, byte[] data, Chunk c, int index, int cw, int ch) {
    if (c.length < 16) {
      throw new VideoDecodeException(path, "frame " + index + ": ANMF chunk of " + c.length
          + " bytes is shorter than its 16-byte header.");
    }
    int o = c.offset;
    int x = 2 * u24(data, o);
    int y = 2 * u24(data, o + 3);
    int w = 1 + u24(data, o + 6);
    int h = 1 + u24(data, o + 9);
    int duration = u24(data, o + 12);
    int f = data[o + 15] & 0xFF;
    if (x + w > cw || y + h > ch) {
      throw new VideoDecodeException(path, "frame " + index + " (" + w + "x" + h + " at " + x + "," + y
          + ") does not fit the " + cw + "x" + ch + " canvas.");
    }
    List<Chunk> sub = chunks(path, data, o + 16, o + c.length, "frame " + index);
    List<Chunk> image = new ArrayList<>();
    for (Chunk s : sub) {
      if (s.fourcc.equals("ALPH") || s.fourcc.equals("VP8 ") || s.fourcc.equals("VP8L")) {
        image.add(s);
      }
    }
    if (image.stream().noneMatch(s -> !s.fourcc.equals("ALPH"))) {
      throw new VideoDecodeException(path, "frame " + index + " has no VP8/VP8L image data.");
    }
    boolean blend = (f & 0x02) == 0;
    boolean dispose = (f & 0x01) != 0;
    return new FrameChunk(x, y, w, h, duration, blend, dispose, wrap(image, data, new int[] {w, h}));
  }

  /** A standalone WebP file holding {@code image} chunks (VP8X header when there is an ALPH chunk). */
  private static byte[] wrap(List<Chunk> image, byte[] data, int[] wh) {
    boolean alpha = image.stream().anyMatch(c -> c.fourcc.equals("ALPH"));
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes("WEBP".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    if (alpha) {
      byte[] x = new byte[10];
      x[0] = 0x10; // alpha flag
      put24(x, 4, wh[0] - 1);
      put24(x, 7, wh[1] - 1);
      writeChunk(body, "VP8X", x, 0, 10);
    }
    for (Chunk c : image) {
      writeChunk(body, c.fourcc, data, c.offset, c.length);
    }
    byte[] b = body.toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + 8);
    out.writeBytes("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    byte[] size = new byte[4];
    put32(size, 0, b.length);
    out.writeBytes(size);
    out.writeBytes(b);
    return out.toByteArray();
  }

  private static void writeChunk(ByteArrayOutputStream out, String fourcc, byte[] src, int off, int len) {
    out.writeBytes(fourcc.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    byte[] size = new byte[4];
    put32(size, 0, len);
    out.writeBytes(size);
    out.write(src, off, len);
    if ((len & 1) == 1) {
      out.write(0);
    }
  }

  private static int[] stillSize(Path path, Chunk c, byte[] data) {
    int o = c.offset;
    if (c.fourcc.equals("VP8L")) {
      if (c.length < 5 || (data[o] & 0xFF) != 0x2F) {
        throw new VideoDecodeException(path, "has a VP8L chunk without its signature byte 0x2F.");
      }
      long bits = u32(data, o + 1);
      return new int[] {(int) (bits & 0x3FFF) + 1, (int) ((bits >> 14) & 0x3FFF) + 1};
    }
    if (c.length < 10 || (data[o + 3] & 0xFF) != 0x9D || (data[o + 4] & 0xFF) != 0x01
        || (data[o + 5] & 0xFF) != 0x2A) {
      throw new VideoDecodeException(path, "has a VP8 chunk without the key-frame start code 9D 01 2A.");
    }
    return new int[] {u16(data, o + 6) & 0x3FFF, u16(data, o + 8) & 0x3FFF};
  }

  private record Chunk(String fourcc, int offset, int length) {}

  private static List<Chunk> chunks(Path path, byte[] data, int from, int to, String where) {
    List<Chunk> out = new ArrayList<>();
    int pos = from;
    while (pos + 8 <= to) {
      String fourcc = VideoFormat.ascii(data, pos, 4);
      long len = u32(data, pos + 4);
      if (pos + 8 + len > to) {
        throw new VideoDecodeException(path, "is truncated: " + where + " chunk '" + fourcc.trim()
            + "' at offset " + pos + " declares " + len + " bytes but only " + (to - pos - 8) + " remain.");
      }
      out.add(new Chunk(fourcc, pos + 8, (int) len));
      pos += 8 + (int) len + (int) (len & 1);
    }
    return out;
  }

  static long u32(byte[] b, int o) {
    return (b[o] & 0xFFL) | (b[o + 1] & 0xFFL) << 8 | (b[o + 2] & 0xFFL) << 16 | (b[o + 3] & 0xFFL) << 24;
  }

  static int u24(byte[] b, int o) {
    return (b[o] & 0xFF) | (b[o + 1] & 0xFF) << 8 | (b[o + 2] & 0xFF) << 16;
  }

  static int u16(byte[] b, int o) {
    return (b[o] & 0xFF) | (b[o + 1] & 0xFF) << 8;
  }

  private static void put24(byte[] b, int o, int v) {
    b[o] = (byte) v;
    b[o + 1] = (byte) (v >> 8);
    b[o + 2] = (byte) (v >> 16);
  }

  private static void put32(byte[] b, int o, int v) {
    put24(b, o, v);
    b[o + 3] = (byte) (v >> 24);
  }
}
