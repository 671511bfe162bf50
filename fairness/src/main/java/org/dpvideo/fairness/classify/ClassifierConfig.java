package org.dpvideo.fairness.classify;

import java.util.List;
import java.util.Objects;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.accounting.NoiseCalibration;
import org.dpvideo.dpsgd.accounting.PoissonSampledEvent;
import org.dpvideo.dpsgd.accounting.PrivacyAccountant;
import org.dpvideo.dpsgd.accounting.GaussianEvent;
import org.dpvideo.dpsgd.accounting.SelfComposedEvent;
import org.dpvideo.dpsgd.clipping.ClippingRule;
import org.dpvideo.dpsgd.clipping.JointAccounting;
import org.dpvideo.dpsgd.sampling.PrivacyUnit;
import org.dpvideo.dpsgd.train.DpConfig;

/**
 * Everything that defines one classifier run. The method, clipping, noise, δ, joint accounting, epochs
 * and batch size change the privacy guarantee (they fix q, the number of steps and the noise); the
 * learning rate, architecture, seed and diagnostics interval do not.
 *
 * <p>Training follows the fairness spec (§2.1): plain SGD without momentum; the private methods
 * Poisson-sample each example with q = min(1, B/N) for T = ⌈epochs / q⌉ steps and divide the noisy sum by
 * the expected batch size qN; the non-private method shuffles the data every epoch and takes
 * ⌈N/B⌉ mini-batches of (at most) B examples, averaging over the actual batch.
 *
 * @param method how to train
 * @param clipping clip norm C and the rule parameters (ignored by the non-private method)
 * @param noise the noise setting ({@link NoiseSetting.None} exactly for the non-private method)
 * @param delta the target δ, or NaN for the default 1/N^1.1 (N the number of training examples)
 * @param jointAccounting how σ is read for rules that also release counts (engine default: the gradient's σ)
 * @param epochs passes over the data, &gt;= 1
 * @param batchSize B, the (expected) batch size, &gt;= 1
 * @param learningRate η of plain SGD, finite and &gt; 0
 * @param hidden hidden layer widths of the MLP
 * @param activation hidden activation
 * @param seed seeds the initial weights, the non-private shuffling and, with {@link NoiseSource#SEEDED}, the
 *     private sampling and noise
 * @param noiseSource secure (default) or seeded (reproducible, not private)
 * @param diagnosticsEvery compute misalignment diagnostics every this many private steps; 0 for none
 */
