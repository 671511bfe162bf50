package org.dpvideo.fairness.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;

/**
 * The files of a run directory that reports use (documented in {@code docs/fairness.md}):
 * <pre>
 * RUN_DIR/
 *   report-data.json          the RunReport with every figure (scope INTERNAL), written by the run
 *   samples/...               sample GIFs, referenced by relative paths from report-data.json
 *   report.html|json|md       the released report (internal figures withheld), by `dpvideo report`
 *   report-internal.html|...  the internal report, by `dpvideo report --internal`
 * </pre>
 * All writes go to a temporary file in the same directory and are then renamed, so readers never see a
 * half-written file.
 */
public final class RunDirectory {
  /** The report data file name. */
  public static final String REPORT_DATA = "report-data.json";
  /** The samples folder. */
  public static final String SAMPLES = "samples";

  private final Path dir;

  /** @param dir the run directory */
  public RunDirectory(Path dir) {
    this.dir = Objects.requireNonNull(dir, "dir").toAbsolutePath().normalize();
  }

  /** The directory. */
  public Path path() {
    return dir;
  }

  /** {@code RUN_DIR/report-data.json}. */
  public Path reportData() {
    return dir.resolve(REPORT_DATA);
  }

  /** The output file of a rendered report, e.g. {@code report.html} or {@code report-internal.md}. */
  public Path reportFile(ReportFormat format, ReleaseScope scope) {
    return dir.resolve((scope == ReleaseScope.INTERNAL ? "report-internal." : "report.") + format.extension());
  }

  /** Writes the report data atomically (creating the directory). */
  public Path writeReportData(RunReport report) {
    return writeAtomically(reportData(), ReportJson.toJson(report));
  }

  /**
   * Reads the report data.
   *
   * @throws IllegalArgumentException when the directory or file is missing or invalid, saying what to do
   */
  public RunReport readReportData() {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("run directory " + dir + " does not exist; pass the directory a training run"
          + " wrote (it holds " + REPORT_DATA + ")");
    }
    Path f = reportData();
    try {
      return ReportJson.fromJson(Files.readString(f, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("run directory " + dir + " has no " + REPORT_DATA + "; the run writes it when"
          + " it finishes (an interrupted run has none: resume or re-run it)", e);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + f + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(f + ": " + e.getMessage(), e);
    }
  }

  /**
   * Renders the report data in each format for {@code scope} and writes {@code report.<ext>} (or
   * {@code report-internal.<ext>}) atomically.
   *
   * @return the files written, in format order
   */
  public java.util.List<Path> writeReports(java.util.Set<ReportFormat> formats, ReleaseScope scope) {
    if (formats.isEmpty()) {
      throw new IllegalArgumentException("choose at least one report format (html, json, md)");
    }
    RunReport report = readReportData().forScope(scope);
    java.util.List<Path> written = new java.util.ArrayList<>();
    for (ReportFormat f : ReportFormat.values()) {
      if (!formats.contains(f)) {
        continue;
      }
      String text = switch (f) {
        case HTML -> HtmlReport.render(report, dir);
        case JSON -> ReportJson.toJson(report);
        case MD -> MarkdownReport.render(report);
      };
      written.add(writeAtomically(reportFile(f, scope), text));
    }
    return written;
  }

  /** Writes {@code text} to {@code target} through a temporary file and a rename. */
  public static Path writeAtomically(Path target, String text) {
    return writeAtomically(target, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes {@code bytes} to {@code target} through a temporary file and a rename. */
  public static Path writeAtomically(Path target, byte[] bytes) {
    Path parent = target.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      Files.createDirectories(parent);
      tmp = Files.createTempFile(parent, "." + target.getFileName() + ".", ".tmp");
      Files.write(tmp, bytes);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      return target;
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + target + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // The temporary file is already gone or unreachable; nothing else to clean.
        }
      }
    }
  }
}
