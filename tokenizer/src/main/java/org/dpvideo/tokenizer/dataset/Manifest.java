package org.dpvideo.tokenizer.dataset;

import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.dpvideo.tokenizer.video.ContainerProbe;
import org.dpvideo.tokenizer.video.VideoDecodeException;
import org.dpvideo.tokenizer.video.VideoReader;

/**
 * A dataset manifest: a CSV with the columns {@code path, caption, subject, split, provenance} (any
 * order) plus any number of {@code group:NAME} columns. Paths are relative to the manifest's folder
 * (or absolute). Splits are {@code train|val|test}; provenance is {@code public|private}.
 *
 * <p>{@link #load} validates the whole file and reports every bad row at once with its line number;
 * with {@link ManifestOptions#skipBad()} bad rows are dropped and counted ({@link #skippedRows()}), never
 * silently. Immutable and thread-safe.
 */
public final class Manifest {
  /** The required columns, in the order {@link #write} uses. */
  public static final List<String> REQUIRED = List.of("path", "caption", "subject", "split", "provenance");
  /** Prefix of group columns. */
  public static final String GROUP_PREFIX = "group:";

  private final Path source;
  private final List<String> groupNames;
  private final List<ManifestRow> rows;
  private final List<String> skippedProblems;

  private Manifest(Path source, List<String> groupNames, List<ManifestRow> rows, List<String> skipped) {
    this.source = source;
    this.groupNames = List.copyOf(groupNames);
    this.rows = List.copyOf(rows);
    this.skippedProblems = List.copyOf(skipped);
  }

  /** A manifest made in code (e.g. by the Fluent Emoji fetcher); {@code source} names where it will live. */
  public static Manifest of(Path source, List<String> groupNames, List<ManifestRow> rows) {
    for (ManifestRow r : rows) {
      if (!r.groups().keySet().equals(new LinkedHashSet<>(groupNames))) {
        throw new IllegalArgumentException("row for " + r.path() + " has groups " + r.groups().keySet()
            + " but the manifest declares " + groupNames + ".");
      }
    }
    return new Manifest(source, groupNames, rows, List.of());
  }

