package org.dpvideo.finetune.metrics;

import java.util.List;
import java.util.Objects;
import org.dpvideo.fairness.Provenance;
import org.dpvideo.fairness.group.GroupAssignment;
import org.dpvideo.tokenizer.TokenGrid;
import org.dpvideo.tokenizer.video.Clip;

/**
 * A set of videos to measure: their token grids (codes of the video tokenizer, not shared-vocabulary
 * ids), optionally their decoded clips, their groups, and what data they are.
 *
 * <p>For the real-data baseline, pass the held-out clips' token grids and the clips decoded from those
 * grids (not the original footage), so that pixel statistics of real and generated videos both go
 * through the tokenizer's decoder and differ only by the tokens.
 *
 * @param description what the videos are, e.g. "64 samples, sticker animation, T=1 cfg=3"
 * @param grids one token grid per video, at least one
 * @param clips the decoded clips, one per grid, or null when pixel statistics are not wanted
 * @param groups the group of each video ({@code groups.size() == grids.size()})
 * @param provenance what data the figures come from (samples of a DP model from public prompts are
 *     {@code EVAL_PUBLIC}; statistics of private held-out clips without a DP mechanism are internal,
 *     {@code TRAIN_UNPROTECTED})
 */
public record VideoSet(String description, List<TokenGrid> grids, List<Clip> clips, GroupAssignment groups,
    Provenance provenance) {

  /** Validates and copies. */
  public VideoSet {
    Objects.requireNonNull(grids, "grids");
    Objects.requireNonNull(groups, "groups");
    Objects.requireNonNull(provenance, "provenance: say what data the videos are");
    description = description == null ? "" : description;
    grids = List.copyOf(grids);
    clips = clips == null ? null : List.copyOf(clips);
    if (grids.isEmpty()) {
      throw new IllegalArgumentException("a video set needs at least one token grid, got none.");
    }
    if (groups.size() != grids.size()) {
      throw new IllegalArgumentException("the group assignment covers " + groups.size() + " videos but the set has "
          + grids.size() + " token grids; assign a group to every video.");
    }
    if (clips != null && clips.size() != grids.size()) {
      throw new IllegalArgumentException("one decoded clip per token grid is needed, got " + clips.size()
          + " clips for " + grids.size() + " grids.");
    }
  }

  /** Number of videos. */
  public int size() {
    return grids.size();
  }

  /** The grids' ids, one array per video, row-major. */
  List<int[]> sequences() {
    return grids.stream().map(TokenGrid::ids).toList();
  }
}
