package org.dpvideo.fairness.classify;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.dpvideo.dpsgd.layers.DpModel;
import org.dpvideo.fairness.misalignment.MisalignmentDiagnostics;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trained MLP classifier with the record of how it was trained: its privacy record (private methods),
 * and its misalignment diagnostics when they were on. Close it to free its native memory.
 *
 * <p>Not thread-safe.
 */
public final class TrainedClassifier implements AutoCloseable {
  private static final int CHUNK = 1024;

  private final ClassifierConfig config;
  private final MlpSpec spec;
  private final DpModel model;
  private final String logits;
  private final int trainingExamples;
  private final List<String> classes;
  private final PrivateRunRecord privacy;
  private final MisalignmentDiagnostics diagnostics;
  private final String diagnosticsThreshold;

  TrainedClassifier(ClassifierConfig config, MlpSpec spec, MlpSpec.Built built, int trainingExamples,
      List<String> classes, PrivateRunRecord privacy, MisalignmentDiagnostics diagnostics, String diagnosticsThreshold) {
    this.config = config;
    this.spec = spec;
    this.model = built.model();
    this.logits = built.logits();
    this.trainingExamples = trainingExamples;
    this.classes = List.copyOf(classes);
    this.privacy = privacy;
    this.diagnostics = diagnostics;
    this.diagnosticsThreshold = diagnosticsThreshold;
  }

  /** The run's configuration. */
  public ClassifierConfig config() {
    return config;
  }

  /** The architecture. */
  public MlpSpec spec() {
    return spec;
  }

  /** The number of training examples N. */
  public int trainingExamples() {
    return trainingExamples;
  }

  /** The class names, indexed by class code. */
  public List<String> classes() {
    return classes;
  }

  /** The privacy record; empty for the non-private method. */
  public Optional<PrivateRunRecord> privacy() {
    return Optional.ofNullable(privacy);
  }

  /** The misalignment diagnostics (internal, not private); empty when they were off or not applicable. */
  public Optional<MisalignmentDiagnostics> diagnostics() {
    return Optional.ofNullable(diagnostics);
  }

  /** What "clipped" meant in the diagnostics' fraction clipped (e.g. "norm > C = 1.0"), or empty. */
  public Optional<String> diagnosticsThreshold() {
    return Optional.ofNullable(diagnosticsThreshold);
  }

  /**
   * Predicts every row of a table read with this classifier's training table as reference (same features,
   * same classes).
   *
   * @throws IllegalArgumentException if the table's features or classes differ from the training table's
   */
  public Predictions predict(TabularData data) {
    Objects.requireNonNull(data, "data");
    if (data.featureCount() != spec.inputs() || !data.classes().equals(classes)) {
      throw new IllegalArgumentException("the table " + data.source() + " has " + data.featureCount() + " features and"
          + " classes " + data.classes() + ", the classifier " + spec.inputs() + " and " + classes
          + "; read it with TabularData.loadLike(file, training)");
    }
    int n = data.size();
    int k = spec.classes();
    int[] predicted = new int[n];
    double[] loss = new double[n];
    for (int from = 0; from < n; from += CHUNK) {
      int to = Math.min(n, from + CHUNK);
      int[] rows = new int[to - from];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = from + i;
      }
      Map<String, INDArray> out = model.output(placeholders(data, rows), logits);
      INDArray z = out.get(logits).castTo(DataType.DOUBLE);
      double[][] values = z.reshape(rows.length, k).toDoubleMatrix();
      for (int i = 0; i < rows.length; i++) {
        double[] v = values[i];
        int best = 0;
        double max = v[0];
        for (int c = 1; c < k; c++) {
          if (v[c] > max) {
            max = v[c];
            best = c;
          }
        }
        double sum = 0;
        for (int c = 0; c < k; c++) {
          sum += Math.exp(v[c] - max);
        }
        predicted[from + i] = best;
        loss[from + i] = -(v[data.label(rows[i])] - max - Math.log(sum));
      }
      for (INDArray a : out.values()) {
        a.close();
      }
      z.close();
    }
    return new Predictions(predicted, loss);
  }

  /** Placeholders of the given rows: {@code features [n, d]} float and {@code labels [n]} int. */
  static Map<String, INDArray> placeholders(TabularData data, int[] rows) {
    Map<String, INDArray> m = new HashMap<>();
    m.put(MlpSpec.FEATURES, Nd4j.create(data.featureRows(rows), new long[] {rows.length, data.featureCount()}, 'c'));
    int[] y = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      y[i] = data.label(rows[i]);
    }
    m.put(MlpSpec.LABELS, Nd4j.createFromArray(y));
    return m;
  }

  /** The underlying model (parameters are live). */
  public DpModel model() {
    return model;
  }

  @Override
  public void close() {
    model.close();
  }
}
