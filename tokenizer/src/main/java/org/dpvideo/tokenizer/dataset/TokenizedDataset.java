package org.dpvideo.tokenizer.dataset;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.hash.Hashing;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.dpvideo.tokenizer.GridShape;
import org.dpvideo.tokenizer.TokenGrid;
import org.dpvideo.tokenizer.VideoTokenizer;
import org.dpvideo.tokenizer.video.Clip;
import org.dpvideo.tokenizer.video.ClipSampler;
import org.dpvideo.tokenizer.video.ClipSpec;
import org.dpvideo.tokenizer.video.VideoInfo;
import org.dpvideo.tokenizer.video.VideoReader;

/**
 * A manifest's clips as token grids, cached on disk so training does not decode video again. The cache
 * file is keyed by the tokenizer's {@link VideoTokenizer#version()}, the {@link ClipSpec}, the clips per
 * video and the manifest's {@link Manifest#contentHash()} (paths, labels, file sizes and times): any
 * change to one of them makes a new file, so a stale cache is never read.
 *
 * <p>File: {@code CACHE_DIR/TOKENIZER_VERSION/SPEC_KEY-cN-HASH16.tokens}, written to a temporary file
 * and renamed. Immutable once built; thread-safe.
 */
public final class TokenizedDataset {
  private static final String MAGIC = "DPVTDS1\n";

  /**
   * One tokenized clip.
   *
   * @param row the manifest row it was cut from
   * @param window which window of the video (0-based)
   * @param grid its tokens
   */
  public record Entry(ManifestRow row, int window, TokenGrid grid) {}

  private final Path file;
  private final String tokenizerVersion;
  private final ClipSpec spec;
  private final List<Entry> entries;
  private final boolean fromCache;

  private TokenizedDataset(Path file, String version, ClipSpec spec, List<Entry> entries, boolean fromCache) {
    this.file = file;
    this.tokenizerVersion = version;
    this.spec = spec;
    this.entries = List.copyOf(entries);
    this.fromCache = fromCache;
  }

  /** The cache file. */
  public Path file() {
    return file;
  }

  /** The tokenizer version the grids belong to. */
  public String tokenizerVersion() {
    return tokenizerVersion;
  }

  /** The clip spec. */
  public ClipSpec spec() {
    return spec;
  }

  /** The tokenized clips, in manifest order (windows of one video together). */
  public List<Entry> entries() {
    return entries;
  }

  /** True when this was read from an existing cache file. */
  public boolean fromCache() {
    return fromCache;
  }

  /** The cache file path for these inputs (exists or not). */
  public static Path cacheFile(Path cacheDir, Manifest manifest, ClipSpec spec, VideoTokenizer tokenizer,
      int clipsPerVideo) {
    String key = Hashing.sha256().hashString(tokenizer.version() + "|" + spec.key() + "|" + clipsPerVideo + "|"
        + manifest.contentHash(), StandardCharsets.UTF_8).toString().substring(0, 16);
    return cacheDir.resolve(tokenizer.version()).resolve(spec.key() + "-c" + clipsPerVideo + "-" + key + ".tokens");
  }

