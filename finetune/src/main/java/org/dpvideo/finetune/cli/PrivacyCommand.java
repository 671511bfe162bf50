package org.dpvideo.finetune.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.dpvideo.dpsgd.accounting.AccountantKind;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.accounting.DpEventJson;
import org.dpvideo.dpsgd.accounting.NoiseCalibration;
import org.dpvideo.dpsgd.accounting.PldAccountant;
import org.dpvideo.dpsgd.accounting.PrivacyAccountant;
import org.dpvideo.dpsgd.accounting.PrivacyGuarantee;
import org.dpvideo.dpsgd.accounting.RdpAccountant;
import org.dpvideo.dpsgd.accounting.UnsupportedEventException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dpvideo privacy ...}: the privacy guarantee of DP-SGD settings or of a composed event, and noise
 * calibration. The output (with {@code --json}) is a stable contract used by scripts and auditors: keys
 * {@code epsilon}, {@code delta}, {@code accountant}, {@code optimal_order} (RDP only) for
 * {@code epsilon}, and {@code noise_multiplier} (plus the same keys for the reached guarantee) for
 * {@code calibrate}. An epsilon that is infinite is written as JSON {@code null}.
 */
@Command(name = "privacy", mixinStandardHelpOptions = true, description = "Compute privacy guarantees and calibrate noise.",
    subcommands = {PrivacyCommand.Epsilon.class, PrivacyCommand.Calibrate.class})
public final class PrivacyCommand implements Runnable {
  private static final ObjectMapper JSON = new ObjectMapper();

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Options shared by the privacy subcommands. */
  static final class AccountingOptions {
    @Option(names = "--delta", required = true, paramLabel = "D",
        description = "Target delta, in (0, 1); usually well below 1/(number of privacy units).")
    double delta;

    @Option(names = "--accountant", paramLabel = "pld|rdp", defaultValue = "pld",
        description = "Accountant: pld (tight, default) or rdp (Rényi DP).")
    String accountant;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    AccountantKind kind() {
      String name = accountant == null ? "" : accountant.trim().toLowerCase(Locale.ROOT);
      for (AccountantKind k : AccountantKind.values()) {
        if (k.cliName().equals(name)) {
          return k;
        }
      }
      throw new IllegalArgumentException("--accountant must be pld or rdp, got '" + accountant + "'.");
    }

    PrivacyAccountant newAccountant() {
      return kind() == AccountantKind.PLD ? new PldAccountant() : new RdpAccountant();
    }

    double checkedDelta() {
      if (!(delta > 0 && delta < 1)) {
        throw new IllegalArgumentException("--delta must be in (0, 1), got " + delta
            + "; use a value well below 1/(number of privacy units), for example 1e-5.");
      }
      return delta;
    }
  }

  /** {@code dpvideo privacy epsilon}. */
  @Command(name = "epsilon", mixinStandardHelpOptions = true,
      description = {"Epsilon at the given delta, for DP-SGD settings (--sampling-rate, --noise-multiplier,"
          + " --steps) or for a composed event in the JSON form of the event algebra (--events)."})
  static final class Epsilon implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    AccountingOptions options;

    @Option(names = "--sampling-rate", paramLabel = "Q",
        description = "Poisson sampling rate q in (0, 1]: expected batch size / number of privacy units.")
    Double samplingRate;

    @Option(names = "--noise-multiplier", paramLabel = "S",
        description = "Noise multiplier sigma > 0: noise standard deviation / clipping norm.")
    Double noiseMultiplier;

    @Option(names = "--steps", paramLabel = "T", description = "Number of DP-SGD steps, >= 1.")
    Integer steps;

    @Option(names = "--events", paramLabel = "FILE.json",
        description = "A composed event in the JSON form of the event algebra (see docs/accounting.md).")
    Path events;

    @Override
    public Integer call() {
      PrivacyAccountant accountant = options.newAccountant();
      double delta = options.checkedDelta();
      Map<String, Object> out = new LinkedHashMap<>();
      DpEvent event;
      if (events != null) {
        if (samplingRate != null || noiseMultiplier != null || steps != null) {
          throw new IllegalArgumentException("--events cannot be combined with --sampling-rate, --noise-multiplier"
              + " or --steps; give either the events file or the three DP-SGD settings.");
        }
        event = readEvents(events);
        out.put("events_file", events.toString());
      } else {
        requirePresent("--sampling-rate", samplingRate);
        requirePresent("--noise-multiplier", noiseMultiplier);
        requirePresent("--steps", steps);
        event = DpEvent.dpSgd(checkedSamplingRate(samplingRate), checkedNoiseMultiplier(noiseMultiplier),
            checkedSteps(steps));
        out.put("sampling_rate", samplingRate);
        out.put("noise_multiplier", noiseMultiplier);
        out.put("steps", steps);
      }
      PrivacyGuarantee g = epsilonOf(accountant, event, delta);
      Map<String, Object> json = new LinkedHashMap<>();
      putGuarantee(json, g);
      json.putAll(out);
      PrintWriter w = spec.commandLine().getOut();
      if (options.json) {
        w.println(toJson(json));
      } else {
        w.println("epsilon = " + formatEpsilon(g.epsilon()) + " at delta = " + formatNumber(g.delta()) + " ("
            + describeAccountant(g) + ")");
      }
      w.flush();
      return 0;
    }