  /**
   * Loads and validates {@code csv}.
   *
   * @throws ManifestException listing every problem (header, or all bad rows) unless
   *     {@code options.skipBad()} and the header is fine
   */
  public static Manifest load(Path csv, ManifestOptions options) {
    if (!Files.isRegularFile(csv)) {
      throw new IllegalArgumentException("manifest " + csv + " does not exist or is not a file.");
    }
    Path base = csv.toAbsolutePath().getParent();
    List<String> problems = new ArrayList<>();
    List<ManifestRow> rows = new ArrayList<>();
    List<String> groups = new ArrayList<>();
    try (Reader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
        CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true)
            .setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(true).build().parse(in)) {
      List<String> header = parser.getHeaderNames();
      List<String> headerProblems = checkHeader(header, groups);
      if (!headerProblems.isEmpty()) {
        throw new ManifestException(csv, headerProblems, "The header must be: "
            + String.join(",", REQUIRED) + "[,group:NAME ...], e.g. path,caption,subject,split,provenance,"
            + "group:skin_tone");
      }
      for (CSVRecord rec : parser) {
        int line = (int) parser.getCurrentLineNumber();
        List<String> rowProblems = new ArrayList<>();
        ManifestRow row = parseRow(rec, line, base, groups, options, rowProblems);
        if (rowProblems.isEmpty()) {
          rows.add(row);
        } else {
          problems.addAll(rowProblems);
        }
      }
    } catch (ManifestException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new ManifestException(csv, List.of("the CSV cannot be parsed: " + e.getMessage()),
          "Check quoting: fields with commas or quotes must be in double quotes.");
    }
    if (!problems.isEmpty() && !options.skipBad()) {
      throw new ManifestException(csv, problems, "Fix these rows, or pass --skip-bad to drop them"
          + " (the number dropped is reported).");
    }
    if (rows.isEmpty()) {
      throw new ManifestException(csv, problems.isEmpty() ? List.of("it has no rows") : problems,
          "A manifest needs at least one usable row.");
    }
    return new Manifest(csv.toAbsolutePath(), groups, rows, problems);
  }

  private static List<String> checkHeader(List<String> header, List<String> groups) {
    List<String> problems = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (String h : header) {
      String name = h.trim();
      if (!seen.add(name)) {
        problems.add("line 1: column '" + name + "' appears twice");
      }
      if (name.startsWith(GROUP_PREFIX)) {
        String g = name.substring(GROUP_PREFIX.length());
        if (!g.matches("[A-Za-z0-9_\\-]+")) {
          problems.add("line 1: group column '" + name + "' needs a name of letters, digits, _ or -"
              + " after 'group:'");
        } else {
          groups.add(g);
        }
      } else if (!REQUIRED.contains(name)) {
        problems.add("line 1: unknown column '" + name + "'; allowed are " + String.join(", ", REQUIRED)
            + " and group:NAME columns");
      }
    }
    for (String r : REQUIRED) {
      if (!seen.contains(r)) {
        problems.add("line 1: required column '" + r + "' is missing (header is " + String.join(",", header)
            + ")");
      }
    }
    return problems;
  }

  private static ManifestRow parseRow(CSVRecord rec, int line, Path base, List<String> groups,
      ManifestOptions options, List<String> problems) {
    String where = "line " + line + ": ";
    if (!rec.isConsistent()) {
      problems.add(where + "has " + rec.size() + " fields but the header has " + rec.getParser().getHeaderNames().size());
      return null;
    }
    String pathText = rec.get("path");
    String caption = rec.get("caption");
    String subject = rec.get("subject");
    String splitText = rec.get("split");
    String provText = rec.get("provenance");
    Path path = null;
    if (pathText.isBlank()) {
      problems.add(where + "empty path");
    } else {
      try {
        Path p = Path.of(pathText);
        path = (p.isAbsolute() ? p : base.resolve(p)).normalize();
      } catch (RuntimeException e) {
        problems.add(where + "path '" + pathText + "' is not a valid path: " + e.getMessage());
      }
    }
    if (options.requireCaptions() && caption.isBlank()) {
      problems.add(where + "empty caption (text-conditioned tasks need one; write a caption or load with"
          + " captions optional)");
    }
    if (subject.isBlank()) {
      problems.add(where + "empty subject (the privacy unit id; use the file name if each video is its"
          + " own subject)");
    }
    Split split = Split.parseOrNull(splitText);
    if (split == null) {
      problems.add(where + "unknown split '" + splitText + "'; expected one of " + Split.allowed());
    }
    Provenance prov = Provenance.parseOrNull(provText);
    if (prov == null) {
      problems.add(where + "unknown provenance '" + provText + "'; expected public or private");
    }
    Map<String, String> g = new LinkedHashMap<>();
    for (String name : groups) {
      String v = rec.get(GROUP_PREFIX + name);
      if (v.isBlank()) {
        problems.add(where + "empty value in group:" + name + " (use 'unspecified' when unknown)");
      }
      g.put(name, v.trim());
    }
    if (path != null && options.check() != ManifestCheck.FIELDS) {
      try {
        if (options.check() == ManifestCheck.DECODE) {
          VideoReader.probe(path);
        } else {
          ContainerProbe.check(path);
        }
      } catch (VideoDecodeException e) {
        problems.add(where + e.getMessage());
      } catch (RuntimeException e) {
        problems.add(where + "cannot read " + path + ": " + e);
      }
    }
    if (!problems.isEmpty()) {
      return null;
    }
    return new ManifestRow(line, path, caption.trim(), subject.trim(), split, prov, g);
  }

  /** Where the manifest was loaded from (or will be written to). */
  public Path source() {
    return source;
  }

  /** Group names (without the {@code group:} prefix), in column order. */
  public List<String> groupNames() {
    return groupNames;
  }

  /** The valid rows, in file order. */
  public List<ManifestRow> rows() {
    return rows;
  }

  /** Number of bad rows dropped by {@code skipBad}. */
  public int skippedRows() {
    return skippedProblems.size();
  }

  /** The problems of the dropped rows. */
  public List<String> skippedProblems() {
    return skippedProblems;
  }

  /** The rows of one split. */
  public List<ManifestRow> rows(Split split) {
    return rows.stream().filter(r -> r.split() == split).toList();
  }

  /** A manifest of the rows matching {@code keep}. */
  public Manifest filter(Predicate<ManifestRow> keep) {
    return new Manifest(source, groupNames, rows.stream().filter(keep).toList(), skippedProblems);
  }

  /** Number of rows with {@code private} provenance. */
  public long privateRowCount() {
    return rows.stream().filter(r -> r.provenance() == Provenance.PRIVATE).count();
  }

  /**
   * Refuses private data for {@code purpose}: throws when any row is {@code private}, naming how many
   * and the first lines.
   *
   * @param purpose what the data would be used for, e.g. "fitting a tokenizer"
   * @param why the reason, a sentence
   */
  public void requireAllPublic(String purpose, String why) {
    List<ManifestRow> priv = rows.stream().filter(r -> r.provenance() == Provenance.PRIVATE).toList();
    if (!priv.isEmpty()) {
      List<String> lines = priv.stream().limit(10).map(r -> Integer.toString(r.line())).toList();
      throw new IllegalArgumentException("refusing " + purpose + " on manifest " + source + ": "
          + priv.size() + " of its " + rows.size() + " rows are private (lines " + String.join(", ", lines)
          + (priv.size() > 10 ? ", ..." : "") + "). " + why + " Use a manifest of public footage only, e.g."
          + " filter with provenance=public.");
    }
  }

  /** A SHA-256 of the rows' content (paths, captions, subjects, splits, provenance, groups, file sizes). */
  public String contentHash() {
    Hasher h = Hashing.sha256().newHasher();
    for (ManifestRow r : rows) {
      h.putString(r.path().toString(), StandardCharsets.UTF_8).putByte((byte) 0)
          .putString(r.caption(), StandardCharsets.UTF_8).putByte((byte) 0)
          .putString(r.subject(), StandardCharsets.UTF_8).putByte((byte) 0)
          .putString(r.split().label(), StandardCharsets.UTF_8).putByte((byte) 0)
          .putString(r.provenance().label(), StandardCharsets.UTF_8).putByte((byte) 0)
          .putString(r.groups().toString(), StandardCharsets.UTF_8).putByte((byte) 0);
      try {
        h.putLong(Files.isRegularFile(r.path()) ? Files.size(r.path()) : -1);
        h.putLong(Files.getLastModifiedTime(r.path()).toMillis());
      } catch (IOException e) {
        h.putLong(-2);
      }
    }
    return h.hash().toString();
  }

  /**
   * Writes this manifest as CSV to {@code csv} (temporary file, then rename); paths are written relative
   * to the CSV's folder when they are inside it.
   */
  public void write(Path csv) throws IOException {
    Path dir = csv.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + csv.getFileName(), ".part");
    try {
      List<String> header = new ArrayList<>(REQUIRED);
      groupNames.forEach(g -> header.add(GROUP_PREFIX + g));
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
          CSVPrinter p = new CSVPrinter(w, CSVFormat.RFC4180.builder().setRecordSeparator("\n").build())) {
        p.printRecord(header);
        for (ManifestRow r : rows) {
          Path abs = r.path().toAbsolutePath();
          String path = abs.startsWith(dir) ? dir.relativize(abs).toString() : abs.toString();
          List<String> values = new ArrayList<>(List.of(path, r.caption(), r.subject(), r.split().label(),
              r.provenance().label()));
          groupNames.forEach(g -> values.add(r.group(g)));
          p.printRecord(values);
        }
      }
      Files.move(tmp, csv, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Counts of rows per value of {@code key}. */
  public static <K> Map<K, Long> countBy(List<ManifestRow> rows, java.util.function.Function<ManifestRow, K> key) {
    Map<K, Long> out = new LinkedHashMap<>();
    for (ManifestRow r : rows) {
      out.merge(key.apply(r), 1L, Long::sum);
    }
    return Collections.unmodifiableMap(out);
  }
}