public record ClassifierConfig(ClassifierMethod method, ClippingSettings clipping, NoiseSetting noise, double delta,
    JointAccounting jointAccounting, int epochs, int batchSize, double learningRate, List<Integer> hidden,
    Activation activation, long seed, NoiseSource noiseSource, int diagnosticsEvery) {

  /** Default hidden widths: the spec's tabular MLP 256-256. */
  public static final List<Integer> DEFAULT_HIDDEN = List.of(256, 256);

  /** Validates. */
  public ClassifierConfig {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(clipping, "clipping");
    Objects.requireNonNull(noise, "noise");
    Objects.requireNonNull(jointAccounting, "jointAccounting");
    Objects.requireNonNull(activation, "activation");
    Objects.requireNonNull(noiseSource, "noiseSource");
    hidden = List.copyOf(hidden);
    if (method.isPrivate() && noise instanceof NoiseSetting.None) {
      throw new IllegalArgumentException("method " + method.cliName() + " is private and needs noise: give a target"
          + " epsilon or a noise multiplier");
    }
    if (!method.isPrivate() && !(noise instanceof NoiseSetting.None)) {
      throw new IllegalArgumentException("the non-private method adds no noise and has no privacy guarantee; drop"
          + " the target epsilon / noise multiplier, or pick a private method");
    }
    if (!Double.isNaN(delta) && !(delta > 0 && delta < 1)) {
      throw new IllegalArgumentException("delta must be in (0, 1), got " + delta
          + "; pick a value well below 1/N, for example 1e-5 (or leave it out for 1/N^1.1)");
    }
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learning rate must be finite and > 0, got " + learningRate);
    }
    if (diagnosticsEvery < 0) {
      throw new IllegalArgumentException("diagnostics interval must be >= 0 steps (0 = off), got " + diagnosticsEvery);
    }
  }

  /**
   * A run with the spec's defaults: clip norm C with default rule parameters, 256-256 tanh MLP, δ = 1/N^1.1,
   * gradient-multiplier joint accounting, secure noise, seed 0, no diagnostics.
   */
  public static ClassifierConfig of(ClassifierMethod method, NoiseSetting noise, double clipNorm, int epochs,
      int batchSize, double learningRate) {
    return new ClassifierConfig(method, ClippingSettings.withDefaults(clipNorm), noise, Double.NaN,
        JointAccounting.GRADIENT_MULTIPLIER, epochs, batchSize, learningRate, DEFAULT_HIDDEN, Activation.TANH, 0,
        NoiseSource.SECURE, 0);
  }

  /** Another method and noise setting (they must agree). */
  public ClassifierConfig withMethod(ClassifierMethod m, NoiseSetting n) {
    return new ClassifierConfig(m, clipping, n, delta, jointAccounting, epochs, batchSize, learningRate, hidden,
        activation, seed, noiseSource, diagnosticsEvery);
  }

  /** Another noise setting. */
  public ClassifierConfig withNoise(NoiseSetting n) {
    return withMethod(method, n);
  }

  /** Other clipping settings. */
  public ClassifierConfig withClipping(ClippingSettings c) {
    return new ClassifierConfig(method, c, noise, delta, jointAccounting, epochs, batchSize, learningRate, hidden,
        activation, seed, noiseSource, diagnosticsEvery);
  }

  /** Another δ (NaN for the default). */
  public ClassifierConfig withDelta(double d) {
    return new ClassifierConfig(method, clipping, noise, d, jointAccounting, epochs, batchSize, learningRate, hidden,
        activation, seed, noiseSource, diagnosticsEvery);
  }

  /** Another joint accounting mode. */
  public ClassifierConfig withJointAccounting(JointAccounting j) {
    return new ClassifierConfig(method, clipping, noise, delta, j, epochs, batchSize, learningRate, hidden,
        activation, seed, noiseSource, diagnosticsEvery);
  }

  /** Another number of epochs. */
  public ClassifierConfig withEpochs(int e) {
    return new ClassifierConfig(method, clipping, noise, delta, jointAccounting, e, batchSize, learningRate, hidden,
        activation, seed, noiseSource, diagnosticsEvery);
  }

  /** Another batch size. */
  public ClassifierConfig withBatchSize(int b) {
    return new ClassifierConfig(method, clipping, noise, delta, jointAccounting, epochs, b, learningRate, hidden,
        activation, seed, noiseSource, diagnosticsEvery);
  }

  /** Another learning rate. */
  public ClassifierConfig withLearningRate(double lr) {
    return new ClassifierConfig(method, clipping, noise, delta, jointAccounting, epochs, batchSize, lr, hidden,
        activation, seed, noiseSource, diagnosticsEvery);
  }

  /** Another architecture. */
  public ClassifierConfig withArchitecture(List<Integer> widths, Activation a) {
    return new ClassifierConfig(method, clipping, noise, delta, jointAccounting, epochs, batchSize, learningRate,
        widths, a, seed, noiseSource, diagnosticsEvery);
  }

  /** Another seed. */
  public ClassifierConfig withSeed(long s) {
    return new ClassifierConfig(method, clipping, noise, delta, jointAccounting, epochs, batchSize, learningRate,
        hidden, activation, s, noiseSource, diagnosticsEvery);
  }

  /** Another noise source. */
  public ClassifierConfig withNoiseSource(NoiseSource s) {
    return new ClassifierConfig(method, clipping, noise, delta, jointAccounting, epochs, batchSize, learningRate,
        hidden, activation, seed, s, diagnosticsEvery);
  }

  /** Another diagnostics interval (0 = off). */
  public ClassifierConfig withDiagnosticsEvery(int steps) {
    return new ClassifierConfig(method, clipping, noise, delta, jointAccounting, epochs, batchSize, learningRate,
        hidden, activation, seed, noiseSource, steps);
  }

  /** q = min(1, B/N) for N training examples. */
  public double samplingRate(int trainingExamples) {
    requireExamples(trainingExamples);
    return Math.min(1.0, (double) batchSize / trainingExamples);
  }

  /** The number of steps: ⌈epochs / q⌉ for the private methods, epochs · ⌈N/B⌉ for the non-private one. */
  public long steps(int trainingExamples) {
    requireExamples(trainingExamples);
    if (!method.isPrivate()) {
      return (long) epochs * ((trainingExamples + batchSize - 1) / batchSize);
    }
    double q = samplingRate(trainingExamples);
    return (long) Math.ceil(epochs / q - 1e-9);
  }

  /** δ: as given, or 1/N^1.1. */
  public double delta(int trainingExamples) {
    requireExamples(trainingExamples);
    return Double.isNaN(delta) ? 1.0 / Math.pow(trainingExamples, 1.1) : delta;
  }

  /** The engine's clipping rule (private methods). */
  public ClippingRule rule(int groupCount) {
    return clipping.rule(method, groupCount);
  }

  /**
   * The engine configuration of a private run with noise multiplier σ.
   *
   * @param sigma the noise multiplier (read according to {@link #jointAccounting})
   * @param groupCount K (DPSGD-F)
   */
  public DpConfig dpConfig(double sigma, int trainingExamples, int groupCount) {
    requirePrivate();
    return new DpConfig(sigma, rule(groupCount), samplingRate(trainingExamples), steps(trainingExamples),
        delta(trainingExamples), PrivacyUnit.EXAMPLE, jointAccounting, 1);
  }

  /**
   * The event a private run with noise multiplier σ records: T steps of one Poisson-sampled Gaussian with
   * the step's joint multiplier (gradient and count released from the same sample, accounted together).
   */
  public DpEvent plannedEvent(double sigma, int trainingExamples, int groupCount) {
    DpConfig c = dpConfig(sigma, trainingExamples, groupCount);
    DpEvent step = new PoissonSampledEvent(c.samplingRate(), new GaussianEvent(c.noisePlan().effectiveMultiplier()));
    return c.steps() == 1 ? step : new SelfComposedEvent(step, Math.toIntExact(c.steps()));
  }

  /**
   * The noise multiplier of a private run: the given one, or the smallest (within the calibration's 0.1%)
   * whose planned event meets the target ε at the run's δ with {@code accountant}.
   */
  public double resolveNoiseMultiplier(int trainingExamples, int groupCount, PrivacyAccountant accountant) {
    requirePrivate();
    if (noise instanceof NoiseSetting.Multiplier m) {
      return m.sigma();
    }
    double target = ((NoiseSetting.TargetEpsilon) noise).epsilon();
    return new NoiseCalibration(accountant).noiseMultiplier(target, delta(trainingExamples),
        s -> plannedEvent(s, trainingExamples, groupCount)).noiseMultiplier();
  }

  private void requirePrivate() {
    if (!method.isPrivate()) {
      throw new IllegalStateException("the non-private method has no privacy configuration");
    }
  }

  private static void requireExamples(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("training needs at least one example, got " + n);
    }
  }
}
