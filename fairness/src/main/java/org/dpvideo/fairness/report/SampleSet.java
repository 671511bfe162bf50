package org.dpvideo.fairness.report;

import java.util.List;
import java.util.Objects;
import org.dpvideo.fairness.Provenance;
import org.dpvideo.fairness.group.GroupKey;

/**
 * Generated samples of one group.
 *
 * @param group the group the prompts belong to
 * @param caption what was asked (prompt template, sampler settings)
 * @param provenance EVAL_PUBLIC for samples of the private (DP) model from public prompts;
 *     TRAIN_UNPROTECTED for samples of a non-private shadow model
 * @param paths GIF (or PNG) files, relative to the run directory
 */
public record SampleSet(GroupKey group, String caption, Provenance provenance, List<String> paths) {
  /** Validates and copies. */
  public SampleSet {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(provenance, "provenance");
    caption = caption == null ? "" : caption;
    paths = List.copyOf(paths);
    for (String p : paths) {
      if (p.startsWith("/") || p.contains("..")) {
        throw new IllegalArgumentException("sample path '" + p + "' must be relative to the run directory and stay"
            + " inside it (e.g. samples/skin_tone=3/0.gif)");
      }
    }
  }
}
