package org.dpvideo.tokenizer.lfq;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.dpvideo.tokenizer.GridShape;
import org.dpvideo.tokenizer.TubeLayout;
import org.dpvideo.tokenizer.video.Clip;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Trains an {@link LfqTokenizer} on public clips: {@link DataInitialization} (PCA-sign encoder, per-code
 * mean tubes), then random mini-batches, Adam (Kingma and Ba, 2015) with
 * a 20-step linear warm-up and cosine decay to 10% of the peak rate over the run, where the run's
 * progress is the larger of the step fraction and the time fraction (so a time budget ends training
 * with a decayed rate). Stops at {@link LfqConfig#maxSteps()} or {@link LfqConfig#timeBudget()},
 * whichever comes first; the budget counts from the start of the initialization (the clips are
 * decoded before and do not count).
 *
 * <p>Training data must be public footage: the decoder memorises what it is trained on. Stateless;
 * thread-safe.
 */
public final class LfqTrainer {
  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.99;
  private static final double EPS = 1e-8;

  private LfqTrainer() {}

  /**
   * Trains on {@code clips} (all of one size, {@code 1 + k * temporalPatch} frames).
   *
   * @param progress receives a snapshot about every 10 steps and at the end (may be a no-op)
   */
  public static LfqTokenizer fit(List<Clip> clips, LfqConfig config, Consumer<TrainingProgress> progress) {
    if (clips.isEmpty()) {
      throw new IllegalArgumentException("training an LFQ tokenizer needs at least one clip.");
    }
    TubeLayout layout = new TubeLayout(config.temporalPatch(), config.spatialPatch());
    // Check the spec through the tokenizer's rule before spending time.
    GridShape grid = new LfqTokenizer(config, LfqNetwork.initParameters(config, layout.tubeDim(), 0))
        .gridShape(clips.get(0).frameCount(), clips.get(0).height(), clips.get(0).width());
    int tokens = grid.size();
    List<INDArray> chunks = new ArrayList<>();
    for (int s = 0; s < clips.size(); s += 64) {
      chunks.add(LfqTokenizer.networkInput(layout, clips.subList(s, Math.min(clips.size(), s + 64))));
    }
    INDArray data = chunks.size() == 1 ? chunks.get(0) : Nd4j.concat(0, chunks.toArray(new INDArray[0]));
    int n = (int) (data.size(0) / tokens);
    data = data.reshape('c', n, (long) tokens * layout.tubeDim());

    long start = System.nanoTime(); // the budget covers initialization and training, not clip decoding
    double budget = config.timeBudget().toNanos() / 1e9;
    Map<String, INDArray> params = LfqNetwork.initParameters(config, layout.tubeDim(), config.seed());
    DataInitialization.apply(params, data.reshape('c', (long) n * tokens, layout.tubeDim()), config,
        new Random(config.seed()));
    int batch = Math.min(config.batchSize(), n);
    SameDiff sd = LfqNetwork.trainingGraph(params, config, layout.tubeDim(), grid, batch);
    List<String> names = LfqNetwork.names(params);
    Map<String, INDArray> m = new LinkedHashMap<>();
    Map<String, INDArray> v = new LinkedHashMap<>();
    for (String name : names) {
      m.put(name, Nd4j.zerosLike(params.get(name)));
      v.put(name, Nd4j.zerosLike(params.get(name)));
    }
    Random rng = new Random(config.seed() ^ 0x5DEECE66DL);
    TrainingProgress last = null;
    int[] order = shuffled(n, rng);
    int cursor = 0;
    for (int step = 1; step <= config.maxSteps(); step++) {
      double elapsed = (System.nanoTime() - start) / 1e9;
      double frac = Math.max((step - 1) / (double) config.maxSteps(), elapsed / budget);
      if (frac >= 1.0 && step > 1) {
        break;
      }
      double lr = config.learningRate() * Math.min(1.0, step / 20.0)
          * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * Math.min(1.0, frac))));
      int[] idx = new int[batch];
      for (int i = 0; i < batch; i++) {
        if (cursor == n) {
          order = shuffled(n, rng);
          cursor = 0;
        }
        idx[i] = order[cursor++];
      }
      INDArray rows = data.getRows(idx);
      INDArray x = rows.reshape('c', (long) batch * tokens, layout.tubeDim());
      Map<String, INDArray> grads = step == 1 ? quietly(() -> gradients(sd, x, names)) : gradients(sd, x, names);
      double b1c = 1 - Math.pow(BETA1, step);
      double b2c = 1 - Math.pow(BETA2, step);
      for (String name : names) {
        INDArray g = grads.get(name);
        INDArray p = sd.getVariable(name).getArr();
        adamStep(p, g, m.get(name), v.get(name), lr, b1c, b2c);
      }
      if (step % 10 == 0 || step == 1) {
        Map<String, INDArray> out = sd.output(Map.of("x", x), "loss", "mse");
        last = new TrainingProgress(step, (System.nanoTime() - start) / 1e9, out.get("loss").getDouble(0),
            out.get("mse").getDouble(0), lr);
        out.values().forEach(INDArray::close);
        progress.accept(last);
      }
      grads.values().forEach(INDArray::close);
      rows.close();
      if (step % 50 == 0) {
        // SameDiff's own intermediates are freed by their finalizers: collect them regularly so native
        // memory stays flat instead of growing to the JavaCPP cap.
        System.gc();
      }
    }
    Map<String, INDArray> trained = new LinkedHashMap<>();
    for (String name : names) {
      trained.put(name, sd.getVariable(name).getArr().dup());
    }
    return new LfqTokenizer(config, trained);
  }

  /**
   * One Adam update of {@code p} in place: {@code m = b1 m + (1 - b1) g}, {@code v = b2 v + (1 - b2) g^2},
   * {@code p -= lr (m / b1c) / (sqrt(v / b2c) + eps)}; temporaries are closed (no native-memory growth).
   */
  private static void adamStep(INDArray p, INDArray g, INDArray m, INDArray v, double lr, double b1c, double b2c) {
    m.muli(BETA1);
    Nd4j.getBlasWrapper().level1().axpy(g.length(), 1 - BETA1, g, m);
    v.muli(BETA2);
    try (INDArray g2 = g.mul(g)) {
      Nd4j.getBlasWrapper().level1().axpy(g.length(), 1 - BETA2, g2, v);
    }
    try (INDArray denom = v.div(b2c); INDArray step = m.div(b1c)) {
      org.nd4j.linalg.ops.transforms.Transforms.sqrt(denom, false).addi(EPS);
      step.divi(denom).muli(lr);
      p.subi(step);
    }
  }

  private static Map<String, INDArray> gradients(SameDiff sd, INDArray x, List<String> names) {
    return sd.calculateGradients(Map.of("x", x), names);
  }

  /** Runs {@code work} with stdout silenced (SameDiff prints a line per op when it builds gradients). */
  private static <T> T quietly(java.util.function.Supplier<T> work) {
    PrintStream original = System.out;
    System.setOut(new PrintStream(OutputStream.nullOutputStream()));
    try {
      return work.get();
    } finally {
      System.setOut(original);
    }
  }

  private static int[] shuffled(int n, Random rng) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  private static long[] toLong(int[] a) {
    long[] out = new long[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i];
    }
    return out;
  }
}
