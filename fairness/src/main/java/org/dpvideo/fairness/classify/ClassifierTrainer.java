package org.dpvideo.fairness.classify;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.dpvideo.dpsgd.accounting.PrivacyAccountant;
import org.dpvideo.dpsgd.accounting.PrivacyGuarantee;
import org.dpvideo.dpsgd.clipping.ClippingRule;
import org.dpvideo.dpsgd.clipping.ClippingState;
import org.dpvideo.dpsgd.clipping.Dpsgd;
import org.dpvideo.dpsgd.clipping.DpsgdF;
import org.dpvideo.dpsgd.clipping.DpsgdGlobal;
import org.dpvideo.dpsgd.clipping.DpsgdGlobalAdapt;
import org.dpvideo.dpsgd.layers.DpModel;
import org.dpvideo.dpsgd.optim.NonPrivateOptimizer;
import org.dpvideo.dpsgd.optim.OptimizerConfig;
import org.dpvideo.dpsgd.sampling.PrivacyUnits;
import org.dpvideo.dpsgd.step.NonFiniteGradientException;
import org.dpvideo.dpsgd.step.NonPrivateStep;
import org.dpvideo.dpsgd.step.UnprotectedStepObserver;
import org.dpvideo.dpsgd.train.DpConfig;
import org.dpvideo.dpsgd.train.DpTrainer;
import org.dpvideo.dpsgd.train.PerformanceOptions;
import org.dpvideo.fairness.group.GroupKey;
import org.dpvideo.fairness.misalignment.LayeredVector;
import org.dpvideo.fairness.misalignment.MisalignmentDiagnostics;
import org.dpvideo.fairness.misalignment.MisalignmentObserver;
import org.dpvideo.fairness.misalignment.MisalignmentOptions;

/**
 * Trains the MLP classifier of a {@link ClassifierConfig} on a training table with the DP engine.
 *
 * <p>Private methods run the engine's {@link DpTrainer} (Poisson sampling with q = B/N, per-example clipping
 * by the method's rule, secure lattice Gaussian noise, plain SGD) for T = ⌈epochs/q⌉ steps; the run's
 * guarantee is the accountant's (ε, δ) of the trainer's spent event. The non-private method runs the
 * engine's {@link NonPrivateStep} and {@link NonPrivateOptimizer} on shuffled mini-batches.
 *
 * <p>Misalignment diagnostics (when {@link ClassifierConfig#diagnosticsEvery()} &gt; 0) come from the
 * engine's internal hook through {@link MisalignmentObserver}, with the full-data group gradients g_{D_k}
 * computed at the parameters of the logged step (before its update). They are internal: raw private
 * training data, not differentially private. They need the units' group labels, which the trainer then
 * receives (Global-Adapt's update never reads them).
 *
 * <p>Not thread-safe; one run at a time per thread.
 */
public final class ClassifierTrainer {
  private ClassifierTrainer() {}

  /**
   * Trains a classifier.
   *
   * @param training the training table (its group levels are the K of DPSGD-F)
   * @param config the run
   * @param accountant the accountant of the run's ε (and of the noise calibration for a target ε)
   * @throws IllegalStateException if training diverges (a non-finite loss or gradient), naming the step
   */
  public static TrainedClassifier train(TabularData training, ClassifierConfig config, PrivacyAccountant accountant) {
    Objects.requireNonNull(training, "training");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(accountant, "accountant");
    MlpSpec spec = new MlpSpec(training.featureCount(), config.hidden(), training.classes().size(),
        config.activation());
    MlpSpec.Built built = spec.build(config.seed());
    try {
      if (!config.method().isPrivate()) {
        trainNonPrivate(training, config, built.model());
        return new TrainedClassifier(config, spec, built, training.size(), training.classes(), null, null, null);
      }
      return trainPrivate(training, config, accountant, spec, built);
    } catch (RuntimeException e) {
      built.model().close();
      throw e;
    }
  }

