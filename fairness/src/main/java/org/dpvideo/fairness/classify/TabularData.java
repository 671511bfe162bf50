package org.dpvideo.fairness.classify;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import org.dpvideo.fairness.group.GroupAssignment;
import org.dpvideo.fairness.group.GroupKey;

/**
 * A labelled tabular data set read from CSV: numeric features (mapped through the schema's public
 * {@link FeatureRange}), a class label per row and a group value per row.
 *
 * <p>Classes are the distinct label values of the training data (numeric order when every value is a
 * number, else text order); an evaluation table read with {@link #loadLike} uses the training table's
 * classes and refuses labels the classifier never saw. Group levels are the declared ones, or the values
 * present in the data (an evaluation table adds the values it alone has).
 *
 * <p>Every problem of a file is collected and reported at once, with line numbers: missing columns, rows of
 * the wrong width, empty labels or groups, non-numeric or non-finite features, unknown labels or groups.
 *
 * <p>Immutable; thread-safe.
 */
public final class TabularData {
  private static final int DETAILED = 25;

  private final Path source;
  private final TabularSchema schema;
  private final List<String> featureNames;
  private final float[] features;
  private final int[] labels;
  private final List<String> classes;
  private final int[] groupCodes;
  private final List<String> groupLevels;
  private final int[] lineNumbers;

  private TabularData(Path source, TabularSchema schema, List<String> featureNames, float[] features, int[] labels,
      List<String> classes, int[] groupCodes, List<String> groupLevels, int[] lineNumbers) {
    this.source = source;
    this.schema = schema;
    this.featureNames = List.copyOf(featureNames);
    this.features = features;
    this.labels = labels;
    this.classes = List.copyOf(classes);
    this.groupCodes = groupCodes;
    this.groupLevels = List.copyOf(groupLevels);
    this.lineNumbers = lineNumbers;
  }

  /**
   * Reads a training table: its classes are the distinct label values found.
   *
   * @throws IllegalArgumentException listing every problem of the file
   */
  public static TabularData load(Path file, TabularSchema schema) {
    return read(CsvTable.read(file), schema, null);
  }

  /**
   * Reads an evaluation (test or validation) table with the training table's feature columns, classes and
   * group levels.
   *
   * @throws IllegalArgumentException listing every problem of the file, including labels not among the
   *     training classes
   */
  public static TabularData loadLike(Path file, TabularData training) {
    return read(CsvTable.read(file), training.schema, Objects.requireNonNull(training, "training"));
  }