    private static void requirePresent(String option, Object value) {
      if (value == null) {
        throw new IllegalArgumentException("missing " + option + "; give --sampling-rate, --noise-multiplier and"
            + " --steps, or --events FILE.json.");
      }
    }
  }

  /** {@code dpvideo privacy calibrate}. */
  @Command(name = "calibrate", mixinStandardHelpOptions = true,
      description = {"The smallest noise multiplier that reaches --target-epsilon at --delta for DP-SGD with"
          + " the given sampling rate and number of steps (bisection to 0.1%% relative; the reached epsilon"
          + " never exceeds the target)."})
  static final class Calibrate implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    AccountingOptions options;

    @Option(names = "--target-epsilon", required = true, paramLabel = "E", description = "Target epsilon > 0.")
    double targetEpsilon;

    @Option(names = "--sampling-rate", required = true, paramLabel = "Q",
        description = "Poisson sampling rate q in (0, 1].")
    double samplingRate;

    @Option(names = "--steps", required = true, paramLabel = "T", description = "Number of DP-SGD steps, >= 1.")
    int steps;

    @Override
    public Integer call() {
      PrivacyAccountant accountant = options.newAccountant();
      double delta = options.checkedDelta();
      if (!(targetEpsilon > 0) || Double.isInfinite(targetEpsilon)) {
        throw new IllegalArgumentException("--target-epsilon must be a finite number > 0, got " + targetEpsilon + ".");
      }
      checkedSamplingRate(samplingRate);
      checkedSteps(steps);
      NoiseCalibration.CalibratedNoise c = new NoiseCalibration(accountant)
          .noiseMultiplier(targetEpsilon, samplingRate, steps, delta);
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("noise_multiplier", c.noiseMultiplier());
      putGuarantee(json, c.guarantee());
      json.put("target_epsilon", targetEpsilon);
      json.put("sampling_rate", samplingRate);
      json.put("steps", steps);
      json.put("relative_tolerance", NoiseCalibration.DEFAULT_RELATIVE_TOLERANCE);
      PrintWriter w = spec.commandLine().getOut();
      if (options.json) {
        w.println(toJson(json));
      } else {
        w.println(String.format(Locale.ROOT, "noise_multiplier = %.4f reaches epsilon = %s at delta = %s (%s;"
                + " target %s, q = %s, %d steps)", c.noiseMultiplier(), formatEpsilon(c.guarantee().epsilon()),
            formatNumber(c.guarantee().delta()), describeAccountant(c.guarantee()), formatNumber(targetEpsilon),
            formatNumber(samplingRate), steps));
      }
      w.flush();
      return 0;
    }
  }

  static PrivacyGuarantee epsilonOf(PrivacyAccountant accountant, DpEvent event, double delta) {
    try {
      return accountant.epsilon(event, delta);
    } catch (UnsupportedEventException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  static DpEvent readEvents(Path file) {
    try {
      return DpEventJson.read(file);
    } catch (IllegalArgumentException e) {
      String detail = e.getMessage() == null ? "" : e.getMessage().replaceAll("\\s*\\R\\s*", " ");
      throw new IllegalArgumentException("--events is not a valid events file: " + detail, e);
    }
  }

  static double checkedSamplingRate(double q) {
    if (!(q > 0 && q <= 1)) {
      throw new IllegalArgumentException("--sampling-rate must be in (0, 1], got " + q
          + "; it is the expected batch size divided by the number of privacy units.");
    }
    return q;
  }

  static double checkedNoiseMultiplier(double sigma) {
    if (!(sigma > 0) || Double.isInfinite(sigma)) {
      throw new IllegalArgumentException("--noise-multiplier must be a finite number > 0, got " + sigma
          + "; it is the noise standard deviation divided by the clipping norm.");
    }
    return sigma;
  }

  static int checkedSteps(int steps) {
    if (steps < 1) {
      throw new IllegalArgumentException("--steps must be an integer >= 1, got " + steps + ".");
    }
    return steps;
  }

  static void putGuarantee(Map<String, Object> json, PrivacyGuarantee g) {
    json.put("epsilon", Double.isInfinite(g.epsilon()) ? null : g.epsilon());
    json.put("delta", g.delta());
    json.put("accountant", g.accountant().cliName());
    if (g.optimalOrder().isPresent()) {
      json.put("optimal_order", g.optimalOrder().getAsDouble());
    }
  }

  static String describeAccountant(PrivacyGuarantee g) {
    if (g.optimalOrder().isPresent()) {
      return g.accountant().cliName() + " accountant, optimal order " + formatOrder(g.optimalOrder().getAsDouble());
    }
    return g.accountant().cliName() + " accountant";
  }

  private static String formatOrder(double order) {
    return order == Math.rint(order) ? Long.toString((long) order) : Double.toString(order);
  }

  static String formatEpsilon(double eps) {
    return Double.isInfinite(eps) ? "infinity" : String.format(Locale.ROOT, "%.4f", eps);
  }

  /** A short form of a number for text output: 1e-5 rather than 1.0E-5, 4 rather than 4.0. */
  static String formatNumber(double x) {
    String s = Double.toString(x);
    int e = s.indexOf('E');
    String mantissa = e < 0 ? s : s.substring(0, e);
    if (mantissa.endsWith(".0")) {
      mantissa = mantissa.substring(0, mantissa.length() - 2);
    }
    return e < 0 ? mantissa : mantissa + "e" + s.substring(e + 1);
  }

  static String toJson(Map<String, Object> json) {
    try {
      return JSON.writeValueAsString(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON output: " + e.getMessage(), e);
    }
  }
}
