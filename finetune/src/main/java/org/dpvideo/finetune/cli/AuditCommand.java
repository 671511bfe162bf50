package org.dpvideo.finetune.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.dpvideo.dpsgd.accounting.AccountantKind;
import org.dpvideo.dpsgd.audit.AuditConfig;
import org.dpvideo.dpsgd.audit.AuditDataset;
import org.dpvideo.dpsgd.audit.AuditMode;
import org.dpvideo.dpsgd.audit.AuditReport;
import org.dpvideo.dpsgd.audit.AuditVerdict;
import org.dpvideo.dpsgd.audit.AuditedModel;
import org.dpvideo.dpsgd.audit.BrokenMechanism;
import org.dpvideo.dpsgd.audit.CanaryAudit;
import org.dpvideo.dpsgd.audit.DeliberatelyBrokenMechanism;
import org.dpvideo.dpsgd.audit.GradientCanary;
import org.dpvideo.dpsgd.audit.GuessPlan;
import org.dpvideo.dpsgd.audit.NoiseSetting;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dpvideo audit}: an empirical lower bound on ε from one training run with canaries (Steinke,
 * Nasr and Jagielski 2023), compared with the accounted ε. See docs/audit.md for the method, the JSON
 * keys and what a consistent verdict does not prove.
 *
 * <p>Exit status: 0 when the verdict is the expected one (consistent for a correct run, VIOLATION for a
 * deliberately broken run), 1 otherwise (a correct run that violates its ε, or a broken run the audit
 * failed to catch), 2 for bad input. Audits never read or write a privacy ledger.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
    description = {"Audit DP-SGD empirically: train once with m canaries (each included with probability 1/2),"
        + " score them, and turn the correct guesses into a lower bound on epsilon at the given confidence"
        + " (one-run auditing, Steinke, Nasr and Jagielski 2023). Prints the accounted epsilon, the lower"
        + " bound, the guesses r and correct guesses v, and the verdict (consistent / VIOLATION).",
        "A consistent verdict is not a proof of privacy. Audit data must be public or synthetic: an audit"
        + " is not recorded in any ledger."})
