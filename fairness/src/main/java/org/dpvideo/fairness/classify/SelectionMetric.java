package org.dpvideo.fairness.classify;

import java.util.Locale;
import org.dpvideo.fairness.metrics.Aggregate;

/** What a classifier sweep maximises on its selection data. */
public enum SelectionMetric {
  /** Overall accuracy. */
  ACCURACY("accuracy"),
  /** The smallest per-group accuracy (a fairness-aware choice: the worst-off group decides). */
  WORST_GROUP_ACCURACY("worst-group-accuracy"),
  /** Minus the mean cross-entropy loss. */
  LOSS("loss");

  private final String cliName;

  SelectionMetric(String cliName) {
    this.cliName = cliName;
  }

  /** The command-line name. */
  public String cliName() {
    return cliName;
  }

  /** The score (higher is better) of an evaluation on the selection data; NaN when undefined. */
  public double score(ClassifierEvaluation e) {
    return switch (this) {
      case ACCURACY -> e.accuracy();
      case LOSS -> -e.loss();
      case WORST_GROUP_ACCURACY -> {
        Aggregate min = e.frame().groupMin(ClassifierEvaluation.ACCURACY);
        yield min.value();
      }
    };
  }

  /** A phrase for statements ("validation accuracy"). */
  public String describe() {
    return switch (this) {
      case ACCURACY -> "accuracy";
      case WORST_GROUP_ACCURACY -> "worst-group accuracy";
      case LOSS -> "lowest mean loss";
    };
  }

  /**
   * Parses a command-line name.
   *
   * @throws IllegalArgumentException naming the allowed values
   */
  public static SelectionMetric parse(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    for (SelectionMetric m : values()) {
      if (m.cliName.equals(n)) {
        return m;
      }
    }
    throw new IllegalArgumentException("selection metric must be accuracy, worst-group-accuracy or loss, got '"
        + name + "'");
  }
}