  /** Builds a table from already-read CSV text (see {@link #load}); {@code like} is null for training data. */
  static TabularData read(CsvTable csv, TabularSchema schema, TabularData like) {
    Objects.requireNonNull(schema, "schema");
    String where = "CSV file " + csv.source();
    List<String> missing = new ArrayList<>();
    if (!csv.hasColumn(schema.labelColumn())) {
      missing.add("label column '" + schema.labelColumn() + "'");
    }
    if (!csv.hasColumn(schema.groupColumn())) {
      missing.add("group column '" + schema.groupColumn() + "'");
    }
    List<String> featureNames;
    if (like != null) {
      featureNames = like.featureNames;
    } else if (!schema.featureColumns().isEmpty()) {
      featureNames = schema.featureColumns();
    } else {
      featureNames = new ArrayList<>();
      for (String h : csv.header()) {
        if (!h.equals(schema.labelColumn()) && !h.equals(schema.groupColumn())) {
          featureNames.add(h);
        }
      }
    }
    for (String f : featureNames) {
      if (!csv.hasColumn(f)) {
        missing.add("feature column '" + f + "'");
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(where + " lacks the " + String.join(", ", missing) + "; its columns are "
          + csv.header() + ". Fix the column names (--label, --group, --features) or the file's header");
    }
    if (featureNames.isEmpty()) {
      throw new IllegalArgumentException(where + " has no feature column besides the label and group columns; a"
          + " classifier needs at least one numeric feature");
    }
    List<String> problems = new ArrayList<>(csv.problems());
    int n = csv.rowCount();
    int d = featureNames.size();
    int labelCol = csv.column(schema.labelColumn());
    int groupCol = csv.column(schema.groupColumn());
    int[] featureCols = featureNames.stream().mapToInt(csv::column).toArray();
    float[] x = new float[n * d];
    String[] labelText = new String[n];
    String[] groupText = new String[n];
    List<Integer> emptyLabel = new ArrayList<>();
    List<Integer> emptyGroup = new ArrayList<>();
    List<Integer> badFeatureLines = new ArrayList<>();
    List<String> badFeatureDetail = new ArrayList<>();
    for (int r = 0; r < n; r++) {
      labelText[r] = csv.cell(r, labelCol);
      groupText[r] = csv.cell(r, groupCol);
      if (labelText[r].isEmpty()) {
        emptyLabel.add(csv.lineNumber(r));
      }
      if (groupText[r].isEmpty()) {
        emptyGroup.add(csv.lineNumber(r));
      }
      List<String> badCells = new ArrayList<>();
      for (int j = 0; j < d; j++) {
        String cell = csv.cell(r, featureCols[j]);
        double v;
        try {
          v = Double.parseDouble(cell);
        } catch (NumberFormatException e) {
          v = Double.NaN;
        }
        double scaled = schema.featureRange().apply(v);
        if (!Double.isFinite(v) || !Double.isFinite(scaled) || Math.abs(scaled) > Float.MAX_VALUE) {
          badCells.add(featureNames.get(j) + "='" + cell + "'");
        } else {
          x[r * d + j] = (float) scaled;
        }
      }
      if (!badCells.isEmpty()) {
        badFeatureLines.add(csv.lineNumber(r));
        if (badFeatureDetail.size() < DETAILED) {
          badFeatureDetail.add("line " + csv.lineNumber(r) + " (" + String.join(", ", badCells) + ")");
        }
      }
    }
    if (!emptyLabel.isEmpty()) {
      problems.add("empty label in column '" + schema.labelColumn() + "' on lines " + LineRanges.format(emptyLabel));
    }
    if (!emptyGroup.isEmpty()) {
      problems.add("empty group in column '" + schema.groupColumn() + "' on lines " + LineRanges.format(emptyGroup));
    }
    if (!badFeatureLines.isEmpty()) {
      problems.add(badFeatureLines.size() + " row(s) with a non-numeric or non-finite feature: "
          + String.join("; ", badFeatureDetail)
          + (badFeatureLines.size() > DETAILED ? "; all such lines: " + LineRanges.format(badFeatureLines) : ""));
    }

    // Classes.
    List<String> classes;
    int[] y = new int[n];
    if (like == null) {
      Set<String> distinct = new LinkedHashSet<>();
      for (String l : labelText) {
        if (!l.isEmpty()) {
          distinct.add(l);
        }
      }
      classes = sortedValues(distinct);
      if (problems.isEmpty() && classes.size() < 2) {
        problems.add("the label column '" + schema.labelColumn() + "' has " + classes.size() + " distinct value(s) "
            + classes + "; a classifier needs at least two classes");
      }
    } else {
      classes = like.classes;
    }
    Map<String, Integer> classIndex = indexOf(classes);
    List<Integer> unknownLabelLines = new ArrayList<>();
    Set<String> unknownLabels = new LinkedHashSet<>();
    for (int r = 0; r < n; r++) {
      Integer c = classIndex.get(labelText[r]);
      if (c == null) {
        if (!labelText[r].isEmpty()) {
          unknownLabelLines.add(csv.lineNumber(r));
          unknownLabels.add(labelText[r]);
        }
      } else {
        y[r] = c;
      }
    }
    if (!unknownLabelLines.isEmpty()) {
      problems.add("labels not among the training classes " + classes + ": " + unknownLabels + " on lines "
          + LineRanges.format(unknownLabelLines) + " (the classifier cannot predict a class it never saw; remove"
          + " those rows or add examples of the class to the training data)");
    }

    // Groups.
    List<String> levels;
    Set<String> present = new LinkedHashSet<>();
    for (String g : groupText) {
      if (!g.isEmpty()) {
        present.add(g);
      }
    }
    if (!schema.groupLevels().isEmpty()) {
      levels = schema.groupLevels();
    } else if (like == null) {
      levels = sortedValues(present);
    } else {
      Set<String> all = new LinkedHashSet<>(like.groupLevels);
      all.addAll(present);
      levels = sortedValues(all);
    }
    Map<String, Integer> groupIndex = indexOf(levels);
    int[] groups = new int[n];
    List<Integer> unknownGroupLines = new ArrayList<>();
    Set<String> unknownGroups = new LinkedHashSet<>();
    for (int r = 0; r < n; r++) {
      Integer g = groupIndex.get(groupText[r]);
      if (g == null) {
        if (!groupText[r].isEmpty()) {
          unknownGroupLines.add(csv.lineNumber(r));
          unknownGroups.add(groupText[r]);
        }
      } else {
        groups[r] = g;
      }
    }
    if (!unknownGroupLines.isEmpty()) {
      problems.add("group values not among the declared levels " + levels + ": " + unknownGroups + " on lines "
          + LineRanges.format(unknownGroupLines) + " (declare them with the other group levels, or fix the rows)");
    }
    if (problems.isEmpty() && n == 0) {
      problems.add("it has a header but no data rows");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(where + " has " + problems.size() + " problem(s): "
          + String.join(". ", problems) + ".");
    }
    int[] lines = new int[n];
    for (int r = 0; r < n; r++) {
      lines[r] = csv.lineNumber(r);
    }
    return new TabularData(csv.source(), schema, featureNames, x, y, classes, groups, levels, lines);
  }

  /** Sorts values numerically when all are numbers, else as text. */
  static List<String> sortedValues(Set<String> values) {
    List<String> out = new ArrayList<>(values);
    boolean numeric = !out.isEmpty() && out.stream().allMatch(TabularData::isNumber);
    out.sort(numeric ? Comparator.comparingDouble(Double::parseDouble).thenComparing(Comparator.naturalOrder())
        : Comparator.naturalOrder());
    return out;
  }

  private static boolean isNumber(String s) {
    try {
      return Double.isFinite(Double.parseDouble(s));
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static Map<String, Integer> indexOf(List<String> values) {
    Map<String, Integer> m = new LinkedHashMap<>();
    for (int i = 0; i < values.size(); i++) {
      m.put(values.get(i), i);
    }
    return m;
  }

  /**
   * The rows {@code rows} of this table (in the given order), with the same classes and group levels.
   */
  public TabularData subset(int[] rows) {
    int d = featureNames.size();
    float[] x = new float[rows.length * d];
    int[] y = new int[rows.length];
    int[] g = new int[rows.length];
    int[] lines = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      int r = rows[i];
      System.arraycopy(features, r * d, x, i * d, d);
      y[i] = labels[r];
      g[i] = groupCodes[r];
      lines[i] = lineNumbers[r];
    }
    return new TabularData(source, schema, featureNames, x, y, classes, g, groupLevels, lines);
  }

  /**
   * Splits the rows in two, stratified by label: from every class, {@code round(fraction * n_c)} rows
   * chosen with a seeded generator go to the held-out part (at least one when the class has two or more
   * rows and the fraction is positive), the rest stay.
   *
   * @param fraction in (0, 1)
   * @param seed the split's seed (the split is not a private release: which rows are held out does not
   *     depend on their values, only on their labels' counts)
   * @return {@code [kept, heldOut]}
   */
  public TabularData[] split(double fraction, long seed) {
    if (!(fraction > 0 && fraction < 1)) {
      throw new IllegalArgumentException("the held-out fraction must be in (0, 1), got " + fraction
          + "; for example 0.2 holds out 20% of the training rows for validation");
    }
    Random r = new Random(seed);
    List<Integer> kept = new ArrayList<>();
    List<Integer> held = new ArrayList<>();
    for (int c = 0; c < classes.size(); c++) {
      List<Integer> rows = new ArrayList<>();
      for (int i = 0; i < labels.length; i++) {
        if (labels[i] == c) {
          rows.add(i);
        }
      }
      java.util.Collections.shuffle(rows, r);
      int h = (int) Math.round(fraction * rows.size());
      if (h == 0 && rows.size() >= 2) {
        h = 1;
      }
      if (h == rows.size() && rows.size() >= 2) {
        h = rows.size() - 1;
      }
      held.addAll(rows.subList(0, h));
      kept.addAll(rows.subList(h, rows.size()));
    }
    if (kept.isEmpty() || held.isEmpty()) {
      throw new IllegalArgumentException("splitting " + labels.length + " rows with fraction " + fraction
          + " leaves one side empty; use more rows or another fraction");
    }
    int[] k = kept.stream().mapToInt(Integer::intValue).sorted().toArray();
    int[] h = held.stream().mapToInt(Integer::intValue).sorted().toArray();
    return new TabularData[] {subset(k), subset(h)};
  }

  /** The file the rows came from. */
  public Path source() {
    return source;
  }

  /** The schema it was read with. */
  public TabularSchema schema() {
    return schema;
  }

  /** Number of rows (examples). */
  public int size() {
    return labels.length;
  }

  /** Feature column names. */
  public List<String> featureNames() {
    return featureNames;
  }

  /** Number of features. */
  public int featureCount() {
    return featureNames.size();
  }

  /** The class names, indexed by label code. */
  public List<String> classes() {
    return classes;
  }

  /** The label code of every row (a copy). */
  public int[] labels() {
    return labels.clone();
  }

  /** The label code of one row. */
  public int label(int row) {
    return labels[row];
  }

  /** Feature j of a row (after the feature range mapping). */
  public float feature(int row, int j) {
    return features[row * featureNames.size() + j];
  }

  /** The group values, indexed by group code. */
  public List<String> groupLevels() {
    return groupLevels;
  }

  /** The group code of every row (a copy). */
  public int[] groupCodes() {
    return groupCodes.clone();
  }

  /** The group column's name. */
  public String groupColumn() {
    return schema.groupColumn();
  }

  /** Each row's group as a fairness assignment over every level ({@code column=value} keys). */
  public GroupAssignment groupAssignment() {
    List<GroupKey> keys = new ArrayList<>();
    for (String v : groupLevels) {
      keys.add(GroupKey.of(schema.groupColumn(), v));
    }
    return new GroupAssignment(keys, groupCodes);
  }

  /** The file line number of a row. */
  public int lineNumber(int row) {
    return lineNumbers[row];
  }

  /** Rows per group code. */
  public int[] groupCounts() {
    int[] c = new int[groupLevels.size()];
    for (int g : groupCodes) {
      c[g]++;
    }
    return c;
  }

  /**
   * The feature rows of {@code rows} as one float array {@code [rows.length * featureCount]}, row-major.
   */
  public float[] featureRows(int[] rows) {
    int d = featureNames.size();
    float[] out = new float[rows.length * d];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(features, rows[i] * d, out, i * d, d);
    }
    return out;
  }

  @Override
  public String toString() {
    return "TabularData[" + source + ", " + size() + " rows, " + featureCount() + " features, classes " + classes
        + ", groups " + Arrays.toString(groupCounts()) + "]";
  }
}
