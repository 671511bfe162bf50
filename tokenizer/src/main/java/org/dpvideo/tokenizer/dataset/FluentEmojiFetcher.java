package org.dpvideo.tokenizer.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Fetches the Fluent Emoji sticker packages (MIT) with {@code npm pack}, checks each tarball against the
 * registry's {@code dist.integrity} (SHA-512), extracts the WebP files and writes manifests:
 * {@code manifest.csv} (animated stickers of the requested parts) and, when asked, {@code stills.csv}
 * (the still images of {@code @lobehub/fluent-emoji-3d}). See {@link FluentEmojiCatalog} for the columns.
 *
 * <p>Package versions are pinned so a manifest is reproducible. Tarballs are kept in {@code DIR/.npm}
 * with their verified integrity beside them; a second run re-verifies and reuses them. Not thread-safe
 * for the same folder.
 */
public final class FluentEmojiFetcher {

  /** The packages, pinned. */
  public enum NpmPackage {
    /** Animated stickers, part 1. */
    ANIM_1("@lobehub/fluent-emoji-anim-1", "1.0.0", "anim-1"),
    /** Animated stickers, part 2. */
    ANIM_2("@lobehub/fluent-emoji-anim-2", "1.0.0", "anim-2"),
    /** Animated stickers, part 3. */
    ANIM_3("@lobehub/fluent-emoji-anim-3", "1.0.0", "anim-3"),
    /** Animated stickers, part 4. */
    ANIM_4("@lobehub/fluent-emoji-anim-4", "1.0.0", "anim-4"),
    /** Still 3-D images. */
    STILLS_3D("@lobehub/fluent-emoji-3d", "1.1.0", "3d");

    final String name;
    final String version;
    final String folder;

    NpmPackage(String name, String version, String folder) {
      this.name = name;
      this.version = version;
      this.folder = folder;
    }

    /** {@code name@version}. */
    public String spec() {
      return name + "@" + version;
    }

    /** The animated part {@code 1..4}. */
    public static NpmPackage part(int i) {
      return switch (i) {
        case 1 -> ANIM_1;
        case 2 -> ANIM_2;
        case 3 -> ANIM_3;
        case 4 -> ANIM_4;
        default -> throw new IllegalArgumentException("Fluent Emoji animated parts are 1, 2, 3 and 4; got " + i + ".");
      };
    }
  }

  /**
   * What a fetch produced.
   *
   * @param manifest the animated-sticker manifest
   * @param stillsManifest the stills manifest, or {@code null} when not requested
   * @param animatedRows rows in {@code manifest}
   * @param stillRows rows in {@code stillsManifest}
   * @param rowsPerTone animated rows per {@code group:skin_tone} label
   */
  public record FetchResult(Path manifest, Path stillsManifest, int animatedRows, int stillRows,
      Map<String, Long> rowsPerTone) {}

  private FluentEmojiFetcher() {}

