package org.dpvideo.finetune.generate;

import java.util.Objects;
import org.dpvideo.fairness.group.GroupKey;
import org.dpvideo.tokenizer.TokenGrid;

/**
 * One real held-out clip for {@link ModelEvaluation}: its token grid (the video tokenizer's codes, the
 * task layout's grid), its caption, its fairness group and, for personalization, a reference image.
 * The clip gives the prompt of the samples drawn for it (its caption, its first frame for sticker
 * animation, its first half for frame continuation, a masked copy for in/outpainting), the target of its
 * held-out likelihood, and its share of the real-data baseline.
 *
 * @param grid the clip's token grid
 * @param caption its caption (may be empty)
 * @param group its fairness group
 * @param reference the subject's reference image for personalization (one token row), else null
 */
public record HeldOutClip(TokenGrid grid, String caption, GroupKey group, TokenGrid reference) {
  /** Validates. */
  public HeldOutClip {
    Objects.requireNonNull(grid, "grid");
    Objects.requireNonNull(group, "group");
    caption = caption == null ? "" : caption;
  }

  /** A clip without a reference image. */
  public HeldOutClip(TokenGrid grid, String caption, GroupKey group) {
    this(grid, caption, group, null);
  }

  /** The task condition this clip gives. */
  public TaskCondition condition() {
    return new TaskCondition(caption, grid, reference);
  }
}
