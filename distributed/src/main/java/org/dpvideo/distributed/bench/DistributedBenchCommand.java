package org.dpvideo.distributed.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.dpvideo.dpsgd.clipping.DpsgdGlobalAdapt;
import org.dpvideo.dpsgd.dataparallel.DataParallelJob;
import org.dpvideo.dpsgd.dataparallel.ExampleBatcher;
import org.dpvideo.dpsgd.dataparallel.ModelRecipe;
import org.dpvideo.dpsgd.dataparallel.UnitDataset;
import org.dpvideo.dpsgd.dataparallel.UnitRecord;
import org.dpvideo.dpsgd.noise.Randomness;
import org.dpvideo.dpsgd.optim.OptimizerConfig;
import org.dpvideo.dpsgd.sampling.PrivacyUnit;
import org.dpvideo.dpsgd.train.DpConfig;
import org.dpvideo.dpsgd.train.DpTrainer;
import org.dpvideo.dpsgd.train.PerformanceOptions;
import org.dpvideo.distributed.SparkContexts;
import org.dpvideo.distributed.SparkDpTrainer;
import org.dpvideo.distributed.models.DecoderLmRecipe;
import org.dpvideo.distributed.models.MlpRecipe;
import org.dpvideo.distributed.models.SyntheticUnits;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dpvideo bench distributed}: the same private training (Global-Adapt, keyed Poisson sampling,
 * secure noise) timed in the single-process trainer and on Spark with 1, 2 and 4 partitions; prints
 * steps/s, the per-step overhead of the Spark path, the bytes each step moves, and a scaling model for
 * N machines built from the measured compute and overhead.
 */
@Command(name = "distributed", mixinStandardHelpOptions = true,
    description = "Time private steps in the single-process trainer and on Spark (local mode), with a scaling model.")
