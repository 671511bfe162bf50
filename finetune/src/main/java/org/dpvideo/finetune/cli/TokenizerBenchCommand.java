package org.dpvideo.finetune.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.dpvideo.tokenizer.VideoTokenizer;
import org.dpvideo.tokenizer.dataset.Manifest;
import org.dpvideo.tokenizer.dataset.ManifestOptions;
import org.dpvideo.tokenizer.dataset.ManifestRow;
import org.dpvideo.tokenizer.dataset.Provenance;
import org.dpvideo.tokenizer.dataset.Split;
import org.dpvideo.tokenizer.eval.TokenizerEvaluation;
import org.dpvideo.tokenizer.eval.TokenizerEvaluator;
import org.dpvideo.tokenizer.fit.ClipSet;
import org.dpvideo.tokenizer.lfq.LfqConfig;
import org.dpvideo.tokenizer.lfq.LfqTrainer;
import org.dpvideo.tokenizer.video.Clip;
import org.dpvideo.tokenizer.video.ClipSpec;
import org.dpvideo.tokenizer.vq.PatchVqTokenizer;
import org.dpvideo.tokenizer.vq.VqConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dpvideo bench tokenizer}: fits the VQ and the LFQ tokenizer on the same public training clips,
 * evaluates both on held-out public test clips (PSNR, SSIM, code usage) and measures encode/decode
 * throughput at the demo spec and a larger one.
 */
@Command(name = "tokenizer", mixinStandardHelpOptions = true, description = "Fit VQ and LFQ on public train clips, compare them on held-out"
    + " public test clips, and measure encode/decode throughput.")
