package org.dpvideo.tokenizer.dataset;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * One manifest row: a video (or image, or frame folder) with its caption, the privacy subject it
 * belongs to, its split, provenance and group labels.
 *
 * @param line 1-based line number in the CSV (0 for rows made in code)
 * @param path absolute path of the footage
 * @param caption text caption (may be empty when no task needs one)
 * @param subject the privacy subject (a person, a sticker id): every clip of one subject is one unit
 *     under subject-level DP
 * @param split train / val / test
 * @param provenance public or private
 * @param groups group labels by group name without the {@code group:} prefix (e.g. {@code skin_tone});
 *     unmodifiable, iteration in column order
 */
public record ManifestRow(int line, Path path, String caption, String subject, Split split,
    Provenance provenance, Map<String, String> groups) {

  /** Validates non-null fields and copies the groups. */
  public ManifestRow {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(caption, "caption");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(split, "split");
    Objects.requireNonNull(provenance, "provenance");
    groups = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(groups));
  }

  /** The label of group {@code name}, or {@code null}. */
  public String group(String name) {
    return groups.get(name);
  }
}
