package org.dpvideo.tokenizer.dataset;

import java.util.List;
import java.util.Map;

/**
 * What {@link DatasetInspector} found in a manifest.
 *
 * @param manifest path of the manifest
 * @param rows usable rows
 * @param skippedRows bad rows dropped at load ({@code --skip-bad})
 * @param subjects distinct subjects
 * @param perSplit rows per split label
 * @param perProvenance rows per provenance label
 * @param perGroup rows per label, for each group column
 * @param probed number of files fully decoded for the frame statistics
 * @param frames frame-count statistics of the probed files
 * @param durationSeconds duration statistics of the probed files
 * @param widths frame-width statistics of the probed files
 * @param heights frame-height statistics of the probed files
 * @param withTransparency probed files with transparent pixels
 * @param undecodable problems of probed files that failed to decode (file and problem)
 * @param contactSheet the written contact-sheet PNG, or {@code null}
 */
public record DatasetInspection(String manifest, int rows, int skippedRows, int subjects, Map<String, Long> perSplit,
    Map<String, Long> perProvenance, Map<String, Map<String, Long>> perGroup, int probed, Stats frames,
    Stats durationSeconds, Stats widths, Stats heights, int withTransparency, List<String> undecodable,
    String contactSheet) {

  /**
   * Summary statistics.
   *
   * @param min smallest value
   * @param median median
   * @param mean mean
   * @param max largest value
   */
  public record Stats(double min, double median, double mean, double max) {
    /** Of {@code values} (all zeros when empty). */
    public static Stats of(double[] values) {
      if (values.length == 0) {
        return new Stats(0, 0, 0, 0);
      }
      double[] v = values.clone();
      java.util.Arrays.sort(v);
      double sum = 0;
      for (double x : v) {
        sum += x;
      }
      double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
      return new Stats(v[0], median, sum / v.length, v[v.length - 1]);
    }
  }
}
