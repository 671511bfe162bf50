package org.dpvideo.finetune.demo;

import com.google.common.hash.Hashing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.dpvideo.finetune.data.ClipTokenizer;
import org.dpvideo.finetune.data.QualityFilter;
import org.dpvideo.finetune.data.TokenizedClip;
import org.dpvideo.tokenizer.VideoTokenizer;
import org.dpvideo.tokenizer.dataset.FluentEmojiCatalog;
import org.dpvideo.tokenizer.dataset.FluentEmojiFetcher;
import org.dpvideo.tokenizer.dataset.Manifest;
import org.dpvideo.tokenizer.dataset.ManifestOptions;
import org.dpvideo.tokenizer.dataset.ManifestRow;
import org.dpvideo.tokenizer.dataset.Provenance;
import org.dpvideo.tokenizer.dataset.Split;
import org.dpvideo.tokenizer.fit.TokenizerStore;
import org.dpvideo.tokenizer.video.Clip;
import org.dpvideo.tokenizer.video.ClipSpec;
import org.dpvideo.tokenizer.vq.PatchVqTokenizer;
import org.dpvideo.tokenizer.vq.VqConfig;

/**
 * The demo's data: the Fluent Emoji stickers (fetched with npm, or drawn in Java when fetching is
 * impossible), split into public data (untoned animations and 3-D stills) and private data (the
 * skin-toned people and gesture animations, one subject each), tokenized with a VQ tokenizer fitted on
 * public stickers only. One skin tone is kept at a fraction of its training subjects (a public rule on
 * the subject id), as under-represented groups are in real in-house data; held-out clips keep every tone.
 * Everything is cached: the tokenizer by its training rows and settings, the token grids by the
 * tokenizer version and the rows.
 */
public final class StickerDataset {

  /**
   * What to prepare.
   *
   * @param dataDir where the stickers are (fetched into if missing)
   * @param cacheDir where the tokenizer and token grids are cached
   * @param parts which animated packages (1..4)
   * @param maxPublicVideos public training animations at most (evenly spread)
   * @param maxPublicHeldOut public val/test animations at most
   * @param maxStills public 3-D stills at most (images for the two-stage pretraining)
   * @param tokenizerVideos public training animations the tokenizer is fitted on
   * @param vq the tokenizer's settings
   * @param underrepresentedTone the skin tone kept at a fraction of its training subjects
   * @param underrepresentedKeep that fraction, in (0, 1]
   * @param filter the quality filter of the private fine-tuning subset (thresholds fixed in advance)
   * @param threads decoding threads
   */
  public record Settings(Path dataDir, Path cacheDir, Set<Integer> parts, int maxPublicVideos, int maxPublicHeldOut,
      int maxStills, int tokenizerVideos, VqConfig vq, String underrepresentedTone, double underrepresentedKeep,
      QualityFilter filter, int threads) {
    public Settings {
      Objects.requireNonNull(dataDir, "dataDir");
      Objects.requireNonNull(cacheDir, "cacheDir");
      parts = Set.copyOf(parts);
      if (!(underrepresentedKeep > 0 && underrepresentedKeep <= 1)) {
        throw new IllegalArgumentException("the kept fraction of the under-represented tone must be in (0, 1], got "
            + underrepresentedKeep);
      }
    }
  }

  /**
   * The prepared data.
   *
   * @param tokenizer the video tokenizer (fitted on public stickers)
   * @param publicVideos public training animations
   * @param publicHeldOut public val/test animations
   * @param images public 3-D stills as one-frame clips
   * @param privateTrain private training animations after the under-representation rule and the quality filter
   * @param privateHeldOut private val/test animations of every tone (evaluation; never trained on)
   * @param privateManifest the manifest of the private training dataset (before the quality filter), for
   *     the ledger's fingerprint
   * @param privateTrainRows rows of that manifest
   * @param filteredOut private training clips the quality filter removed
   * @param drawn whether the stickers were drawn in Java (fetching was impossible)
   * @param filter the quality filter applied (the settings' one, or the drawn stickers' fixed one)
   */
  public record Prepared(VideoTokenizer tokenizer, List<TokenizedClip> publicVideos, List<TokenizedClip> publicHeldOut,
      List<TokenizedClip> images, List<TokenizedClip> privateTrain, List<TokenizedClip> privateHeldOut,
      Path privateManifest, List<ManifestRow> privateTrainRows, int filteredOut, boolean drawn, QualityFilter filter) {

    /** Private training subjects per tone. */
    public Map<String, Long> privateTrainPerTone() {
      Map<String, Long> out = new TreeMap<>();
      for (TokenizedClip c : privateTrain) {
        out.merge(c.row().group(FluentEmojiCatalog.SKIN_TONE), 1L, Long::sum);
      }
      return out;
    }
  }

  private StickerDataset() {}