public final class DistributedBenchCommand implements Callable<Integer> {
  /** Which model to train. */
  enum ModelKind { LM, MLP }

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--model", defaultValue = "LM", description = "${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
  ModelKind modelKind;

  @Option(names = "--master", defaultValue = "local[2]", description = "Spark master (default ${DEFAULT-VALUE}).")
  String master;

  @Option(names = "--partitions", split = ",", defaultValue = "1,2,4",
      description = "Partition counts to time (default ${DEFAULT-VALUE}).")
  List<Integer> partitions;

  @Option(names = "--units", defaultValue = "1024", description = "Privacy units N (default ${DEFAULT-VALUE}).")
  int units;

  @Option(names = "--batch", defaultValue = "32", description = "Expected units per step q*N (default ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--steps", defaultValue = "8", description = "Timed steps per configuration (default ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--warmup", defaultValue = "2", description = "Untimed steps first (default ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--bandwidth-gbit", defaultValue = "10",
      description = "Network bandwidth of the scaling model, Gbit/s (default ${DEFAULT-VALUE}).")
  double bandwidthGbit;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Override
  public Integer call() {
    if (units < 1 || batch < 1 || batch > units || steps < 1 || warmup < 0 || partitions.isEmpty()
        || partitions.stream().anyMatch(p -> p < 1) || !(bandwidthGbit > 0)) {
      throw new IllegalArgumentException("need units >= 1, 1 <= batch <= units, steps >= 1, warmup >= 0, partitions"
          + " >= 1 and a positive bandwidth; got units " + units + ", batch " + batch + ", steps " + steps + ", warmup "
          + warmup + ", partitions " + partitions + ", bandwidth " + bandwidthGbit);
    }
    ModelRecipe recipe;
    List<UnitRecord> data;
    if (modelKind == ModelKind.LM) {
      DecoderLmRecipe lm = new DecoderLmRecipe(256, 32, 64, 4, 2, 0, 0, 7);
      recipe = lm;
      data = SyntheticUnits.decoderLm(lm, units, 11);
    } else {
      MlpRecipe mlp = new MlpRecipe(32, 64, 4, 7);
      recipe = mlp;
      data = SyntheticUnits.mlp(mlp, units, 1, 0, 11);
    }
    UnitDataset dataset = new UnitDataset(PrivacyUnit.EXAMPLE, data);
    int total = warmup + steps;
    DpConfig config = DpConfig.of(1.0, DpsgdGlobalAdapt.withDefaults(1.0), (double) batch / units, total, 1e-5);
    PerformanceOptions perf = PerformanceOptions.defaults().withMicroBatchSize(32);
    OptimizerConfig opt = OptimizerConfig.adam(1e-3);

    Map<String, Object> out = new LinkedHashMap<>();
    out.put("model", recipe.describe());
    out.put("units", units);
    out.put("expected_batch", batch);
    out.put("master", master);
    out.put("load_average", loadAverage());

    // Single process, same sampling scheme.
    double singleMs;
    long coordinates;
    try (var model = recipe.build()) {
      DpTrainer t = DpTrainer.builder(model, config, dataset.privacyUnits(), dataset.assembler(ExampleBatcher.STACK))
          .optimizer(opt).performance(perf).keyedSampling().build();
      singleMs = timeSteps(t::step);
      coordinates = model.parameters().trainableCount();
    }
    out.put("trained_parameters", coordinates);
    out.put("single_process_ms_per_step", round(singleMs));
    out.put("single_process_steps_per_s", round(1000 / singleMs));

    List<Map<String, Object>> runs = new ArrayList<>();
    double overheadOnePartition = Double.NaN;  // the smallest measured overhead
    JavaSparkContext sc = SparkContexts.start(master, "dpvideo bench distributed");
    try {
      for (int p : partitions) {
        DataParallelJob job = new DataParallelJob(master, p, recipe, ExampleBatcher.STACK, dataset, config, opt, perf,
            Randomness.secure());
        double ms;
        try (SparkDpTrainer t = SparkDpTrainer.builder(job).sparkContext(sc).build()) {
          ms = timeSteps(t::step);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("partitions", p);
        r.put("ms_per_step", round(ms));
        r.put("steps_per_s", round(1000 / ms));
        r.put("overhead_ms_per_step", round(ms - singleMs));
        r.put("broadcast_bytes_per_step", 4 * coordinates);
        r.put("aggregated_bytes_per_step", 4 * coordinates * p);
        runs.add(r);
        // The fixed cost of the Spark path is at most the smallest overhead measured.
        overheadOnePartition = Double.isNaN(overheadOnePartition) ? ms - singleMs
            : Math.min(overheadOnePartition, ms - singleMs);
      }
    } finally {
      sc.stop();
    }
    out.put("spark", runs);
    out.put("fixed_overhead_ms_per_step", round(Math.max(0, overheadOnePartition)));
    out.put("scaling_model", scaling(singleMs, Math.max(0, overheadOnePartition), 4 * coordinates));
    print(out);
    return 0;
  }

  /** The median wall time of the timed steps, in ms (robust to other load on a shared machine). */
  private double timeSteps(Runnable step) {
    for (int i = 0; i < warmup; i++) {
      step.run();
    }
    double[] ms = new double[steps];
    for (int i = 0; i < steps; i++) {
      long t0 = System.nanoTime();
      step.run();
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    java.util.Arrays.sort(ms);
    return steps % 2 == 1 ? ms[steps / 2] : (ms[steps / 2 - 1] + ms[steps / 2]) / 2;
  }

  /**
   * {@code t(N) = compute / N + overhead + broadcast(N) + aggregation(N)} with
   * {@code broadcast = aggregation = ceil(log2 N) * bytes / bandwidth} (torrent broadcast and a binary
   * aggregation tree each move the full vector once per level), compute split evenly, overhead the
   * measured fixed per-step cost of the Spark path (scheduling two stages, serialization).
   */
  private List<Map<String, Object>> scaling(double computeMs, double overheadMs, long bytes) {
    double bytesPerMs = bandwidthGbit * 1e9 / 8 / 1000;
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int n : new int[] {1, 2, 4, 8, 16, 32, 64}) {
      int levels = n == 1 ? 0 : 32 - Integer.numberOfLeadingZeros(n - 1);
      double network = 2 * levels * bytes / bytesPerMs;
      double t = computeMs / n + overheadMs + network;
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("machines", n);
      r.put("ms_per_step", round(t));
      r.put("network_ms", round(network));
      r.put("speedup", round(computeMs / t));
      rows.add(r);
    }
    return rows;
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  @SuppressWarnings("unchecked")
  private void print(Map<String, Object> out) {
    PrintWriter w = spec.commandLine().getOut();
    if (json) {
      w.println(toJson(out));
      w.flush();
      return;
    }
    w.printf(Locale.ROOT, "model %s, %d units, expected batch %d, %d trained parameters, Spark master %s%n",
        out.get("model"), units, batch, (long) out.get("trained_parameters"), master);
    w.printf(Locale.ROOT, "load average: %s%n", out.get("load_average"));
    w.printf(Locale.ROOT, "median over %d steps after %d warm-up steps%n", steps, warmup);
    w.printf(Locale.ROOT, "single process:        %8.1f ms/step  %6.2f steps/s%n", out.get("single_process_ms_per_step"),
        out.get("single_process_steps_per_s"));
    for (Map<String, Object> r : (List<Map<String, Object>>) out.get("spark")) {
      w.printf(Locale.ROOT, "spark, %d partition(s): %8.1f ms/step  %6.2f steps/s  overhead %+7.1f ms/step  broadcast %d B,"
          + " aggregated %d B per step%n", r.get("partitions"), r.get("ms_per_step"), r.get("steps_per_s"),
          r.get("overhead_ms_per_step"), r.get("broadcast_bytes_per_step"), r.get("aggregated_bytes_per_step"));
    }
    w.printf(Locale.ROOT, "scaling model (%.0f Gbit/s, fixed overhead %.1f ms = the smallest measured; t(N) = compute/N"
        + " + overhead + 2 ceil(log2 N) bytes/bandwidth):%n", bandwidthGbit, out.get("fixed_overhead_ms_per_step"));
    for (Map<String, Object> r : (List<Map<String, Object>>) out.get("scaling_model")) {
      w.printf(Locale.ROOT, "  %3d machines: %8.1f ms/step (network %.2f ms), speedup %.2f%n", r.get("machines"),
          r.get("ms_per_step"), r.get("network_ms"), r.get("speedup"));
    }
    w.flush();
  }

  private static String toJson(Object o) {
    if (o instanceof Map<?, ?> m) {
      StringBuilder b = new StringBuilder("{");
      for (var e : m.entrySet()) {
        if (b.length() > 1) {
          b.append(',');
        }
        b.append('"').append(e.getKey()).append("\":").append(toJson(e.getValue()));
      }
      return b.append('}').toString();
    }
    if (o instanceof List<?> l) {
      StringBuilder b = new StringBuilder("[");
      for (Object x : l) {
        if (b.length() > 1) {
          b.append(',');
        }
        b.append(toJson(x));
      }
      return b.append(']').toString();
    }
    if (o instanceof String s) {
      return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
    return String.valueOf(o);
  }
}
