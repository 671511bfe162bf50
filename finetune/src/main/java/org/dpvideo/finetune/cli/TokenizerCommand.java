package org.dpvideo.finetune.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.dpvideo.tokenizer.TokenGrid;
import org.dpvideo.tokenizer.TokenizerKind;
import org.dpvideo.tokenizer.VideoTokenizer;
import org.dpvideo.tokenizer.dataset.Manifest;
import org.dpvideo.tokenizer.dataset.ManifestOptions;
import org.dpvideo.tokenizer.dataset.ManifestRow;
import org.dpvideo.tokenizer.dataset.Provenance;
import org.dpvideo.tokenizer.dataset.Split;
import org.dpvideo.tokenizer.eval.ReconstructionMetrics;
import org.dpvideo.tokenizer.eval.TokenizerEvaluation;
import org.dpvideo.tokenizer.eval.TokenizerEvaluator;
import org.dpvideo.tokenizer.fit.ClipSet;
import org.dpvideo.tokenizer.fit.TokenizerFitter;
import org.dpvideo.tokenizer.fit.TokenizerStore;
import org.dpvideo.tokenizer.lfq.LfqConfig;
import org.dpvideo.tokenizer.video.Clip;
import org.dpvideo.tokenizer.video.ClipSampler;
import org.dpvideo.tokenizer.video.ClipSpec;
import org.dpvideo.tokenizer.video.VideoWriter;
import org.dpvideo.tokenizer.vq.VqConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dpvideo tokenizer ...}: fit, evaluate and try video tokenizers. */
@Command(name = "tokenizer", mixinStandardHelpOptions = true, description = "Fit, evaluate and try video tokenizers.",
    subcommands = {TokenizerCommand.Fit.class, TokenizerCommand.Eval.class, TokenizerCommand.Roundtrip.class})
public final class TokenizerCommand implements Runnable {
  /** Where {@code data fetch fluent-emoji} puts its manifest by default. */
  static final Path DEFAULT_MANIFEST = Path.of("data/fluent-emoji/manifest.csv");

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static Path manifestOrDefault(Path given) {
    if (given != null) {
      return given;
    }
    if (Files.exists(DEFAULT_MANIFEST)) {
      return DEFAULT_MANIFEST;
    }
    throw new IllegalArgumentException("no --manifest given and " + DEFAULT_MANIFEST + " does not exist; pass"
        + " --manifest M, or fetch the public stickers with 'dpvideo data fetch fluent-emoji'.");
  }

  /** {@code dpvideo tokenizer fit}. */
  @Command(name = "fit", mixinStandardHelpOptions = true, description = {
      "Fit a video tokenizer on the train rows of a manifest of public footage (private rows are refused:"
          + " a tokenizer is not differentially private and would leak them).",
      "vq: k-means++ codebook of space-time tubes (fast). lfq: causal 3-D conv autoencoder with lookup-free"
          + " quantization, trained with SameDiff for --steps or --seconds, whichever ends first."})
  static final class Fit implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--manifest", paramLabel = "CSV", description = "Manifest of public footage (default:"
        + " data/fluent-emoji/manifest.csv filtered to public rows).")
    Path manifest;

    @Option(names = "--kind", required = true, paramLabel = "vq|lfq", description = "Tokenizer kind.")
    String kind;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to save the tokenizer.")
    Path out;

    @Option(names = "--spec", paramLabel = "FxHxW@FPS", defaultValue = "9x32x32@8",
        description = "Clip spec: frames x height x width @ fps (default: ${DEFAULT-VALUE}).")
    String clipSpec;

