package org.dpvideo.fairness.classify;

import java.util.List;
import java.util.Objects;

/**
 * Which CSV columns hold what: the label to predict, the sensitive group, and the numeric features.
 *
 * @param labelColumn the class label column (any text; classes are the distinct training values)
 * @param groupColumn the group column (may be the label column itself, as in the paper's MNIST setup)
 * @param featureColumns the feature columns, or an empty list for every column except the label and group
 * @param featureRange the public range mapped to [0, 1]
 * @param groupLevels the declared group values (public), or an empty list to use the values found in the data
 */
public record TabularSchema(String labelColumn, String groupColumn, List<String> featureColumns,
    FeatureRange featureRange, List<String> groupLevels) {

  /** Validates and copies. */
  public TabularSchema {
    requireName("label column", labelColumn);
    requireName("group column", groupColumn);
    featureColumns = List.copyOf(Objects.requireNonNull(featureColumns, "featureColumns"));
    Objects.requireNonNull(featureRange, "featureRange");
    groupLevels = List.copyOf(Objects.requireNonNull(groupLevels, "groupLevels"));
    for (String f : featureColumns) {
      requireName("feature column", f);
      if (f.equals(labelColumn)) {
        throw new IllegalArgumentException("the label column '" + labelColumn + "' cannot also be a feature; remove it"
            + " from the feature list");
      }
    }
    if (featureColumns.stream().distinct().count() != featureColumns.size()) {
      throw new IllegalArgumentException("feature columns repeat a name: " + featureColumns + "; list each once");
    }
    if (groupLevels.stream().distinct().count() != groupLevels.size()) {
      throw new IllegalArgumentException("declared group levels repeat a value: " + groupLevels);
    }
  }

  /** Label and group columns, every other column a feature, features as they are, levels from the data. */
  public static TabularSchema of(String labelColumn, String groupColumn) {
    return new TabularSchema(labelColumn, groupColumn, List.of(), FeatureRange.IDENTITY, List.of());
  }

  /** With explicit feature columns. */
  public TabularSchema withFeatures(List<String> columns) {
    return new TabularSchema(labelColumn, groupColumn, columns, featureRange, groupLevels);
  }

  /** With a public feature range. */
  public TabularSchema withFeatureRange(FeatureRange range) {
    return new TabularSchema(labelColumn, groupColumn, featureColumns, range, groupLevels);
  }

  /** With declared group levels. */
  public TabularSchema withGroupLevels(List<String> levels) {
    return new TabularSchema(labelColumn, groupColumn, featureColumns, featureRange, levels);
  }

  private static void requireName(String what, String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("the " + what + " needs a name, got '" + name + "'");
    }
  }
}
