package org.dpvideo.tokenizer.dataset;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;

/**
 * Extracts regular files from a gzip-compressed POSIX (ustar) tar archive, as npm writes them. Only
 * entries the caller maps to a target are written; every target must stay inside the destination folder.
 */
final class TarGz {
  private TarGz() {}

  /**
   * Extracts {@code archive}; {@code target} maps an entry name to a path relative to {@code dest}, or
   * {@code null} to skip it. Returns the number of files written.
   */
  static int extract(Path archive, Path dest, Function<String, String> target) throws IOException {
    int written = 0;
    Path root = dest.toAbsolutePath().normalize();
    try (InputStream in = new BufferedInputStream(new GZIPInputStream(Files.newInputStream(archive), 1 << 16))) {
      byte[] header = new byte[512];
      String longName = null;
      while (true) {
        if (in.readNBytes(header, 0, 512) < 512) {
          throw new IOException("archive " + archive + " is truncated (incomplete tar header).");
        }
        if (isZero(header)) {
          break;
        }
        String name = cString(header, 0, 100);
        String prefix = cString(header, 345, 155);
        if (!prefix.isEmpty()) {
          name = prefix + "/" + name;
        }
        if (longName != null) {
          name = longName;
          longName = null;
        }
        long size = Long.parseLong(cString(header, 124, 12).trim().isEmpty() ? "0" : cString(header, 124, 12).trim(), 8);
        char type = (char) header[156];
        long padded = (size + 511) / 512 * 512;
        if (type == 'L') {
          longName = new String(in.readNBytes((int) size), StandardCharsets.UTF_8).replace("\0", "");
          in.skipNBytes(padded - size);
          continue;
        }
        String rel = (type == '0' || type == 0) ? target.apply(name) : null;
        if (rel == null) {
          in.skipNBytes(padded);
          continue;
        }
        Path out = root.resolve(rel).normalize();
        if (!out.startsWith(root)) {
          throw new IOException("archive entry " + name + " would be written outside " + root + ".");
        }
        Files.createDirectories(out.getParent());
        Path tmp = Files.createTempFile(out.getParent(), ".extract", ".part");
        try {
          Files.copy(new BoundedStream(in, size), tmp, StandardCopyOption.REPLACE_EXISTING);
          Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
          Files.deleteIfExists(tmp);
        }
        in.skipNBytes(padded - size);
        written++;
      }
    }
    return written;
  }

  private static boolean isZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private static String cString(byte[] b, int off, int len) {
    int end = off;
    while (end < off + len && b[end] != 0) {
      end++;
    }
    return new String(b, off, end - off, StandardCharsets.UTF_8);
  }

  /** Reads at most {@code remaining} bytes of the underlying stream without closing it. */
  private static final class BoundedStream extends InputStream {
    private final InputStream in;
    private long remaining;

    BoundedStream(InputStream in, long size) {
      this.in = in;
      this.remaining = size;
    }

    @Override
    public int read() throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int c = in.read();
      if (c < 0) {
        throw new IOException("archive truncated inside an entry.");
      }
      remaining--;
      return c;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int n = in.read(buf, off, (int) Math.min(len, remaining));
      if (n < 0) {
        throw new IOException("archive truncated inside an entry.");
      }
      remaining -= n;
      return n;
    }

    @Override
    public void close() {
      // the tar stream stays open
    }
  }
}
