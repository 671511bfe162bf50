package org.dpvideo.dpsgd.audit;

import java.util.Objects;
import java.util.OptionalLong;
import org.dpvideo.dpsgd.accounting.AccountantKind;

/**
 * The settings of one audit run. Privacy settings (noise, q, steps, delta, C) are those of the audited
 * DP-SGD run; the rest say how canaries are made and guessed.
 *
 * @param model the audited model family
 * @param mode white-box (gradient canaries) or black-box (input canaries)
 * @param canaries m, the number of canaries, each included with probability 1/2; &gt;= 2
 * @param gradientCanary the white-box canary direction (ignored in black-box mode)
 * @param noise the noise multiplier or the ε it is calibrated to
 * @param samplingRate q, Poisson rate of every unit (data rows and canaries), in (0, 1]
 * @param steps T, &gt;= 1
 * @param delta the δ of the accounted ε and of the bound, in (0, 1/(2m)]
 * @param clipNorm C, finite and &gt; 0
 * @param learningRate plain SGD learning rate, finite and &gt; 0
 * @param hiddenWidth width of the MLP's two hidden layers, &gt;= 1
 * @param confidence 1 - β of the reported bound, in (0, 1)
 * @param guesses the (k+, k-) choices, or null for {@link GuessPlan#standard(int)}
 * @param accountant the accountant of the claimed ε
 * @param seed the seed of every random stream (canary bits, sampling, noise, canary design, model
 *     initialisation), or empty for secure randomness; a seeded audit is reproducible
 * @param microBatchSize examples per forward/backward pass (performance only), &gt;= 1
 */
