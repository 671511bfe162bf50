package org.dpvideo.dpsgd.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The tabular data an audit trains its model on: standardised features and integer class labels,
 * either generated (Gaussian class clusters, with a held-out sample to report accuracy) or read from a
 * CSV file.
 *
 * <p>An audit is a test of the training code, run on public or synthetic data: its outputs (the bound,
 * the counts, the accuracy) are not accounted, and the audit never writes to a privacy ledger. Do not
 * audit on private data you have not budgeted for.
 *
 * <p>Immutable (arrays are copied on the way in and out); thread-safe.
 */
public final class AuditDataset {
  private final String description;
  private final int featureCount;
  private final int classCount;
  private final float[] features;
  private final int[] labels;
  private final float[] heldOutFeatures;
  private final int[] heldOutLabels;

  private AuditDataset(String description, int featureCount, int classCount, float[] features, int[] labels,
      float[] heldOutFeatures, int[] heldOutLabels) {
    this.description = description;
    this.featureCount = featureCount;
    this.classCount = classCount;
    this.features = features;
    this.labels = labels;
    this.heldOutFeatures = heldOutFeatures;
    this.heldOutLabels = heldOutLabels;
  }

  /**
   * Generated data: {@code classes} cluster centres drawn from N(0, 1.5^2 I), each row a centre plus
   * N(0, I), labels uniform; plus {@code rows / 2} held-out rows from the same distribution.
   *
   * @param rows &gt;= 1
   * @param featureCount &gt;= 1
   * @param classes &gt;= 2
   * @param seed the generator's seed (the data are synthetic and public)
   */
  public static AuditDataset generated(int rows, int featureCount, int classes, long seed) {
    if (rows < 1 || featureCount < 1 || classes < 2) {
      throw new IllegalArgumentException("a generated dataset needs rows >= 1, features >= 1 and classes >= 2, got "
          + rows + ", " + featureCount + ", " + classes);
    }
    Random r = new Random(seed);
    double[][] centres = new double[classes][featureCount];
    for (double[] c : centres) {
      for (int j = 0; j < featureCount; j++) {
        c[j] = 1.5 * r.nextGaussian();
      }
    }
    int heldOut = Math.max(1, rows / 2);
    float[] f = new float[rows * featureCount];
    int[] y = new int[rows];
    float[] hf = new float[heldOut * featureCount];
    int[] hy = new int[heldOut];
    fill(r, centres, f, y);
    fill(r, centres, hf, hy);
    return new AuditDataset("generated: " + rows + " rows, " + featureCount + " features, " + classes
        + " Gaussian classes, seed " + seed, featureCount, classes, f, y, hf, hy);
  }

  private static void fill(Random r, double[][] centres, float[] f, int[] y) {
    int d = centres[0].length;
    for (int i = 0; i < y.length; i++) {
      y[i] = r.nextInt(centres.length);
      for (int j = 0; j < d; j++) {
        f[i * d + j] = (float) (centres[y[i]][j] + r.nextGaussian());
      }
    }
  }

