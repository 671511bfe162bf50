package org.dpvideo.finetune.data;

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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.dpvideo.tokenizer.GridShape;
import org.dpvideo.tokenizer.TokenGrid;
import org.dpvideo.tokenizer.VideoTokenizer;
import org.dpvideo.tokenizer.dataset.Manifest;
import org.dpvideo.tokenizer.dataset.ManifestRow;
import org.dpvideo.tokenizer.video.Clip;
import org.dpvideo.tokenizer.video.ClipSampler;
import org.dpvideo.tokenizer.video.ClipSpec;
import org.dpvideo.tokenizer.video.FrameSource;
import org.dpvideo.tokenizer.video.VideoFrame;
import org.dpvideo.tokenizer.video.VideoReader;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Samples every row of a manifest at a clip spec (the first {@code spec.frames()} frames at
 * {@code spec.fps()}, decoding only the source frames that are needed), tokenizes the clips and measures
 * their {@link ClipQuality}, on several threads, and caches the result on disk. The cache file is keyed by
 * the tokenizer's version, the spec and the manifest's content hash, so a stale cache is never read.
 *
 * <p>Frame k of a clip shows the source frame on screen at {@code k / fps} (sample and hold), as
 * {@link ClipSampler} does; each frame is brought to the spec by {@link ClipSampler#toSpec}.
 * Thread-safe (each call uses its own pool).
 */
public final class ClipTokenizer {
  private static final String MAGIC = "DPVCLIPS1\n";
  private static final int ENCODE_BATCH = 32;

  private ClipTokenizer() {}

  /** A sampled clip with its statistics. */
  record Sampled(Clip clip, ClipQuality quality) {}

  /**
   * A decoded (not yet tokenized) clip of a manifest row, e.g. to fit a tokenizer on the same clips that
   * are then tokenized without decoding them again.
   *
   * @param row the row
   * @param clip the clip at the spec
   * @param quality its statistics
   */
  public record DecodedClip(ManifestRow row, Clip clip, ClipQuality quality) {}

  /** Decodes rows at {@code spec} on {@code threads} threads, in order. */
  public static List<DecodedClip> decodeAll(List<ManifestRow> rows, ClipSpec spec, int threads, Consumer<String> log)
      throws IOException {
    DecodedClip[] out = new DecodedClip[rows.size()];
    parallel(rows.size(), threads, i -> {
      Sampled s = sample(rows.get(i).path(), spec);
      out[i] = new DecodedClip(rows.get(i), s.clip(), s.quality());
    }, "decoding", log);
    return List.of(out);
  }

  private interface IndexTask {
    void run(int i) throws Exception;
  }

  private static void parallel(int n, int threads, IndexTask task, String what, Consumer<String> log)
      throws IOException {
    AtomicInteger next = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "clip-" + what);
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int w = 0; w < threads; w++) {
        futures.add(pool.submit(() -> {
          int i;
          while ((i = next.getAndIncrement()) < n) {
            task.run(i);
            int d = done.incrementAndGet();
            if (d % Math.max(1, n / 4) == 0) {
              log.accept("  " + what + " " + d + "/" + n);
            }
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException r) {
        throw r;
      }
      throw new IOException(what + " failed: " + c.getMessage(), c);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while " + what, e);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Samples one file at {@code spec} from its start.
   *
   * @throws org.dpvideo.tokenizer.video.VideoDecodeException when the file cannot be decoded
   */
  static Sampled sample(Path path, ClipSpec spec) {
    List<INDArray> out = new ArrayList<>(spec.frames());
    int width;
    int height;
    int distinct = 0;
    try (FrameSource source = VideoReader.open(path, spec.fps())) {
      VideoFrame f = source.next();
      width = f.width();
      height = f.height();
      long t0 = f.startMicros();
      INDArray converted = null;
      VideoFrame convertedFrom = null;
      int k = 0;
      while (k < spec.frames()) {
        VideoFrame next = source.next();
        long end = next != null ? next.startMicros() : Long.MAX_VALUE;
        while (k < spec.frames() && t0 + Math.round(k / spec.fps() * 1e6) < end) {
          if (convertedFrom != f) {
            converted = ClipSampler.toSpec(f, spec);
            convertedFrom = f;
            distinct++;
          }
          out.add(converted);
          k++;
        }
        if (next == null) {
          break;
        }
        f = next;
      }
    }
    INDArray frames = Nd4j.stack(0, out.toArray(new INDArray[0]));
    double motion = 0;
    if (spec.frames() > 1) {
      INDArray a = frames.get(NDArrayIndex.interval(1, spec.frames()));
      INDArray b = frames.get(NDArrayIndex.interval(0, spec.frames() - 1));
      motion = a.sub(b).norm1Number().doubleValue() / a.length();
    }
    return new Sampled(new Clip(frames, spec.fps()), new ClipQuality(width, height, distinct, motion));
  }

  /** The cache file for these inputs (exists or not). */
  public static Path cacheFile(Path cacheDir, Manifest manifest, ClipSpec spec, VideoTokenizer tokenizer) {
    String key = Hashing.sha256().hashString("clips-v1|" + tokenizer.version() + "|" + spec.key() + "|"
        + manifest.contentHash(), StandardCharsets.UTF_8).toString().substring(0, 16);
    return cacheDir.resolve(tokenizer.version()).resolve("clips-" + spec.key() + "-" + key + ".bin");
  }

  /**
   * Reads the cached clips of {@code manifest}, or samples, tokenizes and measures every row and writes
   * the cache.
   *
   * @param threads worker threads for decoding, at least 1
   * @param log progress lines
   * @return one clip per row, in manifest order
   */
  public static List<TokenizedClip> loadOrBuild(Path cacheDir, Manifest manifest, ClipSpec spec,
      VideoTokenizer tokenizer, int threads, Consumer<String> log) throws IOException {
    return loadOrBuild(cacheDir, manifest, spec, tokenizer, threads, log, List.of());
  }

  /**
   * As {@link #loadOrBuild(Path, Manifest, ClipSpec, VideoTokenizer, int, Consumer)}, reusing clips already
   * decoded at the same spec (matched by row) instead of decoding them again.
   */
  public static List<TokenizedClip> loadOrBuild(Path cacheDir, Manifest manifest, ClipSpec spec,
      VideoTokenizer tokenizer, int threads, Consumer<String> log, List<DecodedClip> decoded) throws IOException {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    GridShape g = tokenizer.gridShape(spec);
    Path file = cacheFile(cacheDir, manifest, spec, tokenizer);
    if (Files.isRegularFile(file)) {
      try {
        List<TokenizedClip> clips = read(file, manifest, g);
        log.accept("read " + clips.size() + " tokenized clips from " + file);
        return clips;
      } catch (IOException | RuntimeException e) {
        log.accept("cache " + file + " is unreadable (" + e.getMessage() + "); rebuilding it");
      }
    }
    List<ManifestRow> rows = manifest.rows();
    java.util.Map<ManifestRow, DecodedClip> known = new java.util.HashMap<>();
    for (DecodedClip d : decoded) {
      known.put(d.row(), d);
    }
    TokenizedClip[] result = new TokenizedClip[rows.size()];
    int batches = (rows.size() + ENCODE_BATCH - 1) / ENCODE_BATCH;
    parallel(batches, threads, b -> {
      List<ManifestRow> part = rows.subList(b * ENCODE_BATCH, Math.min(rows.size(), (b + 1) * ENCODE_BATCH));
      List<Clip> clips = new ArrayList<>();
      List<ClipQuality> qualities = new ArrayList<>();
      List<Boolean> own = new ArrayList<>();
      for (ManifestRow r : part) {
        DecodedClip d = known.get(r);
        if (d != null) {
          clips.add(d.clip());
          qualities.add(d.quality());
          own.add(false);
        } else {
          Sampled s = sample(r.path(), spec);
          clips.add(s.clip());
          qualities.add(s.quality());
          own.add(true);
        }
      }
      List<TokenGrid> grids = tokenizer.encodeBatch(clips);
      for (int j = 0; j < part.size(); j++) {
        result[b * ENCODE_BATCH + j] = new TokenizedClip(part.get(j), grids.get(j), qualities.get(j));
        if (own.get(j)) {
          clips.get(j).frames().close();
        }
      }
    }, "tokenizing (batches of " + ENCODE_BATCH + ")", log);
    List<TokenizedClip> clips = List.of(result);
    write(file, manifest, spec, tokenizer.version(), clips);
    log.accept("tokenized " + clips.size() + " clips into " + file);
    return clips;
  }

  private static void write(Path file, Manifest manifest, ClipSpec spec, String version, List<TokenizedClip> clips)
      throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".part");
    try {
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
        out.write(MAGIC.getBytes(StandardCharsets.US_ASCII));
        out.writeUTF(version);
        out.writeUTF(spec.key());
        out.writeUTF(manifest.contentHash());
        out.writeInt(clips.size());
        for (TokenizedClip c : clips) {
          out.writeInt(c.row().line());
          out.writeInt(c.quality().sourceWidth());
          out.writeInt(c.quality().sourceHeight());
          out.writeInt(c.quality().distinctFrames());
          out.writeDouble(c.quality().motion());
          for (int id : c.grid().ids()) {
            out.writeShort(id);
          }
        }
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static List<TokenizedClip> read(Path file, Manifest manifest, GridShape g) throws IOException {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      if (!MAGIC.equals(new String(in.readNBytes(MAGIC.length()), StandardCharsets.US_ASCII))) {
        throw new IOException("wrong magic bytes");
      }
      in.readUTF();
      in.readUTF();
      if (!manifest.contentHash().equals(in.readUTF())) {
        throw new IOException("the manifest changed");
      }
      int n = in.readInt();
      List<ManifestRow> rows = manifest.rows();
      if (n != rows.size()) {
        throw new IOException("the cache has " + n + " clips, the manifest " + rows.size() + " rows");
      }
      List<TokenizedClip> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        int line = in.readInt();
        if (line != rows.get(i).line()) {
          throw new IOException("row " + i + " is line " + rows.get(i).line() + ", the cache says " + line);
        }
        ClipQuality q = new ClipQuality(in.readInt(), in.readInt(), in.readInt(), in.readDouble());
        int[] ids = new int[g.size()];
        for (int j = 0; j < ids.length; j++) {
          ids[j] = in.readShort() & 0xFFFF;
        }
        out.add(new TokenizedClip(rows.get(i), new TokenGrid(g, ids), q));
      }
      return out;
    }
  }
}
