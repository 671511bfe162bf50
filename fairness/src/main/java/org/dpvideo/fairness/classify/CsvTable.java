package org.dpvideo.fairness.classify;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A CSV file as text cells: a header row naming the columns and data rows, each remembered with its line
 * number. Fields are comma-separated; a field may be quoted with {@code "} (a doubled {@code ""} inside
 * quotes is one quote; quoted fields may hold commas but not line breaks). Blank lines are skipped.
 * Rows with the wrong number of fields are collected, not thrown one by one, so a caller can report every
 * bad row at once.
 *
 * <p>Immutable; thread-safe.
 */
public final class CsvTable {
  private final Path source;
  private final List<String> header;
  private final Map<String, Integer> columnIndex;
  private final List<String[]> rows;
  private final int[] lineNumbers;
  private final List<String> problems;

  private CsvTable(Path source, List<String> header, List<String[]> rows, int[] lineNumbers, List<String> problems) {
    this.source = source;
    this.header = List.copyOf(header);
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < header.size(); i++) {
      index.putIfAbsent(header.get(i), i);
    }
    this.columnIndex = Collections.unmodifiableMap(index);
    this.rows = List.copyOf(rows);
    this.lineNumbers = lineNumbers;
    this.problems = List.copyOf(problems);
  }

  /**
   * Reads a CSV file.
   *
   * @throws IllegalArgumentException if the file does not exist, is empty, or its header repeats or
   *     leaves out column names
   * @throws UncheckedIOException on a read error
   */
  public static CsvTable read(Path file) {
    List<String> lines;
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      lines = r.lines().toList();
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("CSV file " + file + " does not exist; check the path");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read CSV file " + file + ": " + e.getMessage(), e);
    }
    return parse(file, lines);
  }

  /** Parses CSV text given as lines (line 1 is the header); {@code source} names it in messages. */
  public static CsvTable parse(Path source, List<String> lines) {
    int first = 0;
    while (first < lines.size() && lines.get(first).isBlank()) {
      first++;
    }
    if (first == lines.size()) {
      throw new IllegalArgumentException("CSV file " + source + " is empty; it needs a header row naming the columns"
          + " and one row per example");
    }
    List<String> problems = new ArrayList<>();
    String headerLine = stripBom(lines.get(first));
    List<String> header = new ArrayList<>();
    for (String h : split(headerLine, first + 1, problems)) {
      header.add(h.trim());
    }
    List<String> headerProblems = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < header.size(); i++) {
      String h = header.get(i);
      if (h.isEmpty()) {
        headerProblems.add("column " + (i + 1) + " has no name");
      } else if (seen.containsKey(h)) {
        headerProblems.add("column name '" + h + "' appears twice (columns " + (seen.get(h) + 1) + " and " + (i + 1) + ")");
      } else {
        seen.put(h, i);
      }
    }
    if (!problems.isEmpty() || !headerProblems.isEmpty()) {
      List<String> all = new ArrayList<>(problems);
      all.addAll(headerProblems);
      throw new IllegalArgumentException("the header of CSV file " + source + " (line " + (first + 1) + ") is not"
          + " usable: " + String.join("; ", all) + ". Give every column a unique name");
    }
    List<String[]> rows = new ArrayList<>();
    List<Integer> numbers = new ArrayList<>();
    List<Integer> wrongWidth = new ArrayList<>();
    for (int l = first + 1; l < lines.size(); l++) {
      String line = lines.get(l);
      if (line.isBlank()) {
        continue;
      }
      List<String> fields = split(line, l + 1, problems);
      if (fields.size() != header.size()) {
        wrongWidth.add(l + 1);
        continue;
      }
      rows.add(fields.toArray(new String[0]));
      numbers.add(l + 1);
    }
    if (!wrongWidth.isEmpty()) {
      problems.add(wrongWidth.size() + " row(s) do not have " + header.size() + " fields like the header: lines "
          + LineRanges.format(wrongWidth));
    }
    return new CsvTable(source, header, rows, numbers.stream().mapToInt(Integer::intValue).toArray(), problems);
  }

  private static String stripBom(String s) {
    return s.startsWith("\uFEFF") ? s.substring(1) : s;
  }

  private static List<String> split(String line, int lineNumber, List<String> problems) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    boolean wasQuoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
            cur.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          cur.append(c);
        }
      } else if (c == '"' && cur.toString().isBlank() && !wasQuoted) {
        quoted = true;
        wasQuoted = true;
        cur.setLength(0);
      } else if (c == ',') {
        out.add(wasQuoted ? cur.toString() : cur.toString().trim());
        cur.setLength(0);
        wasQuoted = false;
      } else {
        cur.append(c);
      }
    }
    if (quoted) {
      problems.add("line " + lineNumber + " has an unterminated quoted field");
    }
    out.add(wasQuoted ? cur.toString() : cur.toString().trim());
    return out;
  }

  /** The file the table came from. */
  public Path source() {
    return source;
  }

  /** Column names in file order. */
  public List<String> header() {
    return header;
  }

  /** Whether a column exists. */
  public boolean hasColumn(String name) {
    return columnIndex.containsKey(name);
  }

  /** The index of a column, or -1. */
  public int column(String name) {
    Integer i = columnIndex.get(name);
    return i == null ? -1 : i;
  }

  /** Number of well-formed data rows. */
  public int rowCount() {
    return rows.size();
  }

  /** Cell {@code (row, column)} of a well-formed row. */
  public String cell(int row, int column) {
    return rows.get(row)[column];
  }

  /** The file line number of a well-formed data row (1-based, counting the header). */
  public int lineNumber(int row) {
    return lineNumbers[row];
  }

  /** Structural problems found while reading (rows of the wrong width, unterminated quotes); empty if none. */
  public List<String> problems() {
    return problems;
  }
}