  /** Fetches (if needed), selects, fits the tokenizer (if not cached) and tokenizes. */
  public static Prepared prepare(Settings s, ClipSpec spec, Consumer<String> log) throws IOException {
    Path dataDir = ensureStickers(s, log);
    boolean drawn = !dataDir.equals(s.dataDir()) || Files.isRegularFile(dataDir.resolve(DrawnStickers.MARKER));
    Manifest all = Manifest.load(dataDir.resolve("manifest.csv"), ManifestOptions.DEFAULT);
    List<ManifestRow> rows = new ArrayList<>();
    for (ManifestRow r : all.rows()) {
      if (drawn || s.parts().contains(partOf(r))) {
        rows.add(r);
      }
    }
    List<ManifestRow> publicTrain = new ArrayList<>();
    List<ManifestRow> publicHeldOut = new ArrayList<>();
    List<ManifestRow> privateTrain = new ArrayList<>();
    List<ManifestRow> privateHeldOut = new ArrayList<>();
    for (ManifestRow r : rows) {
      boolean train = r.split() == Split.TRAIN;
      if (r.provenance() == Provenance.PUBLIC) {
        (train ? publicTrain : publicHeldOut).add(r);
      } else if (!train) {
        privateHeldOut.add(r);
      } else if (!s.underrepresentedTone().equals(r.group(FluentEmojiCatalog.SKIN_TONE))
          || keep(r.subject(), s.underrepresentedKeep())) {
        privateTrain.add(r);
      }
    }
    publicTrain = spread(publicTrain, s.maxPublicVideos());
    publicHeldOut = spread(publicHeldOut, s.maxPublicHeldOut());
    List<ManifestRow> stills = new ArrayList<>();
    Path stillsCsv = dataDir.resolve("stills.csv");
    if (s.maxStills() > 0 && Files.isRegularFile(stillsCsv)) {
      for (ManifestRow r : Manifest.load(stillsCsv, ManifestOptions.DEFAULT).rows()) {
        if (r.provenance() == Provenance.PUBLIC && r.split() == Split.TRAIN) {
          stills.add(r);
        }
      }
      stills = spread(stills, s.maxStills());
    }
    List<String> groups = all.groupNames();
    Path privateManifest = dataDir.resolve("demo-private-train.csv");
    Manifest priv = Manifest.of(privateManifest, groups, privateTrain);
    priv.write(privateManifest);
    log.accept(String.format(java.util.Locale.ROOT, "data: %d public animations (+%d held out), %d stills, %d private"
        + " training animations (%s kept at %.0f%%), %d private held out", publicTrain.size(), publicHeldOut.size(),
        stills.size(), privateTrain.size(), s.underrepresentedTone(), 100 * s.underrepresentedKeep(),
        privateHeldOut.size()));

    // The tokenizer: fitted on public training animations only (a codebook averages its training patches).
    Manifest pub = Manifest.of(dataDir.resolve("demo-public-train.csv"), groups, publicTrain);
    List<ManifestRow> fitRows = spread(publicTrain, s.tokenizerVideos());
    String key = Hashing.sha256().hashString(Manifest.of(pub.source(), groups, fitRows).contentHash() + "|" + s.vq()
        + "|" + spec.key(), StandardCharsets.UTF_8).toString().substring(0, 16);
    Path tokFile = s.cacheDir().resolve("tokenizer").resolve("vq-" + key + ".tok");
    VideoTokenizer tok;
    List<ClipTokenizer.DecodedClip> decoded = List.of();
    if (Files.isRegularFile(tokFile)) {
      tok = TokenizerStore.load(tokFile);
      log.accept("tokenizer: " + tok.version() + " (cached " + tokFile + ")");
    } else {
      log.accept("tokenizer: fitting a " + s.vq().codebookSize() + "-code VQ on " + fitRows.size()
          + " public animations");
      decoded = ClipTokenizer.decodeAll(fitRows, spec, s.threads(), log);
      List<Clip> clips = new ArrayList<>();
      for (ClipTokenizer.DecodedClip d : decoded) {
        clips.add(d.clip());
      }
      tok = PatchVqTokenizer.fit(clips, s.vq());
      Files.createDirectories(tokFile.getParent());
      tok.save(tokFile);
      log.accept("tokenizer: " + tok.version() + " saved to " + tokFile);
    }
    Path clipCache = s.cacheDir().resolve("clips");
    List<TokenizedClip> pubClips = ClipTokenizer.loadOrBuild(clipCache, pub, spec, tok, s.threads(), log, decoded);
    List<TokenizedClip> pubHeld = publicHeldOut.isEmpty() ? List.of() : ClipTokenizer.loadOrBuild(clipCache,
        Manifest.of(dataDir.resolve("demo-public-heldout.csv"), groups, publicHeldOut), spec, tok, s.threads(), log);
    List<TokenizedClip> imgs = stills.isEmpty() ? List.of() : ClipTokenizer.loadOrBuild(clipCache,
        Manifest.of(stillsCsv, groups, stills), spec.withFrames(1), tok, s.threads(), log);
    List<TokenizedClip> privClips = ClipTokenizer.loadOrBuild(clipCache, priv, spec, tok, s.threads(), log);
    List<TokenizedClip> heldClips = ClipTokenizer.loadOrBuild(clipCache,
        Manifest.of(dataDir.resolve("demo-private-heldout.csv"), groups, privateHeldOut), spec, tok, s.threads(),
        log);
    for (ClipTokenizer.DecodedClip d : decoded) {
      d.clip().frames().close();
    }
    // The fine-tuning subset: thresholds fixed in advance, applied to each clip alone.
    QualityFilter filter = drawn ? DrawnStickers.QUALITY_FILTER : s.filter();
    List<TokenizedClip> kept = new ArrayList<>();
    for (TokenizedClip c : privClips) {
      if (filter.accepts(c.quality())) {
        kept.add(c);
      }
    }
    int removed = privClips.size() - kept.size();
    log.accept("quality filter (" + filter.describe() + "): kept " + kept.size() + " of " + privClips.size()
        + " private training clips");
    return new Prepared(tok, pubClips, pubHeld, imgs, kept, heldClips, privateManifest, privateTrain, removed, drawn,
        filter);
  }

