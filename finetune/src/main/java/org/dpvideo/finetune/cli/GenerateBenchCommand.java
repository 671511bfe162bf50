package org.dpvideo.finetune.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.dpvideo.dpsgd.noise.RandomStream;
import org.dpvideo.finetune.generate.VideoLmDecoding;
import org.dpvideo.finetune.model.CachedDecoder;
import org.dpvideo.finetune.model.RecomputingDecoder;
import org.dpvideo.finetune.model.VideoLm;
import org.dpvideo.finetune.model.VideoLmConfig;
import org.dpvideo.finetune.model.Vocabulary;
import org.dpvideo.finetune.sample.BatchDecoding;
import org.dpvideo.finetune.sample.GeneratedSample;
import org.dpvideo.finetune.sample.GenerationRequest;
import org.dpvideo.finetune.sample.GridSampler;
import org.dpvideo.finetune.sample.NextTokenDistribution;
import org.dpvideo.finetune.sample.SamplingConfig;
import org.dpvideo.finetune.sample.SamplingRandomness;
import org.dpvideo.finetune.sample.TokenRange;
import org.dpvideo.finetune.task.Task;
import org.dpvideo.finetune.task.TaskLayout;
import org.dpvideo.finetune.task.TaskPrompts;
import org.dpvideo.tokenizer.GridShape;
import org.dpvideo.tokenizer.TokenGrid;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dpvideo bench generate}: the time to generate one 8-frame sticker (image-to-video on the demo
 * grid: the first frame's 8x8 tokens given, 4 token rows = 8 frames generated, 256 tokens) with the
 * KV-cache decoder and with the recomputing decoder, without and with classifier-free guidance, and the
 * amortized time per sticker when a batch of samples is generated together with the cache. Timings do
 * not depend on the weights, so the demo architecture is built with initial weights. Also checks that
 * both decoders give the same greedy tokens and prints the sampler's own cost per token.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Time generating one 8-frame sticker with and without the KV cache, and a batch with it.")
public final class GenerateBenchCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Option(names = "--repetitions", defaultValue = "3",
      description = "Timed stickers per setting after one warm-up (default ${DEFAULT-VALUE}).")
  int repetitions;

  @Option(names = "--batch", defaultValue = "8",
      description = "Samples generated together in the batched setting (default ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--cfg-scale", defaultValue = "3", description = "Guidance scale of the guided settings"
      + " (default ${DEFAULT-VALUE}).")
  double cfgScale;

  @Option(names = "--video-codes", defaultValue = "1024",
      description = "Video tokenizer vocabulary of the model (default ${DEFAULT-VALUE}).")
  int videoCodes;

  @Option(names = "--skip-recompute", description = "Skip the (slow) decoder without cache.")
  boolean skipRecompute;

  @Override
  public Integer call() throws IOException {
    if (repetitions < 1 || batch < 1) {
      throw new IllegalArgumentException("--repetitions and --batch must be >= 1, got " + repetitions + " and " + batch
          + ".");
    }
    if (!(cfgScale > 1) || !Double.isFinite(cfgScale)) {
      throw new IllegalArgumentException("--cfg-scale must be finite and > 1 (the guided settings), got " + cfgScale
          + ".");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    VideoLmConfig config = VideoLmConfig.demo(videoCodes);
    Vocabulary vocab = config.vocabulary();
    TaskLayout layout = new TaskLayout(Task.IMAGE_TO_VIDEO, new GridShape(5, 8, 8), TaskPrompts.DEFAULT_CAPTION_TOKENS);
    RandomStream r = RandomStream.seeded(1, "bench generate condition");
    int[] codes = new int[layout.grid().size()];
    for (int i = 0; i < codes.length; i++) {
      codes[i] = r.nextInt(videoCodes);
    }
    int[] prefix = TaskPrompts.prefix(layout, vocab, new TokenGrid(layout.grid(), codes), "waving hand", null);
    int[] nullPrefix = TaskPrompts.nullCondition(prefix, prefix.length);
    GridShape output = new GridShape(layout.grid().t() - layout.firstOutputRow(), layout.grid().h(),
        layout.grid().w());
    TokenRange videoIds = TokenRange.videoCodes(vocab.textSize(), videoCodes);
    GenerationRequest request = new GenerationRequest(prefix, nullPrefix, output, videoIds);
    SamplingConfig plain = SamplingConfig.DEFAULT.withAllowed(videoIds);
    SamplingConfig guided = plain.withCfgScale(cfgScale);
    String load = loadAverage();
    err.println("bench generate: " + config.describe() + "; " + layout.label() + ", prefix " + prefix.length
        + " tokens, " + output.size() + " generated; load " + load);

    List<Row> rows = new ArrayList<>();
    try (VideoLm lm = VideoLm.create(config, 1)) {
      CachedDecoder cached = new CachedDecoder(lm, layout.sequenceLength());
      BatchDecoding cachedBatches = VideoLmDecoding.cached(cached);
      rows.add(time("KV cache", 1, new GridSampler(cachedBatches, plain, 1), request, 1, err));
      rows.add(time("KV cache", cfgScale, new GridSampler(cachedBatches, guided, 1), request, 1, err));
      rows.add(time("KV cache, batch " + batch, cfgScale, new GridSampler(cachedBatches, guided, batch), request,
          batch, err));
      boolean same = true;
      int differing = 0;
      if (!skipRecompute) {
        RecomputingDecoder recomputing = new RecomputingDecoder(lm, layout.sequenceLength());
        rows.add(time("no cache", 1, new GridSampler(recomputing, plain), request, 1, err));
        rows.add(time("no cache", cfgScale, new GridSampler(recomputing, guided), request, 1, err));
        SamplingConfig greedy = SamplingConfig.greedy().withAllowed(videoIds);
        int[] a = new GridSampler(cachedBatches, greedy, 1).generate(request, 1, SamplingRandomness.seeded(3)).get(0)
            .tokens();
        int[] b = new GridSampler(recomputing, greedy).generate(request, 1, SamplingRandomness.seeded(3)).get(0)
            .tokens();
        for (int i = 0; i < a.length; i++) {
          if (a[i] != b[i]) {
            differing++;
          }
        }
        same = Arrays.equals(a, b);
      }
      double samplerMicros = samplerMicrosPerToken(vocab.size(), videoIds);
      print(out, err, rows, load, config, layout, output.size(), same, differing, samplerMicros);
    }
    return 0;
  }

  private record Row(String decoder, double cfg, int batch, double firstSeconds, double medianSeconds,
      double minSeconds, int tokens) {
    double secondsPerSticker() {
      return medianSeconds / batch;
    }

    double tokensPerSecond() {
      return tokens * batch / medianSeconds;
    }
  }

  private Row time(String name, double cfg, GridSampler sampler, GenerationRequest request, int count,
      PrintWriter err) {
    long t0 = System.nanoTime();
    List<GeneratedSample> warm = sampler.generate(request, count, SamplingRandomness.seeded(100));
    double first = (System.nanoTime() - t0) / 1e9;
    double[] s = new double[repetitions];
    for (int i = 0; i < repetitions; i++) {
      System.gc(); // native buffers of the previous run are freed at collection, not inside the timing
      t0 = System.nanoTime();
      sampler.generate(request, count, SamplingRandomness.seeded(i));
      s[i] = (System.nanoTime() - t0) / 1e9;
    }
    Arrays.sort(s);
    Row row = new Row(name, cfg, count, first, s[s.length / 2], s[0], warm.get(0).tokens().length);
    err.printf(Locale.ROOT, "  %s cfg %s: %.2f s median%n", name, fmt(cfg), row.medianSeconds());
    return row;
  }

  /** The sampler's own cost per token: distribution (allowed range, top-k 64) and one draw, no model. */
  private static double samplerMicrosPerToken(int vocab, TokenRange allowed) {
    RandomStream r = RandomStream.seeded(2, "bench generate logits");
    float[] logits = new float[vocab];
    for (int i = 0; i < vocab; i++) {
      logits[i] = (float) (3 * r.nextDouble());
    }
    SamplingConfig c = SamplingConfig.DEFAULT.withTopK(64).withAllowed(allowed);
    int n = 4000;
    int sink = 0;
    for (int i = 0; i < n; i++) { // warm-up
      sink += NextTokenDistribution.of(logits, c).draw(r::nextDouble);
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      sink += NextTokenDistribution.of(logits, c).draw(r::nextDouble);
    }
    double micros = (System.nanoTime() - t0) / 1e3 / n;
    return sink == Integer.MIN_VALUE ? -1 : micros;
  }

  private void print(PrintWriter out, PrintWriter err, List<Row> rows, String load, VideoLmConfig config,
      TaskLayout layout, int tokens, boolean same, int differing, double samplerMicros) throws IOException {
    if (json) {
      ObjectNode n = DataCommand.json().createObjectNode();
      n.put("model", config.describe());
      n.put("layout", layout.label());
      n.put("generated_tokens", tokens);
      n.put("load_average", load);
      n.put("repetitions", repetitions);
      var arr = n.putArray("settings");
      for (Row r : rows) {
        ObjectNode o = arr.addObject();
        o.put("decoder", r.decoder());
        o.put("cfg_scale", r.cfg());
        o.put("batch", r.batch());
        o.put("first_seconds", r.firstSeconds());
        o.put("median_seconds", r.medianSeconds());
        o.put("min_seconds", r.minSeconds());
        o.put("seconds_per_sticker", r.secondsPerSticker());
        o.put("tokens_per_second", r.tokensPerSecond());
      }
      if (!skipRecompute) {
        n.put("greedy_tokens_identical", same);
        n.put("greedy_tokens_differing", differing);
      }
      n.put("sampler_microseconds_per_token", samplerMicros);
      out.println(DataCommand.json().writeValueAsString(n));
      out.flush();
      return;
    }
    out.printf(Locale.ROOT, "model: %s%n", config.describe());
    out.printf(Locale.ROOT, "task: %s, %d generated tokens (8 frames); %d timed runs per setting after one warm-up;"
        + " load average %s%n", layout.label(), tokens, repetitions, load);
    out.println("| decoder | cfg | samples per run | first run s | median s | min s | s per sticker | tokens/s |");
    out.println("|---|---|---|---|---|---|---|---|");
    for (Row r : rows) {
      out.printf(Locale.ROOT, "| %s | %s | %d | %.2f | %.2f | %.2f | %.3f | %.0f |%n", r.decoder(), fmt(r.cfg()),
          r.batch(), r.firstSeconds(), r.medianSeconds(), r.minSeconds(), r.secondsPerSticker(), r.tokensPerSecond());
    }
    if (!skipRecompute) {
      Row cached = rows.get(0);
      Row recomputed = rows.get(3);
      out.printf(Locale.ROOT, "KV cache speed-up (cfg 1): %.1fx; greedy tokens of both decoders %s%n",
          recomputed.medianSeconds() / cached.medianSeconds(), same ? "identical"
              : "differ at " + differing + " of " + tokens + " positions");
    }
    out.printf(Locale.ROOT, "sampler alone (top-k 64 over %d allowed ids): %.1f us per token%n",
        config.videoVocabulary(), samplerMicros);
    out.flush();
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