  /**
   * Reads a CSV file with a header row: one column (named {@code labelColumn}) holds the class, every
   * other column a number. Labels are mapped to 0..K-1 in sorted order (numerically when all are
   * integers). Features are standardised per column (mean 0, standard deviation 1; a constant column
   * becomes 0).
   *
   * @throws IllegalArgumentException listing every bad row (wrong field count, non-numeric value,
   *     empty label), or if the file has no data rows, no label column or fewer than 2 classes
   * @throws UncheckedIOException if the file cannot be read
   */
  public static AuditDataset readCsv(Path file, String labelColumn) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(labelColumn, "labelColumn");
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the audit data file " + file + ": " + e.getMessage(), e);
    }
    while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
      lines.remove(lines.size() - 1);
    }
    if (lines.isEmpty()) {
      throw new IllegalArgumentException(file + " is empty; expected a header row and data rows");
    }
    String[] header = split(lines.get(0));
    int labelIndex = Arrays.asList(header).indexOf(labelColumn);
    if (labelIndex < 0) {
      throw new IllegalArgumentException(file + " has no column '" + labelColumn + "' (columns: "
          + String.join(", ", header) + "); name the label column with --label-column");
    }
    int d = header.length - 1;
    if (d < 1) {
      throw new IllegalArgumentException(file + " has only the label column; it needs at least one feature column");
    }
    List<String> problems = new ArrayList<>();
    List<double[]> rows = new ArrayList<>();
    List<String> rawLabels = new ArrayList<>();
    for (int li = 1; li < lines.size(); li++) {
      String line = lines.get(li);
      if (line.isBlank()) {
        problems.add("line " + (li + 1) + ": empty row");
        continue;
      }
      String[] fields = split(line);
      if (fields.length != header.length) {
        problems.add("line " + (li + 1) + ": " + fields.length + " fields, expected " + header.length);
        continue;
      }
      double[] x = new double[d];
      int k = 0;
      boolean ok = true;
      for (int c = 0; c < fields.length; c++) {
        if (c == labelIndex) {
          continue;
        }
        try {
          x[k] = Double.parseDouble(fields[c]);
          if (!Double.isFinite(x[k])) {
            throw new NumberFormatException();
          }
        } catch (NumberFormatException e) {
          problems.add("line " + (li + 1) + ": column '" + header[c] + "' is not a finite number: '" + fields[c] + "'");
          ok = false;
        }
        k++;
      }
      if (fields[labelIndex].isEmpty()) {
        problems.add("line " + (li + 1) + ": empty label");
        ok = false;
      }
      if (ok) {
        rows.add(x);
        rawLabels.add(fields[labelIndex]);
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(file + " has " + problems.size() + " bad row(s):\n  "
          + String.join("\n  ", problems));
    }
    if (rows.isEmpty()) {
      throw new IllegalArgumentException(file + " has a header but no data rows");
    }
    TreeMap<String, Integer> classIds = classIds(rawLabels);
    if (classIds.size() < 2) {
      throw new IllegalArgumentException(file + ": column '" + labelColumn + "' has " + classIds.size()
          + " distinct value(s); a classifier needs at least 2 classes");
    }
    int n = rows.size();
    float[] f = new float[n * d];
    int[] y = new int[n];
    for (int j = 0; j < d; j++) {
      double mean = 0;
      for (double[] x : rows) {
        mean += x[j];
      }
      mean /= n;
      double var = 0;
      for (double[] x : rows) {
        var += (x[j] - mean) * (x[j] - mean);
      }
      double sd = Math.sqrt(var / n);
      for (int i = 0; i < n; i++) {
        f[i * d + j] = sd > 0 ? (float) ((rows.get(i)[j] - mean) / sd) : 0f;
      }
    }
    for (int i = 0; i < n; i++) {
      y[i] = classIds.get(rawLabels.get(i));
    }
    return new AuditDataset("csv: " + file.getFileName() + ", " + n + " rows, " + d + " features, " + classIds.size()
        + " classes", d, classIds.size(), f, y, new float[0], new int[0]);
  }

  private static String[] split(String line) {
    String[] parts = line.split(",", -1);
    for (int i = 0; i < parts.length; i++) {
      parts[i] = parts[i].trim();
    }
    return parts;
  }

  private static TreeMap<String, Integer> classIds(List<String> raw) {
    boolean integers = raw.stream().allMatch(s -> s.matches("-?\\d{1,9}"));
    TreeSet<String> distinct = integers
        ? new TreeSet<>((a, b) -> Integer.compare(Integer.parseInt(a), Integer.parseInt(b)))
        : new TreeSet<>();
    distinct.addAll(raw);
    TreeMap<String, Integer> ids = new TreeMap<>(distinct.comparator());
    int k = 0;
    for (String s : distinct) {
      ids.put(s, k++);
    }
    return ids;
  }

  /** What the data are, for reports. */
  public String description() {
    return description;
  }

  /** Number of rows. */
  public int rows() {
    return labels.length;
  }

  /** Number of feature columns d. */
  public int featureCount() {
    return featureCount;
  }

  /** Number of classes K. */
  public int classCount() {
    return classCount;
  }

  /** Row-major features {@code [rows * d]} (a copy). */
  public float[] features() {
    return features.clone();
  }

  /** Labels in 0..K-1 (a copy). */
  public int[] labels() {
    return labels.clone();
  }

  /** Whether a held-out sample exists (generated data only). */
  public boolean hasHeldOut() {
    return heldOutLabels.length > 0;
  }

  /** Held-out features (empty for CSV data). */
  public float[] heldOutFeatures() {
    return heldOutFeatures.clone();
  }

  /** Held-out labels (empty for CSV data). */
  public int[] heldOutLabels() {
    return heldOutLabels.clone();
  }
}
