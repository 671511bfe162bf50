package org.dpvideo.tokenizer.video;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The containers dpvideo reads, recognised from their first bytes (never from the file name alone).
 */
public enum VideoFormat {
  /** ISO base media (mp4, mov, m4v): {@code ftyp} box at offset 4. Decoded by FFmpeg. */
  MP4,
  /** RIFF AVI. Decoded by FFmpeg. */
  AVI,
  /** Matroska / WebM (EBML header). Decoded by FFmpeg. */
  MATROSKA,
  /** GIF87a / GIF89a, animated or not. Decoded by FFmpeg. */
  GIF,
  /** RIFF WebP, animated or still. Parsed and composited here, frames decoded by TwelveMonkeys. */
  WEBP,
  /** A PNG image (one frame). */
  PNG,
  /** A JPEG image (one frame). */
  JPEG,
  /** A folder of PNG/JPEG frames, played in file-name order. */
  FRAME_FOLDER;

  /** True for formats handed to FFmpeg. */
  public boolean usesFfmpeg() {
    return this == MP4 || this == AVI || this == MATROSKA || this == GIF;
  }

  /**
   * Recognises the format of {@code path} from its first bytes.
   *
   * @throws VideoDecodeException when the file is missing, empty, unreadable or of an unknown format
   */
  public static VideoFormat detect(Path path) {
    if (Files.isDirectory(path)) {
      return FRAME_FOLDER;
    }
    if (!Files.exists(path)) {
      throw new VideoDecodeException(path, "the file does not exist; check the path (relative paths in a"
          + " manifest are resolved against the manifest's folder).");
    }
    if (!Files.isReadable(path)) {
      throw new VideoDecodeException(path, "the file is not readable; check its permissions.");
    }
    byte[] head = new byte[16];
    int n;
    try (InputStream in = Files.newInputStream(path)) {
      n = in.readNBytes(head, 0, head.length);
    } catch (IOException e) {
      throw new VideoDecodeException(path, "reading failed: " + e.getMessage(), e);
    }
    if (n == 0) {
      throw new VideoDecodeException(path, "the file is empty (0 bytes).");
    }
    if (n >= 12 && ascii(head, 0, 4).equals("RIFF") && ascii(head, 8, 4).equals("WEBP")) {
      return WEBP;
    }
    if (n >= 12 && ascii(head, 0, 4).equals("RIFF") && ascii(head, 8, 4).equals("AVI ")) {
      return AVI;
    }
    if (n >= 8 && ascii(head, 4, 4).equals("ftyp")) {
      return MP4;
    }
    if (n >= 4 && (head[0] & 0xFF) == 0x1A && (head[1] & 0xFF) == 0x45 && (head[2] & 0xFF) == 0xDF
        && (head[3] & 0xFF) == 0xA3) {
      return MATROSKA;
    }
    if (n >= 6 && (ascii(head, 0, 6).equals("GIF87a") || ascii(head, 0, 6).equals("GIF89a"))) {
      return GIF;
    }
    if (n >= 8 && (head[0] & 0xFF) == 0x89 && ascii(head, 1, 3).equals("PNG")) {
      return PNG;
    }
    if (n >= 3 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xD8 && (head[2] & 0xFF) == 0xFF) {
      return JPEG;
    }
    throw new VideoDecodeException(path, "not a recognised video or image file (first bytes "
        + HexFormat.ofDelimiter(" ").formatHex(head, 0, Math.min(n, 12)).toUpperCase(Locale.ROOT)
        + "); dpvideo reads mp4/mov, avi, webm/mkv, gif, webp, png, jpeg and folders of png/jpeg frames.");
  }

  static String ascii(byte[] b, int off, int len) {
    StringBuilder s = new StringBuilder(len);
    for (int i = off; i < off + len && i < b.length; i++) {
      s.append((char) (b[i] & 0xFF));
    }
    return s.toString();
  }
}
