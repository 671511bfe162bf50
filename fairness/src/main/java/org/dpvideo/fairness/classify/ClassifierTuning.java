package org.dpvideo.fairness.classify;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.accounting.PrivacyAccountant;
import org.dpvideo.fairness.Provenance;
import org.dpvideo.fairness.metrics.GroupMetricsOptions;
import org.dpvideo.fairness.tuning.Candidate;
import org.dpvideo.fairness.tuning.SweepGrid;
import org.dpvideo.fairness.tuning.TuningPhase;
import org.dpvideo.fairness.tuning.TuningTarget;

/**
 * The classifier as a {@link TuningTarget}: candidates are trained on the training data minus the selection
 * data when that is carved from it (else on all of it), scored on the selection data, and the winner is
 * refitted on all the training data. Sweepable axes: {@code lr}, {@code clip}, {@code epochs},
 * {@code batch-size}, {@code strict-bound} (Z), {@code initial-bound} (Z0), {@code threshold} (γ),
 * {@code bound-lr} (η_Z). Every run is reported at the sweep's common δ.
 *
 * <p>Not thread-safe.
 */
public final class ClassifierTuning implements TuningTarget<TrainedClassifier> {
  /** The axes a classifier sweep understands. */
  public static final Set<String> AXES = Set.of("lr", "clip", "epochs", "batch-size", "strict-bound", "initial-bound",
      "threshold", "bound-lr");

  private final ClassifierConfig base;
  private final TabularData allTraining;
  private final TabularData candidateTraining;
  private final TabularData selection;
  private final String selectionDescription;
  private final boolean selectionPublic;
  private final SelectionMetric metric;
  private final PrivacyAccountant accountant;
  private final double delta;
  private final boolean candidateDiagnostics;

  /**
   * @param base the run every candidate varies (its noise setting is replaced by the sweep's σ)
   * @param allTraining all the training data (the refit's)
   * @param candidateTraining the candidates' training data (all of it, or all minus a carved validation split)
   * @param selection the selection data, read with the training table's classes
   * @param selectionDescription what it is, for the tuning statement
   * @param selectionPublic whether it is public
   * @param metric what is maximised
   * @param accountant the runs' accountant
   * @param delta the common δ of every run
   */
  public ClassifierTuning(ClassifierConfig base, TabularData allTraining, TabularData candidateTraining,
      TabularData selection, String selectionDescription, boolean selectionPublic, SelectionMetric metric,
      PrivacyAccountant accountant, double delta) {
    this(base, allTraining, candidateTraining, selection, selectionDescription, selectionPublic, metric, accountant,
        delta, true);
  }

  private ClassifierTuning(ClassifierConfig base, TabularData allTraining, TabularData candidateTraining,
      TabularData selection, String selectionDescription, boolean selectionPublic, SelectionMetric metric,
      PrivacyAccountant accountant, double delta, boolean candidateDiagnostics) {
    this.candidateDiagnostics = candidateDiagnostics;
    this.base = Objects.requireNonNull(base, "base").withDelta(delta);
    this.allTraining = Objects.requireNonNull(allTraining, "allTraining");
    this.candidateTraining = Objects.requireNonNull(candidateTraining, "candidateTraining");
    this.selection = Objects.requireNonNull(selection, "selection");
    this.selectionDescription = Objects.requireNonNull(selectionDescription, "selectionDescription");
    this.selectionPublic = selectionPublic;
    this.metric = Objects.requireNonNull(metric, "metric");
    this.accountant = Objects.requireNonNull(accountant, "accountant");
    this.delta = delta;
  }

  /**
   * This target with candidates computing misalignment diagnostics (as the base config says) or not (the
   * refit always does as the base config says).
   */
  public ClassifierTuning withCandidateDiagnostics(boolean on) {
    return new ClassifierTuning(base, allTraining, candidateTraining, selection, selectionDescription, selectionPublic,
        metric, accountant, delta, on);
  }