  private static void trainNonPrivate(TabularData training, ClassifierConfig config, DpModel model) {
    NonPrivateStep step = new NonPrivateStep(model);
    NonPrivateOptimizer optimizer = new NonPrivateOptimizer(OptimizerConfig.sgd(config.learningRate()),
        step.trainable());
    int n = training.size();
    int b = Math.min(config.batchSize(), n);
    Random shuffle = new Random(config.seed() * 0x9E3779B97F4A7C15L + 0x5DEECE66DL);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    long taken = 0;
    for (int epoch = 0; epoch < config.epochs(); epoch++) {
      for (int i = n - 1; i > 0; i--) {
        int j = shuffle.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      for (int from = 0; from < n; from += b) {
        int[] rows = java.util.Arrays.copyOfRange(order, from, Math.min(n, from + b));
        try {
          optimizer.apply(step.gradient(TrainedClassifier.placeholders(training, rows)));
        } catch (NonFiniteGradientException e) {
          throw diverged(taken, config.steps(n), config, e);
        }
        taken++;
      }
    }
  }

  private static TrainedClassifier trainPrivate(TabularData training, ClassifierConfig config,
      PrivacyAccountant accountant, MlpSpec spec, MlpSpec.Built built) {
    int n = training.size();
    int groupCount = training.groupLevels().size();
    double sigma = config.resolveNoiseMultiplier(n, groupCount, accountant);
    DpConfig dp = config.dpConfig(sigma, n, groupCount);
    boolean diagnosticsOn = config.diagnosticsEvery() > 0;
    PrivacyUnits units = PrivacyUnits.perExample(n);
    if (dp.clipping().needsGroups() || diagnosticsOn) {
      units = units.withGroups(training.groupCodes());
    }
    int micro = (int) Math.max(1, Math.min(n, Math.max(64L, 2L * config.batchSize())));
    ForwardingObserver forwarding = new ForwardingObserver();
    DpTrainer trainer = DpTrainer.builder(built.model(), dp, units, ids -> TrainedClassifier.placeholders(training, ids))
        .optimizer(OptimizerConfig.sgd(config.learningRate()))
        .performance(PerformanceOptions.defaults().withMicroBatchSize(micro))
        .randomness(config.noiseSource().randomness(config.seed()))
        .unprotectedObserver(diagnosticsOn ? forwarding : null)
        .build();
    MisalignmentDiagnostics diagnostics = diagnosticsOn
        ? new MisalignmentDiagnostics(MisalignmentOptions.training(config.diagnosticsEvery())) : null;
    FullDataGroupGradients fullData = diagnosticsOn ? new FullDataGroupGradients(built.model(), training) : null;
    List<GroupKey> levels = training.groupAssignment().levels();
    double gradientSigma = dp.noisePlan().gradientMultiplier();
    for (long s = 0; s < dp.steps(); s++) {
      MisalignmentObserver observer = null;
      if (diagnosticsOn && diagnostics.isDue(s)) {
        Map<GroupKey, LayeredVector> full = fullData.compute();
        observer = new MisalignmentObserver(diagnostics, levels, clipThreshold(dp.clipping(), trainer.clippingState()),
            config.learningRate(), dp.clipping().clipNorm(), gradientSigma, step -> full);
        forwarding.current = observer;
      }
      try {
        trainer.step();
      } catch (NonFiniteGradientException e) {
        throw diverged(s, dp.steps(), config, e);
      }
      if (observer != null) {
        observer.finish();
        forwarding.current = null;
      }
    }
    PrivacyGuarantee g = accountant.epsilon(trainer.spent(), dp.delta());
    double finalBound = trainer.clippingState() instanceof ClippingState.AdaptiveBound a ? a.strictBound() : Double.NaN;
    PrivateRunRecord record = new PrivateRunRecord(sigma, gradientSigma, dp.noisePlan().effectiveMultiplier(),
        config.noise() instanceof NoiseSetting.TargetEpsilon, dp.samplingRate(), trainer.stepsTaken(), trainer.spent(),
        g, trainer.randomness(), finalBound);
    return new TrainedClassifier(config, spec, built, n, training.classes(), record, diagnostics,
        diagnosticsOn ? thresholdText(dp.clipping()) : null);
  }

  /** What counts as "clipped" in the norm statistics of each rule. */
  static double clipThreshold(ClippingRule rule, ClippingState state) {
    if (rule instanceof DpsgdGlobal g) {
      return g.strictBound();
    }
    if (rule instanceof DpsgdGlobalAdapt a && state instanceof ClippingState.AdaptiveBound z) {
      return Math.max(z.strictBound(), a.clipNorm());
    }
    return rule.clipNorm();
  }

  private static String thresholdText(ClippingRule rule) {
    if (rule instanceof Dpsgd d) {
      return "norm > C = " + d.clipNorm() + " (clipped to C)";
    }
    if (rule instanceof DpsgdGlobal g) {
      return "norm > Z = " + g.strictBound() + " (dropped)";
    }
    if (rule instanceof DpsgdGlobalAdapt a) {
      return "norm > max(Z_t, C) at the logged step (clipped to C = " + a.clipNorm() + " instead of scaled by C/Z_t)";
    }
    if (rule instanceof DpsgdF f) {
      return "norm > C0 = " + f.baseClipNorm() + " (DPSGD-F's m_k)";
    }
    return "norm > " + rule.clipNorm();
  }

  private static IllegalStateException diverged(long step, long steps, ClassifierConfig config, RuntimeException e) {
    return new IllegalStateException("training of " + config.method().cliName() + " diverged at step " + (step + 1)
        + " of " + steps + " (learning rate " + config.learningRate() + "): " + e.getMessage()
        + ". Lower the learning rate (--lr)", e);
  }

  /** Hands the engine's internal micro-batch views to the observer of the current logged step. */
  private static final class ForwardingObserver implements UnprotectedStepObserver {
    MisalignmentObserver current;

    @Override
    public void onMicroBatch(UnprotectedMicroBatchView view) {
      if (current != null) {
        current.onMicroBatch(view);
      }
    }
  }
}