  /**
   * Fetches parts {@code parts} (subset of 1..4) and, if {@code stills}, the 3-D stills into {@code dir}.
   *
   * @param log receives one line per step
   * @throws IOException on download, integrity or extraction failure (message says which package)
   */
  public static FetchResult fetch(Path dir, Set<Integer> parts, boolean stills, Consumer<String> log)
      throws IOException {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("--parts needs at least one of 1, 2, 3, 4.");
    }
    Files.createDirectories(dir);
    List<ManifestRow> animated = new ArrayList<>();
    for (int p : new java.util.TreeSet<>(parts)) {
      NpmPackage pkg = NpmPackage.part(p);
      Path folder = fetchPackage(dir, pkg, log);
      animated.addAll(FluentEmojiCatalog.rows(folder, true));
    }
    Path manifest = dir.resolve("manifest.csv");
    Manifest.of(manifest, List.of(FluentEmojiCatalog.SKIN_TONE), animated).write(manifest);
    log.accept("wrote " + manifest + " (" + animated.size() + " animated stickers)");
    Path stillsManifest = null;
    int stillRows = 0;
    if (stills) {
      Path folder = fetchPackage(dir, NpmPackage.STILLS_3D, log);
      List<ManifestRow> rows = FluentEmojiCatalog.rows(folder, false);
      stillsManifest = dir.resolve("stills.csv");
      Manifest.of(stillsManifest, List.of(FluentEmojiCatalog.SKIN_TONE), rows).write(stillsManifest);
      stillRows = rows.size();
      log.accept("wrote " + stillsManifest + " (" + rows.size() + " still images)");
    }
    Map<String, Long> perTone = new TreeMap<>(Manifest.countBy(animated, r -> r.group(FluentEmojiCatalog.SKIN_TONE)));
    return new FetchResult(manifest, stillsManifest, animated.size(), stillRows, perTone);
  }

  /** Downloads (or reuses), verifies and extracts one package; returns the folder with its WebP files. */
  static Path fetchPackage(Path dir, NpmPackage pkg, Consumer<String> log) throws IOException {
    Path cache = dir.resolve(".npm");
    Files.createDirectories(cache);
    String tgzName = pkg.name.substring(1).replace('/', '-') + "-" + pkg.version + ".tgz";
    Path tgz = cache.resolve(tgzName);
    Path integrityFile = cache.resolve(tgzName + ".integrity");
    String expected;
    if (Files.exists(tgz) && Files.exists(integrityFile)) {
      expected = Files.readString(integrityFile).trim();
      log.accept(pkg.spec() + ": reusing " + tgz);
    } else {
      expected = npm(cache, "view", pkg.spec(), "dist.integrity").trim();
      if (!expected.startsWith("sha512-")) {
        throw new IOException("npm view " + pkg.spec() + " dist.integrity returned '" + expected
            + "'; expected a sha512-... integrity string.");
      }
      log.accept(pkg.spec() + ": downloading with npm pack (about 180 MB)...");
      npm(cache, "pack", "--silent", pkg.spec());
      if (!Files.exists(tgz)) {
        throw new IOException("npm pack " + pkg.spec() + " did not produce " + tgz + ".");
      }
    }
    String actual = "sha512-" + Base64.getEncoder().encodeToString(sha512(tgz));
    if (!actual.equals(expected)) {
      Files.deleteIfExists(tgz);
      Files.deleteIfExists(integrityFile);
      throw new IOException("integrity check failed for " + pkg.spec() + ": the registry says " + expected
          + " but the tarball hashes to " + actual + "; the download was deleted, run the fetch again.");
    }
    Files.writeString(integrityFile, expected + "\n");
    log.accept(pkg.spec() + ": integrity verified (" + expected.substring(0, 20) + "...)");
    Path folder = dir.resolve(pkg.folder);
    Path done = folder.resolve(".extracted-" + pkg.version);
    if (!Files.exists(done)) {
      int n = TarGz.extract(tgz, folder, name -> {
        String prefix = "package/assets/";
        if (!name.startsWith(prefix) || !name.endsWith(".webp")) {
          return null;
        }
        String file = name.substring(prefix.length());
        return file.matches("[0-9a-f\\-]+\\.webp") ? file : null;
      });
      Files.writeString(done, n + "\n");
      log.accept(pkg.spec() + ": extracted " + n + " WebP files into " + folder);
    }
    return folder;
  }

  static byte[] sha512(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-512");
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-512", e);
    }
  }

  private static String npm(Path workDir, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add("npm");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(false);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new IOException("npm is needed to fetch the Fluent Emoji packages but could not be started ("
          + e.getMessage() + "); install Node.js with npm and run the fetch again.", e);
    }
    byte[] out;
    byte[] err;
    try {
      p.getOutputStream().close();
      var errFuture = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return p.getErrorStream().readAllBytes();
        } catch (IOException e) {
          return new byte[0];
        }
      });
      out = p.getInputStream().readAllBytes();
      if (!p.waitFor(30, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IOException("npm " + String.join(" ", args) + " did not finish in 30 minutes.");
      }
      err = errFuture.join();
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running npm " + String.join(" ", args), e);
    }
    if (p.exitValue() != 0) {
      String msg = new String(err, StandardCharsets.UTF_8).lines()
          .filter(l -> !l.contains("Unknown user config")).reduce((a, b) -> a + "\n" + b).orElse("");
      throw new IOException("npm " + String.join(" ", args) + " failed (exit " + p.exitValue() + "): " + msg);
    }
    return new String(out, StandardCharsets.UTF_8);
  }
}
