package org.dpvideo.fairness.classify;

import java.nio.file.Path;
import java.util.Objects;
import org.dpvideo.dpsgd.accounting.AccountantKind;
import org.dpvideo.fairness.tuning.SweepGrid;

/**
 * One {@code dpvideo classify} job: the data, the run, and optionally a hyper-parameter sweep and a
 * non-private reference model for privacy costs.
 *
 * @param train the training CSV
 * @param test the test CSV (evaluation)
 * @param schema label, group and feature columns
 * @param config the run (for a sweep: the base every candidate varies)
 * @param sweep the sweep grid; a grid without axes means a single run
 * @param validationFraction the fraction of the training rows held out as the sweep's selection data
 *     (stratified by label), or NaN when {@code validationFile} is given
 * @param validationFile a separate selection CSV, or null to carve a split from the training data
 * @param validationPublic whether the selection data is public (only for a separate file)
 * @param selection what the sweep maximises
 * @param refit whether the sweep's winner is trained again on all the training data
 * @param epsilonForWholeSweep with a target ε: whether it bounds the whole sweep (one σ for every run) rather
 *     than each run
 * @param testPublic whether the test data is releasable (its figures are then released as is)
 * @param minGroupSize groups of the test set with fewer rows are suppressed in the figures
 * @param accountant the accountant of every ε (PLD by default)
 * @param reference whether to train the non-private reference model (same seed, epochs, batch size) and report
 *     each group's privacy cost against it
 * @param referenceLearningRate the reference's learning rate, or NaN for the final run's
 * @param splitSeed seed of the validation split
 * @param diagnosticsAuto whether to compute misalignment diagnostics about 20 times per run (every
 *     ⌈T/20⌉ steps), overriding the config's interval
 */
public record ClassifyRequest(Path train, Path test, TabularSchema schema, ClassifierConfig config, SweepGrid sweep,
    double validationFraction, Path validationFile, boolean validationPublic, SelectionMetric selection, boolean refit,
    boolean epsilonForWholeSweep, boolean testPublic, int minGroupSize, AccountantKind accountant, boolean reference,
    double referenceLearningRate, long splitSeed, boolean diagnosticsAuto) {

  /** The default held-out fraction of a sweep's validation split. */
  public static final double DEFAULT_VALIDATION_FRACTION = 0.2;

  /** Validates. */
  public ClassifyRequest {
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(test, "test");
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(sweep, "sweep");
    Objects.requireNonNull(selection, "selection");
    Objects.requireNonNull(accountant, "accountant");
    if (validationFile != null && !Double.isNaN(validationFraction)) {
      throw new IllegalArgumentException("give either a validation file or a validation fraction, not both");
    }
    if (validationFile == null && !(validationFraction > 0 && validationFraction < 1)) {
      throw new IllegalArgumentException("the validation fraction must be in (0, 1), got " + validationFraction
          + "; for example 0.2");
    }
    if (validationPublic && validationFile == null) {
      throw new IllegalArgumentException("a validation split carved from the private training data cannot be public;"
          + " give a separate public validation file to mark it public");
    }
    if (minGroupSize < 1) {
      throw new IllegalArgumentException("minimum group size must be >= 1, got " + minGroupSize);
    }
    if (!Double.isNaN(referenceLearningRate) && !(referenceLearningRate > 0 && Double.isFinite(referenceLearningRate))) {
      throw new IllegalArgumentException("reference learning rate must be finite and > 0, got " + referenceLearningRate);
    }
    if (epsilonForWholeSweep && !(config.noise() instanceof NoiseSetting.TargetEpsilon)) {
      throw new IllegalArgumentException("an epsilon for the whole sweep needs a target epsilon (not a noise"
          + " multiplier, not the non-private method)");
    }
    ClassifierTuning.requireKnownAxes(sweep);
  }

  /** A single run without sweep or reference, test data private, minimum group size 30, PLD accountant. */
  public static ClassifyRequest single(Path train, Path test, TabularSchema schema, ClassifierConfig config) {
    return new ClassifyRequest(train, test, schema, config, new SweepGrid(java.util.List.of()),
        DEFAULT_VALIDATION_FRACTION, null, false, SelectionMetric.ACCURACY, true, false, false, 30, AccountantKind.PLD,
        false, Double.NaN, 0, false);
  }

  /** Whether this is a sweep (at least one axis). */
  public boolean isSweep() {
    return !sweep.axes().isEmpty();
  }
}