public final class TokenizerBenchCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--manifest", paramLabel = "CSV", description = "Manifest (default: data/fluent-emoji/manifest.csv).")
  Path manifest;

  @Option(names = "--spec", paramLabel = "FxHxW@FPS", defaultValue = "9x32x32@8", description = "Clip spec.")
  String clipSpec;

  @Option(names = "--large-spec", paramLabel = "FxHxW@FPS", defaultValue = "17x64x64@8",
      description = "Second spec for throughput only.")
  String largeSpec;

  @Option(names = "--vocab", paramLabel = "N", defaultValue = "1024", description = "Vocabulary of both (power of two).")
  int vocab;

  @Option(names = "--lfq-seconds", paramLabel = "S", defaultValue = "180", description = "LFQ training budget.")
  long lfqSeconds;

  @Option(names = "--max-train", paramLabel = "N", defaultValue = "400", description = "Training videos.")
  int maxTrain;

  @Option(names = "--max-test", paramLabel = "N", defaultValue = "200", description = "Test videos.")
  int maxTest;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    ClipSpec s = ClipSpec.parse(clipSpec);
    ClipSpec large = ClipSpec.parse(largeSpec);
    if (Integer.bitCount(vocab) != 1) {
      throw new IllegalArgumentException("--vocab must be a power of two (LFQ has 2^bits codes), got " + vocab + ".");
    }
    PrintWriter err = spec.commandLine().getErr();
    Manifest m = Manifest.load(TokenizerCommand.manifestOrDefault(manifest),
        ManifestOptions.DEFAULT.withRequireCaptions(false)).filter(r -> r.provenance() == Provenance.PUBLIC);
    List<ManifestRow> train = spread(m.rows(Split.TRAIN), maxTrain);
    List<ManifestRow> test = spread(m.rows(Split.TEST), maxTest);
    if (train.isEmpty() || test.isEmpty()) {
      throw new IllegalArgumentException("the manifest needs public train and test rows, got " + train.size()
          + " and " + test.size() + ".");
    }
    err.println("decoding " + train.size() + " train and " + test.size() + " test videos at " + s.key());
    long t0 = System.nanoTime();
    ClipSet trainClips = ClipSet.sample(train, s, 1, d -> { });
    ClipSet testClips = ClipSet.sample(test, s, 1, d -> { });
    double decodeSeconds = (System.nanoTime() - t0) / 1e9;
    int decodedFrames = (train.size() + test.size()) * s.frames();

    err.println("fitting VQ...");
    t0 = System.nanoTime();
    VideoTokenizer vq = PatchVqTokenizer.fit(trainClips.clips(), VqConfig.DEFAULT.withCodebookSize(vocab));
    double vqSeconds = (System.nanoTime() - t0) / 1e9;
    err.println("training LFQ for up to " + lfqSeconds + " s...");
    t0 = System.nanoTime();
    LfqConfig lc = LfqConfig.DEFAULT.withBits(Integer.numberOfTrailingZeros(vocab))
        .withTimeBudget(Duration.ofSeconds(lfqSeconds));
    int[] steps = {0};
    VideoTokenizer lfq = LfqTrainer.fit(trainClips.clips(), lc, p -> steps[0] = p.step());
    double lfqSecondsUsed = (System.nanoTime() - t0) / 1e9;

    String group = m.groupNames().isEmpty() ? null : m.groupNames().get(0);
    TokenizerEvaluation ev = TokenizerEvaluator.evaluate(vq, testClips.clips(), testClips.rows(), group);
    TokenizerEvaluation el = TokenizerEvaluator.evaluate(lfq, testClips.clips(), testClips.rows(), group);
    List<Clip> largeClips = ClipSet.sample(test.subList(0, Math.min(32, test.size())), large, 1, d -> { }).clips();
    double[] vqLarge = throughput(vq, largeClips);
    double[] lfqLarge = throughput(lfq, largeClips);

    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ObjectNode n = DataCommand.json().createObjectNode();
      n.put("spec", s.key());
      n.put("train_clips", trainClips.size());
      n.put("test_clips", testClips.size());
      n.put("decode_frames_per_second", decodedFrames / decodeSeconds);
      ArrayNode rows = n.putArray("tokenizers");
      rows.add(row(ev, "vq", vqSeconds, 0, vqLarge, large));
      rows.add(row(el, "lfq", lfqSecondsUsed, steps[0], lfqLarge, large));
      out.println(DataCommand.json().writeValueAsString(n));
      return 0;
    }
    out.printf(Locale.ROOT, "%d public train clips, %d held-out public test clips, spec %s, vocabulary %d%n",
        trainClips.size(), testClips.size(), s.key(), vocab);
    out.printf(Locale.ROOT, "video decoding + sampling: %.0f frames/s of output clips%n", decodedFrames / decodeSeconds);
    out.println("| tokenizer | fit | test PSNR dB | test SSIM | code usage | encode frames/s | decode frames/s"
        + " | encode frames/s at " + large.key() + " |");
    out.println("|---|---|---|---|---|---|---|---|");
    print(out, "VQ (k-means++)", String.format(Locale.ROOT, "%.0f s", vqSeconds), ev, vqLarge[0]);
    print(out, "LFQ (learned)", String.format(Locale.ROOT, "%.0f s, %d steps", lfqSecondsUsed, steps[0]), el, lfqLarge[0]);
    out.printf(Locale.ROOT, "LFQ - VQ: %+.2f dB PSNR, %+.4f SSIM%n", el.psnrDb() - ev.psnrDb(), el.ssim() - ev.ssim());
    return 0;
  }

  private static void print(PrintWriter out, String name, String fit, TokenizerEvaluation e, double largeFps) {
    out.printf(Locale.ROOT, "| %s | %s | %.2f | %.4f | %.1f%% | %.0f | %.0f | %.0f |%n", name, fit, e.psnrDb(), e.ssim(),
        100 * e.codeUsage(), e.encodeFramesPerSecond(), e.decodeFramesPerSecond(), largeFps);
  }

  private static ObjectNode row(TokenizerEvaluation e, String kind, double fitSeconds, int steps, double[] large,
      ClipSpec largeSpec) {
    ObjectNode r = DataCommand.json().valueToTree(e);
    r.put("kind", kind);
    r.put("psnr_db", e.psnrDb());
    r.put("ssim", e.ssim());
    r.put("fit_seconds", fitSeconds);
    r.put("training_steps", steps);
    r.put("large_spec", largeSpec.key());
    r.put("large_encode_frames_per_second", large[0]);
    r.put("large_decode_frames_per_second", large[1]);
    return r;
  }

  /** {encode, decode} frames per second on {@code clips} (after a warm-up call). */
  private static double[] throughput(VideoTokenizer t, List<Clip> clips) {
    t.encodeBatch(clips.subList(0, 1));
    long t0 = System.nanoTime();
    var grids = t.encodeBatch(clips);
    double enc = (System.nanoTime() - t0) / 1e9;
    t.decodeBatch(grids.subList(0, 1), clips.get(0).fps());
    t0 = System.nanoTime();
    t.decodeBatch(grids, clips.get(0).fps());
    double dec = (System.nanoTime() - t0) / 1e9;
    int frames = clips.size() * clips.get(0).frameCount();
    return new double[] {frames / enc, frames / dec};
  }

  private static List<ManifestRow> spread(List<ManifestRow> rows, int n) {
    if (rows.size() <= n) {
      return rows;
    }
    java.util.ArrayList<ManifestRow> out = new java.util.ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(rows.get((int) ((long) i * rows.size() / n)));
    }
    return out;
  }
}