  /**
   * Reads the cached tokens for these inputs, or decodes and encodes every row and writes the cache.
   *
   * @param clipsPerVideo windows per video (spread evenly over it), at least 1
   * @param log progress lines
   */
  public static TokenizedDataset loadOrBuild(Path cacheDir, Manifest manifest, ClipSpec spec,
      VideoTokenizer tokenizer, int clipsPerVideo, Consumer<String> log) throws IOException {
    if (clipsPerVideo < 1) {
      throw new IllegalArgumentException("clipsPerVideo must be >= 1, got " + clipsPerVideo + ".");
    }
    GridShape g = tokenizer.gridShape(spec);
    Path file = cacheFile(cacheDir, manifest, spec, tokenizer, clipsPerVideo);
    if (Files.isRegularFile(file)) {
      try {
        TokenizedDataset d = read(file, manifest, spec, tokenizer.version(), g);
        log.accept("read " + d.entries.size() + " tokenized clips from cache " + file);
        return d;
      } catch (IOException | RuntimeException e) {
        log.accept("cache " + file + " is unreadable (" + e.getMessage() + "); rebuilding it");
      }
    }
    List<Entry> entries = new ArrayList<>();
    List<ManifestRow> rows = manifest.rows();
    int done = 0;
    for (ManifestRow r : rows) {
      List<Clip> clips = new ArrayList<>();
      double[] starts = {0.0};
      if (clipsPerVideo > 1) {
        VideoInfo info = VideoReader.probe(r.path());
        double free = Math.max(0, info.durationMicros() / 1e6 - spec.durationSeconds());
        starts = new double[clipsPerVideo];
        for (int i = 0; i < clipsPerVideo; i++) {
          starts[i] = free * i / (clipsPerVideo - 1);
        }
      }
      for (double s : starts) {
        clips.add(ClipSampler.sample(r.path(), spec, s));
      }
      List<TokenGrid> grids = tokenizer.encodeBatch(clips);
      for (int w = 0; w < grids.size(); w++) {
        entries.add(new Entry(r, w, grids.get(w)));
      }
      if (++done % 100 == 0) {
        log.accept("  tokenized " + done + "/" + rows.size() + " videos");
      }
    }
    write(file, manifest, spec, tokenizer.version(), g, entries);
    log.accept("wrote " + entries.size() + " tokenized clips to cache " + file);
    return new TokenizedDataset(file, tokenizer.version(), spec, entries, false);
  }

  private static void write(Path file, Manifest manifest, ClipSpec spec, String version, GridShape g,
      List<Entry> entries) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".part");
    try {
      ObjectNode h = new ObjectMapper().createObjectNode();
      h.put("tokenizerVersion", version);
      h.put("clipSpec", spec.key());
      h.put("manifest", manifest.source().toString());
      h.put("manifestHash", manifest.contentHash());
      h.put("grid", g.toString());
      h.put("entries", entries.size());
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
        out.write(MAGIC.getBytes(StandardCharsets.US_ASCII));
        byte[] hb = h.toString().getBytes(StandardCharsets.UTF_8);
        out.writeInt(hb.length);
        out.write(hb);
        List<ManifestRow> rows = manifest.rows();
        java.util.Map<ManifestRow, Integer> index = new java.util.IdentityHashMap<>();
        for (int i = 0; i < rows.size(); i++) {
          index.put(rows.get(i), i);
        }
        for (Entry e : entries) {
          out.writeInt(index.get(e.row()));
          out.writeInt(e.window());
          for (int id : e.grid().ids()) {
            out.writeInt(id);
          }
        }
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static TokenizedDataset read(Path file, Manifest manifest, ClipSpec spec, String version, GridShape g)
      throws IOException {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      if (!MAGIC.equals(new String(in.readNBytes(MAGIC.length()), StandardCharsets.US_ASCII))) {
        throw new IOException("wrong magic bytes");
      }
      byte[] hb = in.readNBytes(in.readInt());
      var h = new ObjectMapper().readTree(hb);
      if (!version.equals(h.path("tokenizerVersion").asText()) || !spec.key().equals(h.path("clipSpec").asText())
          || !manifest.contentHash().equals(h.path("manifestHash").asText())) {
        throw new IOException("header does not match the requested tokenizer, spec or manifest");
      }
      int n = h.path("entries").asInt();
      List<ManifestRow> rows = manifest.rows();
      List<Entry> entries = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        int row = in.readInt();
        int window = in.readInt();
        int[] ids = new int[g.size()];
        for (int j = 0; j < ids.length; j++) {
          ids[j] = in.readInt();
        }
        entries.add(new Entry(rows.get(row), window, new TokenGrid(g, ids)));
      }
      return new TokenizedDataset(file, version, spec, entries, true);
    }
  }
}
