package org.dpvideo.finetune.cli;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.accounting.PldAccountant;
import org.dpvideo.dpsgd.accounting.PrivacyAccountant;
import org.dpvideo.dpsgd.accounting.PrivacyGuarantee;
import org.dpvideo.dpsgd.accounting.RdpAccountant;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dpvideo bench accounting}: wall-clock time of epsilon for DP-SGD (default q = 0.01, sigma = 4,
 * T = 10000, delta = 1e-5, a setting with a published reference value) with the PLD and the RDP
 * accountant: the first call in this JVM (class loading and JIT included) and the median and minimum
 * of further repetitions, each on a new accountant instance.
 */
@Command(name = "accounting", mixinStandardHelpOptions = true,
    description = "Time epsilon for T DP-SGD steps with the PLD and the RDP accountant.")
public final class AccountingBenchCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Option(names = "--repetitions", defaultValue = "9", description = "Timed repetitions after the first call"
      + " (default ${DEFAULT-VALUE}).")
  int repetitions;

  @Option(names = "--steps", defaultValue = "10000", description = "DP-SGD steps (default ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--sampling-rate", defaultValue = "0.01", description = "Sampling rate (default ${DEFAULT-VALUE}).")
  double samplingRate;

  @Option(names = "--noise-multiplier", defaultValue = "4.0",
      description = "Noise multiplier (default ${DEFAULT-VALUE}).")
  double noiseMultiplier;

  @Option(names = "--delta", defaultValue = "1e-5", description = "Delta (default ${DEFAULT-VALUE}).")
  double delta;

  @Override
  public Integer call() {
    if (repetitions < 1) {
      throw new IllegalArgumentException("--repetitions must be >= 1, got " + repetitions + ".");
    }
    DpEvent event = DpEvent.dpSgd(PrivacyCommand.checkedSamplingRate(samplingRate),
        PrivacyCommand.checkedNoiseMultiplier(noiseMultiplier), PrivacyCommand.checkedSteps(steps));
    List<Map<String, Object>> results = new ArrayList<>();
    results.add(measure("pld", PldAccountant::new, event));
    results.add(measure("rdp", RdpAccountant::new, event));
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("sampling_rate", samplingRate);
    report.put("noise_multiplier", noiseMultiplier);
    report.put("steps", steps);
    report.put("delta", delta);
    report.put("repetitions", repetitions);
    report.put("available_processors", Runtime.getRuntime().availableProcessors());
    report.put("load_average_1min", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    report.put("java", System.getProperty("java.version"));
    report.put("results", results);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(PrivacyCommand.toJson(report));
    } else {
      out.printf(Locale.ROOT, "epsilon for q = %s, sigma = %s, T = %d, delta = %s (%d repetitions; %d cores,"
              + " load %.2f)%n", PrivacyCommand.formatNumber(samplingRate), PrivacyCommand.formatNumber(noiseMultiplier),
          steps, PrivacyCommand.formatNumber(delta), repetitions,
          Runtime.getRuntime().availableProcessors(),
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      out.printf(Locale.ROOT, "%-10s %10s %14s %11s %9s%n", "accountant", "epsilon", "first call ms", "median ms",
          "min ms");
      for (Map<String, Object> r : results) {
        out.printf(Locale.ROOT, "%-10s %10.6f %14.2f %11.3f %9.3f%n", r.get("accountant"), r.get("epsilon"),
            r.get("first_call_ms"), r.get("median_ms"), r.get("min_ms"));
      }
    }
    out.flush();
    return 0;
  }

  private Map<String, Object> measure(String name, java.util.function.Supplier<PrivacyAccountant> factory,
      DpEvent event) {
    long start = System.nanoTime();
    PrivacyGuarantee first = factory.get().epsilon(event, delta);
    double firstMs = (System.nanoTime() - start) / 1e6;
    double[] times = new double[repetitions];
    PrivacyGuarantee last = first;
    for (int i = 0; i < repetitions; i++) {
      long t0 = System.nanoTime();
      last = factory.get().epsilon(event, delta);
      times[i] = (System.nanoTime() - t0) / 1e6;
    }
    if (last.epsilon() != first.epsilon()) {
      throw new IllegalStateException(name + " accountant gave " + first.epsilon() + " and then " + last.epsilon()
          + " for the same event; the accountant must be deterministic");
    }
    Arrays.sort(times);
    double median = times.length % 2 == 1 ? times[times.length / 2]
        : 0.5 * (times[times.length / 2 - 1] + times[times.length / 2]);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("accountant", name);
    r.put("epsilon", first.epsilon());
    if (first.optimalOrder().isPresent()) {
      r.put("optimal_order", first.optimalOrder().getAsDouble());
    }
    r.put("first_call_ms", firstMs);
    r.put("median_ms", median);
    r.put("min_ms", times[0]);
    return r;
  }
}
