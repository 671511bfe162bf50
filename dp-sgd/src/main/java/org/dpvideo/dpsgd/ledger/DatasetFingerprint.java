package org.dpvideo.dpsgd.ledger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The content hash that identifies a dataset in the ledger: SHA-256 over the manifest's bytes and over
 * every file the manifest references. The caller supplies the file list (this package knows nothing about
 * the manifest format); the fingerprint does not depend on the order of that list or on where the dataset
 * directory lies, only on the bytes and on the paths relative to the manifest's directory.
 *
 * <p>Hash input (UTF-8, each line ended by {@code \n}):
 * <pre>
 * dpvideo-dataset-fingerprint-v1
 * manifest &lt;sha256 hex of the manifest bytes&gt;
 * file &lt;path relative to the manifest's directory, '/'-separated&gt;\t&lt;size in bytes&gt;\t&lt;sha256 hex&gt;
 * ...
 * </pre>
 * with the {@code file} lines sorted by the UTF-8 bytes of their paths and duplicates removed. Anyone can
 * recompute it with {@code sha256sum}.
 *
 * @param id the dataset id (the SHA-256 of the text above)
 * @param manifestSha256 the SHA-256 of the manifest's bytes
 * @param fileCount the number of distinct referenced files
 * @param totalBytes the total size of the referenced files
 */
public record DatasetFingerprint(DatasetId id, String manifestSha256, int fileCount, long totalBytes) {
  /** The first line of the hash input; changes only with a new fingerprint definition. */
  public static final String FORMAT = "dpvideo-dataset-fingerprint-v1";

  public DatasetFingerprint {
    Objects.requireNonNull(id, "id");
    if (manifestSha256 == null || !manifestSha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("manifestSha256 must be 64 lower-case hex digits, got " + manifestSha256);
    }
    if (fileCount < 0 || totalBytes < 0) {
      throw new IllegalArgumentException("fileCount and totalBytes must be >= 0, got " + fileCount + ", " + totalBytes);
    }
  }

  /**
   * Hashes a manifest and the files it references. Reads every file once; thread-safe.
   *
   * @param manifest the manifest file
   * @param files the files the manifest references (absolute, or relative to the working directory);
   *     order and duplicates do not matter
   * @throws IllegalArgumentException listing every missing or unreadable file, or a path that contains a
   *     tab or line break
   */
  public static DatasetFingerprint compute(Path manifest, Collection<Path> files) {
    Objects.requireNonNull(manifest, "manifest");
    Objects.requireNonNull(files, "files");
    Path manifestAbs = manifest.toAbsolutePath().normalize();
    Path base = manifestAbs.getParent();
    List<String> problems = new ArrayList<>();
    String manifestHash = null;
    try {
      manifestHash = sha256(manifestAbs);
    } catch (IOException e) {
      problems.add("manifest " + manifestAbs + ": " + describe(e));
    }
    // relative path -> absolute path, sorted by the UTF-8 bytes of the relative path
    TreeMap<String, Path> byRelative = new TreeMap<>((a, b) -> Arrays.compareUnsigned(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
    int index = 0;
    for (Path f : files) {
      if (f == null) {
        problems.add("files[" + index + "] is null");
      } else {
        Path abs = f.toAbsolutePath().normalize();
        String rel = base.relativize(abs).toString().replace(java.io.File.separatorChar, '/');
        if (rel.indexOf('\t') >= 0 || rel.indexOf('\n') >= 0 || rel.indexOf('\r') >= 0) {
          problems.add("file " + abs + ": its path contains a tab or line break; rename it");
        } else {
          byRelative.putIfAbsent(rel, abs);
        }
      }
      index++;
    }
    StringBuilder text = new StringBuilder(FORMAT).append('\n');
    text.append("manifest ").append(manifestHash).append('\n');
    long total = 0;
    for (var e : byRelative.entrySet()) {
      try {
        long size = Files.size(e.getValue());
        String hash = sha256(e.getValue());
        total += size;
        text.append("file ").append(e.getKey()).append('\t').append(size).append('\t').append(hash).append('\n');
      } catch (IOException ex) {
        problems.add("file " + e.getValue() + ": " + describe(ex));
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("cannot fingerprint the dataset of manifest " + manifestAbs + ": "
          + problems.size() + " problem(s):\n  " + String.join("\n  ", problems)
          + "\nfix the manifest or restore the files, then retry");
    }
    String id = HexFormat.of().formatHex(digest().digest(text.toString().getBytes(StandardCharsets.UTF_8)));
    return new DatasetFingerprint(new DatasetId(id), manifestHash, byRelative.size(), total);
  }

  private static String describe(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "does not exist";
    }
    return "cannot be read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
  }

  private static String sha256(Path file) throws IOException {
    MessageDigest md = digest();
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256, which every Java runtime must provide", e);
    }
  }
}
