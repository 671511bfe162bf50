package org.dpvideo.fairness.classify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * Small synthetic classification tables for tests: three classes as Gaussian blobs in four dimensions (well
 * separated, so a small MLP learns them in a few epochs), a group column "site" with values "north" (most rows)
 * and "south".
 */
public final class SyntheticTables {
  private SyntheticTables() {}

  /** Header of the synthetic tables. */
  public static final String HEADER = "x1,x2,x3,x4,site,label";

  /** Writes {@code rows} rows drawn with {@code seed} to {@code file}. */
  public static Path write(Path file, int rows, long seed) {
    Random r = new Random(seed);
    StringBuilder b = new StringBuilder(HEADER).append('\n');
    String[] labels = {"cat", "dog", "eel"};
    for (int i = 0; i < rows; i++) {
      int c = i % 3;
      String site = r.nextDouble() < 0.75 ? "north" : "south";
      double[] centre = {c == 0 ? 2 : -1, c == 1 ? 2 : -1, c == 2 ? 2 : -1, site.equals("south") ? 1 : 0};
      for (int j = 0; j < 4; j++) {
        b.append(String.format(Locale.ROOT, "%.4f", centre[j] + 0.6 * r.nextGaussian())).append(',');
      }
      b.append(site).append(',').append(labels[c]).append('\n');
    }
    try {
      Files.writeString(file, b.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** Writes literal CSV text. */
  public static Path text(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** The schema of the synthetic tables (label "label", group "site"). */
  public static TabularSchema schema() {
    return TabularSchema.of("label", "site");
  }
}