public final class AuditCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--model", paramLabel = "mlp", defaultValue = "mlp",
      description = "The audited model: mlp (two tanh hidden layers). Default: ${DEFAULT-VALUE}.")
  String model;

  @Option(names = "--mode", paramLabel = "white-box|black-box", defaultValue = "white-box",
      description = "white-box: gradient canaries scored against the model updates; black-box: mislabelled"
          + " input canaries scored by the final model's loss. Default: ${DEFAULT-VALUE}.")
  String mode;

  @Option(names = "--canaries", paramLabel = "M", defaultValue = "1000",
      description = "Number of canaries m, each included with probability 1/2. Default: ${DEFAULT-VALUE}.")
  int canaries;

  @Option(names = "--canary-gradient", paramLabel = "dirac|random-direction", defaultValue = "dirac",
      description = "White-box canary gradients: one coordinate each, or random directions. Default: ${DEFAULT-VALUE}.")
  String canaryGradient;

  @CommandLine.ArgGroup(exclusive = true, multiplicity = "0..1")
  Noise noise;

  /** Exactly one of the two noise options. */
  static final class Noise {
    @Option(names = "--epsilon", paramLabel = "E",
        description = "Calibrate the noise multiplier to this epsilon (default: 2).")
    Double epsilon;

    @Option(names = "--noise-multiplier", paramLabel = "S", description = "Use this noise multiplier sigma.")
    Double sigma;
  }

  @Option(names = "--delta", paramLabel = "D", defaultValue = "1e-5",
      description = "Delta of the accounted epsilon and of the bound, at most 1/(2m). Default: ${DEFAULT-VALUE}.")
  double delta;

  @Option(names = "--steps", paramLabel = "T",
      description = "DP-SGD steps (default: 300 white-box, 1000 black-box).")
  Integer steps;

  @Option(names = "--sampling-rate", paramLabel = "Q", defaultValue = "0.1",
      description = "Poisson sampling rate of every unit (data rows and canaries). Default: ${DEFAULT-VALUE}.")
  double samplingRate;

  @Option(names = "--clip-norm", paramLabel = "C", defaultValue = "1.0",
      description = "Per-unit clip norm C. Default: ${DEFAULT-VALUE}.")
  double clipNorm;

  @Option(names = "--learning-rate", paramLabel = "LR",
      description = "Plain SGD learning rate (default: 0.5 white-box, 4 black-box).")
  Double learningRate;

  @Option(names = "--hidden-width", paramLabel = "H",
      description = "Width of the MLP's hidden layers (default: 32 white-box, 128 black-box).")
  Integer hiddenWidth;

  @Option(names = "--confidence", paramLabel = "P", defaultValue = "0.95",
      description = "Confidence 1 - beta of the lower bound. Default: ${DEFAULT-VALUE}.")
  double confidence;

  @Option(names = "--guesses", paramLabel = "K | K+,K-",
      description = "Fix the guesses in advance: K positive and K negative, or K+ and K-. Default: the best of"
          + " 5%%, 10%%, 20%%, 50%% and 100%% of m (half each way), each at level beta/5.")
  String guesses;

  @Option(names = "--accountant", paramLabel = "pld|rdp", defaultValue = "pld",
      description = "Accountant of the claimed epsilon. Default: ${DEFAULT-VALUE}.")
  String accountant;

  @Option(names = "--seed", paramLabel = "K",
      description = "Seed every random stream (reproducible, NOT private); default: secure randomness.")
  Long seed;

  @Option(names = "--data", paramLabel = "FILE.csv",
      description = "Train on this CSV (header row, numeric features, one label column) instead of the generated"
          + " dataset (" + CanaryAudit.GENERATED_ROWS + " rows, " + CanaryAudit.GENERATED_FEATURES + " features, "
          + CanaryAudit.GENERATED_CLASSES + " classes). Public or synthetic data only.")
  Path data;

  @Option(names = "--label-column", paramLabel = "NAME", defaultValue = "label",
      description = "The CSV's label column. Default: ${DEFAULT-VALUE}.")
  String labelColumn;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Option(names = "--unsafe-broken-mechanism", paramLabel = "noise-off|clipping-off",
      description = "TEST ONLY: train with a deliberately broken mechanism while claiming the configured epsilon,"
          + " to check that the audit catches it. Needs --i-understand-this-run-is-not-private.")
  String brokenMechanism;

  @Option(names = "--i-understand-this-run-is-not-private",
      description = "Acknowledge that --unsafe-broken-mechanism trains without differential privacy.")
  boolean acknowledged;

  /** The generated dataset's seed when --seed is not given (synthetic, public data). */
  static final long DEFAULT_DATA_SEED = 7;

  @Override
  public Integer call() {
    AuditMode auditMode = AuditMode.parse(mode);
    AuditConfig config = AuditConfig.defaults(auditMode)
        .withCanaries(canaries)
        .withGradientCanary(GradientCanary.parse(canaryGradient))
        .withDelta(delta)
        .withSamplingRate(samplingRate)
        .withClipNorm(clipNorm)
        .withConfidence(confidence)
        .withAccountant(AccountantKind.parse(accountant));
    AuditedModel.parse(model);
    if (noise != null && noise.epsilon != null) {
      config = config.withNoise(new NoiseSetting.TargetEpsilon(noise.epsilon));
    } else if (noise != null && noise.sigma != null) {
      config = config.withNoise(new NoiseSetting.Multiplier(noise.sigma));
    }
    if (steps != null) {
      config = config.withSteps(steps);
    }
    if (learningRate != null) {
      config = config.withLearningRate(learningRate);
    }
    if (hiddenWidth != null) {
      config = config.withHiddenWidth(hiddenWidth);
    }
    if (guesses != null) {
      config = config.withGuesses(parseGuesses(guesses));
    }
    if (seed != null) {
      config = config.withSeed(seed);
    }
    DeliberatelyBrokenMechanism broken = null;
    if (brokenMechanism != null) {
      BrokenMechanism kind = BrokenMechanism.parse(brokenMechanism);
      if (!acknowledged) {
        throw new IllegalArgumentException("--unsafe-broken-mechanism " + kind.cliName() + " trains WITHOUT"
            + " differential privacy and exists only to test the audit; add --i-understand-this-run-is-not-private"
            + " to run it");
      }
      broken = DeliberatelyBrokenMechanism.create(kind, DeliberatelyBrokenMechanism.ACKNOWLEDGEMENT);
    } else if (acknowledged) {
      throw new IllegalArgumentException("--i-understand-this-run-is-not-private only goes with"
          + " --unsafe-broken-mechanism noise-off|clipping-off; a regular audit needs no acknowledgement");
    }
    AuditDataset dataset = loadData();
    AuditReport report = broken == null ? CanaryAudit.run(dataset, config, null)
        : CanaryAudit.runDeliberatelyBroken(dataset, config, broken, null);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(PrivacyCommand.toJson(report.toJson()));
    } else {
      out.print(report.toText());
    }
    out.flush();
    AuditVerdict expected = report.isBroken() ? AuditVerdict.VIOLATION : AuditVerdict.CONSISTENT;
    if (report.verdict() != expected) {
      PrintWriter err = spec.commandLine().getErr();
      err.println(report.isBroken()
          ? "audit: the deliberately broken run was NOT caught (lower bound " + report.epsilonLowerBound()
              + " <= claimed epsilon " + report.accountedEpsilon() + "); use more canaries or steps, or a smaller"
              + " claimed epsilon"
          : "audit: VIOLATION: the lower bound " + report.epsilonLowerBound() + " exceeds the accounted epsilon "
              + report.accountedEpsilon() + "; the training does not deliver the privacy it claims");
      err.flush();
      return 1;
    }
    return 0;
  }

  private AuditDataset loadData() {
    if (data == null) {
      return CanaryAudit.defaultDataset(seed != null ? seed : DEFAULT_DATA_SEED);
    }
    if (!Files.isRegularFile(data)) {
      throw new IllegalArgumentException("--data " + data + " is not a readable file; give a CSV with a header row");
    }
    try {
      return AuditDataset.readCsv(data, labelColumn);
    } catch (UncheckedIOException e) {
      throw new UserFacingException(e.getMessage(), e);
    }
  }

  static GuessPlan parseGuesses(String text) {
    String[] parts = text.split(",");
    try {
      if (parts.length == 1) {
        int k = Integer.parseInt(parts[0].trim());
        return GuessPlan.fixed(k, k);
      }
      if (parts.length == 2) {
        return GuessPlan.fixed(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("--guesses must be K or K+,K- (non-negative integers), got '" + text + "'");
  }
}