    @Option(names = "--vocab", paramLabel = "N", defaultValue = "1024",
        description = "Vocabulary size (VQ codebook size; LFQ uses 2^bits, so a power of two) (default: ${DEFAULT-VALUE}).")
    int vocab;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "100000", description = "LFQ: at most N training steps.")
    int steps;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "180",
        description = "LFQ: training time budget in seconds (default: ${DEFAULT-VALUE}).")
    long seconds;

    @Option(names = "--max-videos", paramLabel = "N", defaultValue = "400",
        description = "At most N training videos (default: ${DEFAULT-VALUE}).")
    int maxVideos;

    @Option(names = "--clips-per-video", paramLabel = "N", defaultValue = "1", description = "Windows cut from each video.")
    int clipsPerVideo;

    @Option(names = "--public-only", description = "Use only the public rows of the manifest (instead of refusing"
        + " a manifest that has private rows).")
    boolean publicOnly;

    @Option(names = "--skip-bad", description = "Skip bad manifest rows (counted) instead of failing.")
    boolean skipBad;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1234", description = "Seed (public data; no privacy role).")
    long seed;

    @Override
    public Integer call() throws Exception {
      TokenizerKind k = parseKind(kind);
      ClipSpec s = ClipSpec.parse(clipSpec);
      Path csv = manifestOrDefault(manifest);
      Manifest m = Manifest.load(csv, ManifestOptions.DEFAULT.withSkipBad(skipBad).withRequireCaptions(false));
      PrintWriter err = spec.commandLine().getErr();
      if (m.skippedRows() > 0) {
        err.println("skipped " + m.skippedRows() + " bad manifest rows");
      }
      if (publicOnly || manifest == null) {
        long priv = m.privateRowCount();
        m = m.filter(r -> r.provenance() == Provenance.PUBLIC);
        err.println("using the " + m.rows().size() + " public rows (" + priv + " private rows left out)");
      }
      VqConfig vq = VqConfig.DEFAULT.withCodebookSize(vocab).withSeed(seed);
      int bits = Integer.numberOfTrailingZeros(vocab);
      if (k == TokenizerKind.LFQ && Integer.bitCount(vocab) != 1) {
        throw new IllegalArgumentException("an LFQ vocabulary is 2^bits, so --vocab must be a power of two"
            + " (e.g. 512, 1024, 4096), got " + vocab + ".");
      }
      LfqConfig lfq = (k == TokenizerKind.LFQ ? LfqConfig.DEFAULT.withBits(bits) : LfqConfig.DEFAULT)
          .withMaxSteps(steps).withTimeBudget(Duration.ofSeconds(seconds)).withSeed(seed);
      TokenizerFitter.FitPlan plan = new TokenizerFitter.FitPlan(k, s, vq, lfq, clipsPerVideo, maxVideos);
      long t0 = System.nanoTime();
      VideoTokenizer t = TokenizerFitter.fit(m, plan, line -> {
        err.println(line);
        err.flush();
      });
      t.save(out);
      PrintWriter o = spec.commandLine().getOut();
      o.printf(Locale.ROOT, "saved %s tokenizer %s to %s (vocabulary %d, grid %s for %s) in %.1f s%n", k.label(),
          t.version(), out, t.vocabSize(), t.gridShape(s), s.key(), (System.nanoTime() - t0) / 1e9);
      return 0;
    }
  }

  static TokenizerKind parseKind(String kind) {
    for (TokenizerKind k : TokenizerKind.values()) {
      if (k.label().equals(kind.toLowerCase(Locale.ROOT))) {
        return k;
      }
    }
    throw new IllegalArgumentException("--kind must be vq or lfq, got '" + kind + "'.");
  }

  /** {@code dpvideo tokenizer eval}. */
  @Command(name = "eval", mixinStandardHelpOptions = true, description = "Reconstruction PSNR and SSIM (overall and per group), code usage and"
      + " perplexity of a tokenizer on held-out clips of a manifest.")
  static final class Eval implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--tokenizer", required = true, paramLabel = "FILE", description = "A fitted tokenizer.")
    Path tokenizer;

    @Option(names = "--manifest", paramLabel = "CSV", description = "Manifest (default: data/fluent-emoji/manifest.csv).")
    Path manifest;

    @Option(names = "--split", paramLabel = "train|val|test", defaultValue = "test", description = "Rows to evaluate on.")
    String split;

    @Option(names = "--group", paramLabel = "NAME", description = "Group column to break down by (default: the first one).")
    String group;

    @Option(names = "--include-private", description = "Also evaluate private rows. The figures are then"
        + " statistics of private data without differential privacy: internal use only.")
    boolean includePrivate;

    @Option(names = "--spec", paramLabel = "FxHxW@FPS", defaultValue = "9x32x32@8", description = "Clip spec.")
    String clipSpec;

    @Option(names = "--max-videos", paramLabel = "N", defaultValue = "200", description = "At most N videos.")
    int maxVideos;

    @Option(names = "--skip-bad", description = "Skip bad manifest rows (counted) instead of failing.")
    boolean skipBad;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      VideoTokenizer t = TokenizerStore.load(tokenizer);
      ClipSpec s = ClipSpec.parse(clipSpec);
      Split sp = Split.parseOrNull(split);
      if (sp == null) {
        throw new IllegalArgumentException("--split must be one of " + Split.allowed() + ", got '" + split + "'.");
      }
      Manifest m = Manifest.load(manifestOrDefault(manifest),
          ManifestOptions.DEFAULT.withSkipBad(skipBad).withRequireCaptions(false));
      List<ManifestRow> rows = m.rows(sp).stream()
          .filter(r -> includePrivate || r.provenance() == Provenance.PUBLIC).toList();
      if (rows.isEmpty()) {
        throw new IllegalArgumentException("manifest " + m.source() + " has no " + (includePrivate ? "" : "public ")
            + sp.label() + " rows to evaluate on.");
      }
      rows = rows.subList(0, Math.min(rows.size(), maxVideos));
      String g = group != null ? group : m.groupNames().isEmpty() ? null : m.groupNames().get(0);
      ClipSet clips = ClipSet.sample(rows, s, 1, done -> { });
      TokenizerEvaluation e = TokenizerEvaluator.evaluate(t, clips.clips(), clips.rows(), g);
      boolean anyPrivate = rows.stream().anyMatch(r -> r.provenance() == Provenance.PRIVATE);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        ObjectNode n = DataCommand.json().valueToTree(e);
        n.put("psnr_db", e.psnrDb());
        n.put("ssim", e.ssim());
        n.put("split", sp.label());
        n.put("group", g);
        n.put("released", anyPrivate ? "internal, not differentially private (includes private rows)"
            : "public data only");
        out.println(DataCommand.json().writeValueAsString(n));
        return 0;
      }
      out.printf(Locale.ROOT, "%s on %d %s clips (%s): PSNR %.2f dB, SSIM %.4f, code usage %.1f%%, perplexity %.1f%n",
          e.tokenizerVersion(), e.clips(), sp.label(), s.key(), e.psnrDb(), e.ssim(), 100 * e.codeUsage(),
          e.perplexity());
      e.perGroup().forEach((label, q) -> out.printf(Locale.ROOT, "  %s=%s: %d clips, PSNR %.2f dB, SSIM %.4f%n",
          g, label, q.clips(), q.psnrDb(), q.ssim()));
      out.printf(Locale.ROOT, "  encode %.0f frames/s, decode %.0f frames/s%n", e.encodeFramesPerSecond(),
          e.decodeFramesPerSecond());
      if (anyPrivate) {
        out.println("  (includes private rows: internal figures, not differentially private)");
      }
      return 0;
    }
  }

  /** {@code dpvideo tokenizer roundtrip IN OUT}. */
  @Command(name = "roundtrip", mixinStandardHelpOptions = true, description = "Encode a video to tokens and decode it back to a GIF or MP4, to"
      + " look at what the tokenizer keeps.")
  static final class Roundtrip implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "A video, image or frame folder.")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "Output .gif or .mp4 (original | reconstruction).")
    Path out;

    @Option(names = "--tokenizer", required = true, paramLabel = "FILE", description = "A fitted tokenizer.")
    Path tokenizer;

    @Option(names = "--spec", paramLabel = "FxHxW@FPS", defaultValue = "9x32x32@8", description = "Clip spec.")
    String clipSpec;

    @Option(names = "--start", paramLabel = "SECONDS", defaultValue = "0", description = "Where the clip starts.")
    double start;

    @Option(names = "--scale", paramLabel = "N", defaultValue = "4", description = "Upscale the output N times.")
    int scale;

    @Override
    public Integer call() throws Exception {
      VideoTokenizer t = TokenizerStore.load(tokenizer);
      ClipSpec s = ClipSpec.parse(clipSpec);
      t.gridShape(s);
      Clip clip = ClipSampler.sample(in, s, start);
      TokenGrid grid = t.encode(clip);
      Clip rec = t.decode(grid, clip.fps());
      TokenGrid again = t.encode(rec);
      int same = 0;
      int[] a = grid.ids();
      int[] b = again.ids();
      for (int i = 0; i < a.length; i++) {
        same += a[i] == b[i] ? 1 : 0;
      }
      Clip sideBySide = new Clip(org.nd4j.linalg.factory.Nd4j.concat(2, clip.frames(), rec.frames()), clip.fps());
      VideoWriter.write(sideBySide, out, scale);
      PrintWriter o = spec.commandLine().getOut();
      o.printf(Locale.ROOT, "%s: %d tokens (%s) -> %s (left: input, right: reconstruction)%n", in, grid.size(),
          grid.shape(), out);
      o.printf(Locale.ROOT, "  PSNR %.2f dB, SSIM %.4f; tokens -> clip -> tokens keeps %d of %d ids (%.1f%%)%n",
          ReconstructionMetrics.psnr(clip, rec), ReconstructionMetrics.ssim(clip, rec), same, a.length,
          100.0 * same / a.length);
      return 0;
    }
  }
}
