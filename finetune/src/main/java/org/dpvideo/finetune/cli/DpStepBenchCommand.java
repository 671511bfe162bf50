package org.dpvideo.finetune.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.dpvideo.dpsgd.clipping.ClippingState;
import org.dpvideo.dpsgd.clipping.Dpsgd;
import org.dpvideo.dpsgd.clipping.JointAccounting;
import org.dpvideo.dpsgd.clipping.NoisePlan;
import org.dpvideo.dpsgd.layers.DecoderLm;
import org.dpvideo.dpsgd.layers.DpModel;
import org.dpvideo.dpsgd.noise.LatticeGaussianMechanism;
import org.dpvideo.dpsgd.noise.Randomness;
import org.dpvideo.dpsgd.optim.NonPrivateOptimizer;
import org.dpvideo.dpsgd.optim.Optimizer;
import org.dpvideo.dpsgd.optim.OptimizerConfig;
import org.dpvideo.dpsgd.persample.NormStrategy;
import org.dpvideo.dpsgd.persample.PerSampleEngine;
import org.dpvideo.dpsgd.sampling.MicroBatchPlan;
import org.dpvideo.dpsgd.sampling.PrivacyUnits;
import org.dpvideo.dpsgd.step.NonPrivateStep;
import org.dpvideo.dpsgd.step.PrivateStep;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dpvideo bench dp-step}: the same model and batch timed as a non-private step (SameDiff's
 * parameter gradients, mean, Adam) and as a DP step (per-unit norms, clipping, clipped sum, secure
 * lattice noise, Adam), interleaved in one run after warm-up; prints the medians, their ratio, DP
 * tokens per second and the process's peak resident memory, plus process CPU time per step and the
 * fastest step of each kind (less sensitive to other load on the machine than the medians).
 */
@Command(name = "dp-step", mixinStandardHelpOptions = true,
    description = "Time a non-private and a DP training step of the same transformer and batch, interleaved.")