  /** The animated package (1..4) a row's file came from, or 0. */
  static int partOf(ManifestRow r) {
    Path parent = r.path().getParent();
    String name = parent == null ? "" : parent.getFileName().toString();
    return name.startsWith("anim-") ? Integer.parseInt(name.substring(5)) : 0;
  }

  /** The public under-representation rule: keep a subject iff a hash of its id falls below the fraction. */
  static boolean keep(String subject, double fraction) {
    long h = Hashing.sha256().hashString("keep|" + subject, StandardCharsets.UTF_8).asLong();
    return (h >>> 11) * 0x1.0p-53 < fraction;
  }

  static List<ManifestRow> spread(List<ManifestRow> rows, int n) {
    if (rows.size() <= n) {
      return rows;
    }
    List<ManifestRow> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(rows.get((int) ((long) i * rows.size() / n)));
    }
    return out;
  }

  /**
   * Makes sure the stickers of the requested parts are in the data directory: fetches them with npm, or,
   * when that is impossible, draws stickers in Java (into a sibling directory {@code drawn-stickers}) and
   * says so.
   *
   * @return the directory holding {@code manifest.csv} (and {@code stills.csv})
   */
  static Path ensureStickers(Settings s, Consumer<String> log) throws IOException {
    Path manifest = s.dataDir().resolve("manifest.csv");
    Path drawnDir = s.dataDir().toAbsolutePath().resolveSibling("drawn-stickers");
    if (Files.isRegularFile(s.dataDir().resolve(DrawnStickers.MARKER))) {
      log.accept("data: using the stickers drawn in Java in " + s.dataDir());
      return s.dataDir();
    }
    Set<Integer> have = new TreeSet<>();
    if (Files.isRegularFile(manifest)) {
      for (int p = 1; p <= 4; p++) {
        if (Files.isDirectory(s.dataDir().resolve("anim-" + p))) {
          have.add(p);
        }
      }
    }
    boolean stillsNeeded = s.maxStills() > 0 && !Files.isRegularFile(s.dataDir().resolve("stills.csv"));
    if (have.containsAll(s.parts()) && !stillsNeeded) {
      return s.dataDir();
    }
    Set<Integer> wanted = new TreeSet<>(have);
    wanted.addAll(s.parts());
    log.accept("data: fetching Fluent Emoji sticker packages " + wanted + (s.maxStills() > 0 ? " and the 3-D stills"
        : "") + " with npm into " + s.dataDir());
    try {
      FluentEmojiFetcher.FetchResult r = FluentEmojiFetcher.fetch(s.dataDir(), wanted, s.maxStills() > 0, log);
      log.accept("data: " + r.animatedRows() + " animated stickers, " + r.stillRows() + " stills; per tone "
          + new TreeMap<>(r.rowsPerTone()));
      return s.dataDir();
    } catch (IOException | RuntimeException e) {
      log.accept("data: FETCHING THE FLUENT EMOJI STICKERS FAILED (" + e.getMessage() + ").");
      log.accept("data: falling back to stickers drawn in Java (faces and hands in five skin tones, shapes without a"
          + " tone) in " + drawnDir + "; the demo runs end to end on them, but they are simple synthetic animations,"
          + " not the Fluent Emoji.");
      if (!Files.isRegularFile(drawnDir.resolve(DrawnStickers.MARKER))) {
        DrawnStickers.write(drawnDir, log);
      }
      return drawnDir;
    }
  }
}
