package org.dpvideo.finetune.data;

import java.util.Objects;
import org.dpvideo.tokenizer.TokenGrid;
import org.dpvideo.tokenizer.dataset.ManifestRow;

/**
 * One manifest row sampled at a clip spec and tokenized.
 *
 * @param row the manifest row (caption, subject, split, provenance, groups)
 * @param grid its token grid
 * @param quality the clip's statistics for the quality filter
 */
public record TokenizedClip(ManifestRow row, TokenGrid grid, ClipQuality quality) {
  public TokenizedClip {
    Objects.requireNonNull(row, "row");
    Objects.requireNonNull(grid, "grid");
    Objects.requireNonNull(quality, "quality");
  }
}