  /**
   * Checks that every axis of a grid is one the classifier understands.
   *
   * @throws IllegalArgumentException naming the unknown axes and the allowed ones
   */
  public static void requireKnownAxes(SweepGrid grid) {
    List<String> unknown = new ArrayList<>();
    for (String n : grid.names()) {
      if (!AXES.contains(n)) {
        unknown.add(n);
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("the classifier cannot sweep " + unknown + "; sweepable: "
          + AXES.stream().sorted().toList());
    }
  }

  /**
   * The configuration of a candidate.
   *
   * @throws IllegalArgumentException if a value is invalid for its axis
   */
  public ClassifierConfig configFor(Candidate c) {
    ClassifierConfig cfg = base;
    ClippingSettings clip = cfg.clipping();
    for (var e : c.values().entrySet()) {
      double v = e.getValue();
      switch (e.getKey()) {
        case "lr" -> cfg = cfg.withLearningRate(v);
        case "clip" -> clip = clip.withClipNorm(v);
        case "epochs" -> cfg = cfg.withEpochs(integer("epochs", v));
        case "batch-size" -> cfg = cfg.withBatchSize(integer("batch-size", v));
        case "strict-bound" -> clip = clip.withStrictBound(v);
        case "initial-bound" -> clip = clip.withInitialBound(v);
        case "threshold" -> clip = clip.withThreshold(v);
        case "bound-lr" -> clip = clip.withBoundLearningRate(v);
        default -> throw new IllegalArgumentException("the classifier cannot sweep '" + e.getKey() + "'; sweepable: "
            + AXES.stream().sorted().toList());
      }
    }
    return cfg.withClipping(clip);
  }

  private static int integer(String axis, double v) {
    if (v != Math.rint(v) || v < 1 || v > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("sweep axis " + axis + " takes whole numbers >= 1, got " + v);
    }
    return (int) v;
  }

  private TabularData data(TuningPhase phase) {
    return phase == TuningPhase.REFIT ? allTraining : candidateTraining;
  }

  private ClassifierConfig runConfig(Candidate c, TuningPhase phase, double sigma) {
    ClassifierConfig cfg = configFor(c);
    if (phase == TuningPhase.CANDIDATE && !candidateDiagnostics) {
      cfg = cfg.withDiagnosticsEvery(0);
    }
    return base.method().isPrivate() ? cfg.withNoise(new NoiseSetting.Multiplier(sigma)) : cfg;
  }

  @Override
  public boolean isPrivate() {
    return base.method().isPrivate();
  }

  @Override
  public DpEvent plannedEvent(Candidate candidate, TuningPhase phase, double sigma) {
    return configFor(candidate).plannedEvent(sigma, data(phase).size(), allTraining.groupLevels().size());
  }

  @Override
  public TrainedClassifier train(Candidate candidate, TuningPhase phase, double sigma) {
    return ClassifierTrainer.train(data(phase), runConfig(candidate, phase, sigma), accountant);
  }

  @Override
  public DpEvent spentEvent(TrainedClassifier run) {
    return run.privacy().orElseThrow(() -> new IllegalStateException("a non-private run spent no event")).event();
  }

  @Override
  public double score(TrainedClassifier run) {
    GroupMetricsOptions options = GroupMetricsOptions.of(selectionPublic ? Provenance.EVAL_PUBLIC
        : Provenance.TRAIN_UNPROTECTED).withMinGroupSize(1);
    return metric.score(ClassifierEvaluation.of(selection, run.predict(selection), options));
  }

  @Override
  public void discard(TrainedClassifier run) {
    run.close();
  }

  @Override
  public String selectionDataDescription() {
    return selectionDescription;
  }

  @Override
  public boolean selectionDataPublic() {
    return selectionPublic;
  }

  @Override
  public String scoreDescription() {
    return metric.describe();
  }

  /** The common δ. */
  public double delta() {
    return delta;
  }
}