public record AuditConfig(AuditedModel model, AuditMode mode, int canaries, GradientCanary gradientCanary,
    NoiseSetting noise, double samplingRate, int steps, double delta, double clipNorm, double learningRate,
    int hiddenWidth, double confidence, GuessPlan guesses, AccountantKind accountant, OptionalLong seed,
    int microBatchSize) {

  public AuditConfig {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(gradientCanary, "gradientCanary");
    Objects.requireNonNull(noise, "noise");
    Objects.requireNonNull(accountant, "accountant");
    Objects.requireNonNull(seed, "seed");
    if (canaries < 2) {
      throw new IllegalArgumentException("an audit needs at least 2 canaries, got " + canaries
          + "; one-run bounds need hundreds to be informative");
    }
    if (!(samplingRate > 0 && samplingRate <= 1)) {
      throw new IllegalArgumentException("sampling rate q must be in (0, 1], got " + samplingRate);
    }
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be >= 1, got " + steps);
    }
    if (!(delta > 0) || 2.0 * canaries * delta > 1) {
      throw new IllegalArgumentException("delta must be in (0, 1/(2m)] = (0, " + (0.5 / canaries) + "] for m = "
          + canaries + " canaries, got " + delta + "; the one-run bound adds 2 m delta to its p-value");
    }
    if (!(clipNorm > 0) || Double.isInfinite(clipNorm)) {
      throw new IllegalArgumentException("clip norm C must be finite and > 0, got " + clipNorm);
    }
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learning rate must be finite and > 0, got " + learningRate);
    }
    if (hiddenWidth < 1) {
      throw new IllegalArgumentException("hidden width must be >= 1, got " + hiddenWidth);
    }
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("confidence must be in (0, 1), got " + confidence + "; 0.95 is usual");
    }
    if (guesses != null) {
      guesses.requireFits(canaries);
    }
    if (microBatchSize < 1) {
      throw new IllegalArgumentException("micro-batch size must be >= 1, got " + microBatchSize);
    }
  }

  /** The white-box defaults, {@link #defaults(AuditMode)} of {@link AuditMode#WHITE_BOX}. */
  public static AuditConfig defaults() {
    return defaults(AuditMode.WHITE_BOX);
  }

  /**
   * The defaults of {@code dpvideo audit}: MLP, m = 1000 canaries, target ε = 2, q = 0.1, δ = 1e-5,
   * C = 1, 95% confidence, the standard guess plan, PLD, secure randomness, and per mode
   * <ul>
   *   <li>white-box (Dirac canaries): T = 300 steps, SGD learning rate 0.5, hidden width 32 (the
   *       canary scores do not depend on the classifier, and their ranking not on the learning rate);</li>
   *   <li>black-box: T = 1000, learning rate 4, hidden width 128, so that the model can memorise
   *       mislabelled canaries at all (with less, even a noise-free run shows almost nothing).</li>
   * </ul>
   */
  public static AuditConfig defaults(AuditMode mode) {
    boolean white = Objects.requireNonNull(mode, "mode") == AuditMode.WHITE_BOX;
    return new AuditConfig(AuditedModel.MLP, mode, 1000, GradientCanary.DIRAC, new NoiseSetting.TargetEpsilon(2),
        0.1, white ? 300 : 1000, 1e-5, 1.0, white ? 0.5 : 4.0, white ? 32 : 128, 0.95, null, AccountantKind.PLD,
        OptionalLong.empty(), 256);
  }

  /** The guess plan in force: the given one, or the standard plan for m. */
  public GuessPlan guessPlan() {
    return guesses != null ? guesses : GuessPlan.standard(canaries);
  }

  /** Another mode. */
  public AuditConfig withMode(AuditMode m) {
    return new AuditConfig(model, m, canaries, gradientCanary, noise, samplingRate, steps, delta, clipNorm,
        learningRate, hiddenWidth, confidence, guesses, accountant, seed, microBatchSize);
  }

  /** Another number of canaries (a given guess plan must still fit). */
  public AuditConfig withCanaries(int m) {
    return new AuditConfig(model, mode, m, gradientCanary, noise, samplingRate, steps, delta, clipNorm,
        learningRate, hiddenWidth, confidence, guesses, accountant, seed, microBatchSize);
  }

  /** Another white-box canary direction. */
  public AuditConfig withGradientCanary(GradientCanary g) {
    return new AuditConfig(model, mode, canaries, g, noise, samplingRate, steps, delta, clipNorm,
        learningRate, hiddenWidth, confidence, guesses, accountant, seed, microBatchSize);
  }

  /** Another noise setting. */
  public AuditConfig withNoise(NoiseSetting n) {
    return new AuditConfig(model, mode, canaries, gradientCanary, n, samplingRate, steps, delta, clipNorm,
        learningRate, hiddenWidth, confidence, guesses, accountant, seed, microBatchSize);
  }

  /** Another sampling rate. */
  public AuditConfig withSamplingRate(double q) {
    return new AuditConfig(model, mode, canaries, gradientCanary, noise, q, steps, delta, clipNorm,
        learningRate, hiddenWidth, confidence, guesses, accountant, seed, microBatchSize);
  }

  /** Another number of steps. */
  public AuditConfig withSteps(int t) {
    return new AuditConfig(model, mode, canaries, gradientCanary, noise, samplingRate, t, delta, clipNorm,
        learningRate, hiddenWidth, confidence, guesses, accountant, seed, microBatchSize);
  }

  /** Another δ. */
  public AuditConfig withDelta(double d) {
    return new AuditConfig(model, mode, canaries, gradientCanary, noise, samplingRate, steps, d, clipNorm,
        learningRate, hiddenWidth, confidence, guesses, accountant, seed, microBatchSize);
  }

  /** Another clip norm. */
  public AuditConfig withClipNorm(double c) {
    return new AuditConfig(model, mode, canaries, gradientCanary, noise, samplingRate, steps, delta, c,
        learningRate, hiddenWidth, confidence, guesses, accountant, seed, microBatchSize);
  }

  /** Another learning rate. */
  public AuditConfig withLearningRate(double lr) {
    return new AuditConfig(model, mode, canaries, gradientCanary, noise, samplingRate, steps, delta, clipNorm,
        lr, hiddenWidth, confidence, guesses, accountant, seed, microBatchSize);
  }

  /** Another hidden width. */
  public AuditConfig withHiddenWidth(int w) {
    return new AuditConfig(model, mode, canaries, gradientCanary, noise, samplingRate, steps, delta, clipNorm,
        learningRate, w, confidence, guesses, accountant, seed, microBatchSize);
  }

  /** Another confidence. */
  public AuditConfig withConfidence(double c) {
    return new AuditConfig(model, mode, canaries, gradientCanary, noise, samplingRate, steps, delta, clipNorm,
        learningRate, hiddenWidth, c, guesses, accountant, seed, microBatchSize);
  }

  /** Another guess plan (null: the standard plan). */
  public AuditConfig withGuesses(GuessPlan g) {
    return new AuditConfig(model, mode, canaries, gradientCanary, noise, samplingRate, steps, delta, clipNorm,
        learningRate, hiddenWidth, confidence, g, accountant, seed, microBatchSize);
  }

  /** Another accountant. */
  public AuditConfig withAccountant(AccountantKind a) {
    return new AuditConfig(model, mode, canaries, gradientCanary, noise, samplingRate, steps, delta, clipNorm,
        learningRate, hiddenWidth, confidence, guesses, a, seed, microBatchSize);
  }

  /** Seeded, reproducible randomness (NOT private: reports say so). */
  public AuditConfig withSeed(long s) {
    return new AuditConfig(model, mode, canaries, gradientCanary, noise, samplingRate, steps, delta, clipNorm,
        learningRate, hiddenWidth, confidence, guesses, accountant, OptionalLong.of(s), microBatchSize);
  }

  /** Another micro-batch size. */
  public AuditConfig withMicroBatchSize(int b) {
    return new AuditConfig(model, mode, canaries, gradientCanary, noise, samplingRate, steps, delta, clipNorm,
        learningRate, hiddenWidth, confidence, guesses, accountant, seed, b);
  }
}
