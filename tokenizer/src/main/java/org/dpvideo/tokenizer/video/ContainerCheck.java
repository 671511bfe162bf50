package org.dpvideo.tokenizer.video;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

/**
 * Structural checks run before a file reaches a native decoder: declared sizes against the file length
 * (truncation) and mandatory trailers. They do not prove a file decodes, but they turn the common
 * failures (a partial download, a cut copy) into a clear message instead of a decoder's guess.
 */
final class ContainerCheck {
  private ContainerCheck() {}

  /** Throws {@link VideoDecodeException} when {@code path} of {@code format} is visibly truncated. */
  static void check(Path path, VideoFormat format) {
    try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "r")) {
      long len = f.length();
      switch (format) {
        case MP4 -> checkIsoBoxes(path, f, len);
        case AVI, WEBP -> checkRiff(path, f, len);
        case GIF -> checkLastByte(path, f, len, 0x3B, "GIF trailer byte 0x3B");
        case JPEG -> checkJpegEnd(path, f, len);
        case PNG -> checkPngEnd(path, f, len);
        default -> { }
      }
    } catch (IOException e) {
      throw new VideoDecodeException(path, "reading failed: " + e.getMessage(), e);
    }
  }

  private static void checkIsoBoxes(Path path, RandomAccessFile f, long len) throws IOException {
    long pos = 0;
    boolean sawMoov = false;
    while (pos < len) {
      if (len - pos < 8) {
        throw new VideoDecodeException(path, "is truncated: " + (len - pos) + " stray bytes at offset " + pos
            + " where an 8-byte box header should start.");
      }
      f.seek(pos);
      long size = f.readInt() & 0xFFFFFFFFL;
      byte[] type = new byte[4];
      f.readFully(type);
      String name = VideoFormat.ascii(type, 0, 4);
      long header = 8;
      if (size == 1) {
        if (len - pos < 16) {
          throw new VideoDecodeException(path, "is truncated inside the header of box '" + name + "'.");
        }
        size = f.readLong();
        header = 16;
      } else if (size == 0) {
        size = len - pos;
      }
      if (size < header) {
        throw new VideoDecodeException(path, "is corrupted: box '" + name + "' at offset " + pos
            + " declares an impossible size " + size + ".");
      }
      if (pos + size > len) {
        throw new VideoDecodeException(path, "is truncated: box '" + name + "' at offset " + pos
            + " declares " + size + " bytes but the file ends after " + (len - pos)
            + "; download or copy the file again.");
      }
      if (name.equals("moov")) {
        sawMoov = true;
      }
      pos += size;
    }
    if (!sawMoov) {
      throw new VideoDecodeException(path, "has no 'moov' box (the index of the video); the file is"
          + " truncated or was not finalised by its writer.");
    }
  }

  private static void checkRiff(Path path, RandomAccessFile f, long len) throws IOException {
    if (len < 12) {
      throw new VideoDecodeException(path, "is truncated: " + len + " bytes, shorter than a RIFF header.");
    }
    f.seek(4);
    long declared = Integer.toUnsignedLong(Integer.reverseBytes(f.readInt())) + 8;
    if (declared > len) {
      throw new VideoDecodeException(path, "is truncated: the RIFF header declares " + declared
          + " bytes but the file has " + len + "; download or copy the file again.");
    }
  }

  private static void checkLastByte(Path path, RandomAccessFile f, long len, int expected, String what)
      throws IOException {
    f.seek(len - 1);
    if (f.read() != expected) {
      throw new VideoDecodeException(path, "is truncated: it does not end with the " + what + ".");
    }
  }

  private static void checkJpegEnd(Path path, RandomAccessFile f, long len) throws IOException {
    if (len < 4) {
      throw new VideoDecodeException(path, "is truncated: " + len + " bytes.");
    }
    // Some writers pad after EOI; look for FFD9 in the last 64 bytes.
    int tail = (int) Math.min(64, len);
    byte[] b = new byte[tail];
    f.seek(len - tail);
    f.readFully(b);
    for (int i = tail - 2; i >= 0; i--) {
      if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == 0xD9) {
        return;
      }
    }
    throw new VideoDecodeException(path, "is truncated: no JPEG end-of-image marker (FF D9) at its end.");
  }

  private static void checkPngEnd(Path path, RandomAccessFile f, long len) throws IOException {
    if (len < 20) {
      throw new VideoDecodeException(path, "is truncated: " + len + " bytes.");
    }
    byte[] b = new byte[8];
    f.seek(len - 8);
    f.readFully(b);
    if (!VideoFormat.ascii(b, 0, 4).equals("IEND")) {
      throw new VideoDecodeException(path, "is truncated: no PNG IEND chunk at its end.");
    }
  }
}