public final class DpStepBenchCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Option(names = "--repetitions", defaultValue = "9", description = "Timed pairs of steps (default ${DEFAULT-VALUE}).")
  int repetitions;

  @Option(names = "--warmup", defaultValue = "3", description = "Untimed pairs first (default ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--batch", defaultValue = "16", description = "Sequences per step B (default ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--length", defaultValue = "256", description = "Sequence length T (default ${DEFAULT-VALUE}).")
  int length;

  @Option(names = "--width", defaultValue = "128", description = "Model width d (default ${DEFAULT-VALUE}).")
  int width;

  @Option(names = "--heads", defaultValue = "4", description = "Attention heads (default ${DEFAULT-VALUE}).")
  int heads;

  @Option(names = "--layers", defaultValue = "4", description = "Transformer blocks (default ${DEFAULT-VALUE}).")
  int layers;

  @Option(names = "--vocabulary", defaultValue = "1024", description = "Vocabulary V (default ${DEFAULT-VALUE}).")
  int vocabulary;

  @Option(names = "--norm-strategy", defaultValue = "AUTO",
      description = "Per-unit norm method: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
  NormStrategy normStrategy;

  @Override
  public Integer call() {
    if (repetitions < 1 || warmup < 0 || batch < 1) {
      throw new IllegalArgumentException("--repetitions and --batch must be >= 1 and --warmup >= 0, got "
          + repetitions + ", " + batch + ", " + warmup + ".");
    }
    DecoderLm.Config config = new DecoderLm.Config(vocabulary, length, width, heads, layers, 0, 0);
    DpModel model = DecoderLm.build(config, 1);
    Map<String, INDArray> data = DecoderLm.randomBatch(config, batch, 2);
    OptimizerConfig adam = OptimizerConfig.adam(1e-4);

    NonPrivateStep nonPrivate = new NonPrivateStep(model);
    NonPrivateOptimizer nonPrivateOptimizer = new NonPrivateOptimizer(adam, nonPrivate.trainable());

    double samplingRate = 0.01;
    int units = (int) Math.round(batch / samplingRate);
    Dpsgd rule = new Dpsgd(1.0);
    PerSampleEngine engine = new PerSampleEngine(model, normStrategy, 256L << 20);
    Randomness randomness = Randomness.secure();
    PrivateStep dp = new PrivateStep(engine, rule, NoisePlan.of(1.0, JointAccounting.GRADIENT_MULTIPLIER, rule),
        LatticeGaussianMechanism.fromRandomness(randomness, "gradient-noise"), samplingRate, units);
    Optimizer dpOptimizer = new Optimizer(adam, engine.trainable());
    int[] all = new int[batch];
    Arrays.setAll(all, i -> i);
    MicroBatchPlan plan = MicroBatchPlan.of(all, PrivacyUnits.perExample(units), batch, 1,
        randomness.stream("sampling"));

    Runnable nonPrivateStep = () -> nonPrivateOptimizer.apply(nonPrivate.gradient(data));
    Runnable dpStep = () -> dpOptimizer.apply(dp.run(new ClippingState.Stateless(), plan, ids -> data, null, null, 0)
        .gradient());

    for (int i = 0; i < warmup; i++) {
      nonPrivateStep.run();
      dpStep.run();
    }
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    double[] npWall = new double[repetitions];
    double[] dpWall = new double[repetitions];
    double[] npCpu = new double[repetitions];
    double[] dpCpu = new double[repetitions];
    double loadBefore = os.getSystemLoadAverage();
    for (int i = 0; i < repetitions; i++) {
      long c0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      nonPrivateStep.run();
      long t1 = System.nanoTime();
      long c1 = os.getProcessCpuTime();
      dpStep.run();
      long t2 = System.nanoTime();
      long c2 = os.getProcessCpuTime();
      npWall[i] = (t1 - t0) / 1e9;
      dpWall[i] = (t2 - t1) / 1e9;
      npCpu[i] = (c1 - c0) / 1e9;
      dpCpu[i] = (c2 - c1) / 1e9;
    }
    double np = median(npWall);
    double dps = median(dpWall);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("nonprivate_step_s", np);
    report.put("dp_step_s", dps);
    report.put("ratio", dps / np);
    report.put("dp_tokens_per_s", batch * (double) length / dps);
    report.put("nonprivate_tokens_per_s", batch * (double) length / np);
    report.put("peak_memory_mb", peakResidentMb());
    double npMin = Arrays.stream(npWall).min().orElse(Double.NaN);
    double dpMin = Arrays.stream(dpWall).min().orElse(Double.NaN);
    report.put("nonprivate_step_min_s", npMin);
    report.put("dp_step_min_s", dpMin);
    report.put("ratio_of_minima", dpMin / npMin);
    report.put("dp_step_arena_peak_mb", model.peakStepBytes() / (1024.0 * 1024.0));
    report.put("nonprivate_step_cpu_s", median(npCpu));
    report.put("dp_step_cpu_s", median(dpCpu));
    report.put("cpu_ratio", median(dpCpu) / median(npCpu));
    report.put("nonprivate_step_s_all", npWall);
    report.put("dp_step_s_all", dpWall);
    report.put("model", Map.of("layers", layers, "width", width, "heads", heads, "length", length,
        "vocabulary", vocabulary, "batch", batch, "trainable_parameters", model.parameters().trainableCount()));
    report.put("norm_strategy", normStrategy.name().toLowerCase(Locale.ROOT));
    report.put("noise", randomness.label().jsonName());
    report.put("repetitions", repetitions);
    report.put("warmup", warmup);
    report.put("available_processors", Runtime.getRuntime().availableProcessors());
    report.put("load_average_1min_before", loadBefore);
    report.put("load_average_1min_after", os.getSystemLoadAverage());
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(PrivacyCommand.toJson(report));
    } else {
      out.printf(Locale.ROOT, "DP step vs non-private step: %d layers, d = %d, %d heads, B = %d, T = %d, V = %d"
              + " (%d trainable parameters), %d interleaved pairs after %d warm-up; %d cores, load %.2f -> %.2f%n",
          layers, width, heads, batch, length, vocabulary, model.parameters().trainableCount(), repetitions, warmup,
          Runtime.getRuntime().availableProcessors(), loadBefore, os.getSystemLoadAverage());
      out.printf(Locale.ROOT, "non-private step  median %.3f s  (cpu %.3f s)  %.0f tokens/s%n", np, median(npCpu),
          batch * (double) length / np);
      out.printf(Locale.ROOT, "DP step           median %.3f s  (cpu %.3f s)  %.0f tokens/s%n", dps, median(dpCpu),
          batch * (double) length / dps);
      out.printf(Locale.ROOT, "ratio             %.3f  (cpu %.3f; of the fastest steps %.3f: %.3f s vs %.3f s)%n", dps / np,
          median(dpCpu) / median(npCpu), Arrays.stream(dpWall).min().orElse(Double.NaN)
              / Arrays.stream(npWall).min().orElse(Double.NaN), Arrays.stream(dpWall).min().orElse(Double.NaN),
          Arrays.stream(npWall).min().orElse(Double.NaN));
      out.printf(Locale.ROOT, "peak memory       %.0f MB resident (step arena %.0f MB); noise: %s%n",
          peakResidentMb(), model.peakStepBytes() / (1024.0 * 1024.0), randomness.label().reportText());
    }
    out.flush();
    model.close();
    return 0;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
  }

  /** VmHWM of this process (Linux), or the JVM's own accounting elsewhere. */
  private static double peakResidentMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          String[] parts = line.trim().split("\\s+");
          return Long.parseLong(parts[1]) / 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through
    }
    return (Runtime.getRuntime().totalMemory()) / (1024.0 * 1024.0);
  }

}
