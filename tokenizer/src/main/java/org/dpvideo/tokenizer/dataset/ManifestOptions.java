package org.dpvideo.tokenizer.dataset;

import java.util.Objects;

/**
 * How to load a manifest.
 *
 * @param check how deeply each row's file is checked
 * @param skipBad drop bad rows (and say how many) instead of failing with the list of problems
 * @param requireCaptions treat an empty caption as a problem (tasks with text prompts need one)
 */
public record ManifestOptions(ManifestCheck check, boolean skipBad, boolean requireCaptions) {
  /** Default: check files cheaply, fail on any bad row, captions required. */
  public static final ManifestOptions DEFAULT = new ManifestOptions(ManifestCheck.FILES, false, true);

  /** Validates. */
  public ManifestOptions {
    Objects.requireNonNull(check, "check");
  }

  /** With another check depth. */
  public ManifestOptions withCheck(ManifestCheck c) {
    return new ManifestOptions(c, skipBad, requireCaptions);
  }

  /** With skipping of bad rows on or off. */
  public ManifestOptions withSkipBad(boolean skip) {
    return new ManifestOptions(check, skip, requireCaptions);
  }

  /** With captions required or not. */
  public ManifestOptions withRequireCaptions(boolean require) {
    return new ManifestOptions(check, skipBad, require);
  }
}
