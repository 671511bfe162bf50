package org.dpvideo.finetune.generate;

import org.dpvideo.tokenizer.TokenGrid;

/**
 * What a task is conditioned on. Which parts a task needs ({@link TaskRequests#request} says which are
 * missing):
 *
 * <ul>
 *   <li>text_to_video: the caption;</li>
 *   <li>image_to_video (sticker animation), frame_continuation: the caption and the clip whose first token
 *       row (respectively first half of the rows) is given;</li>
 *   <li>inpainting, outpainting: the caption and the clip, of which a central box (the border) is masked;</li>
 *   <li>personalization: the caption and a reference image of the subject (one token row);</li>
 *   <li>unconditional: nothing.</li>
 * </ul>
 *
 * @param caption the caption, or null/empty for none
 * @param clip the condition clip's token grid (the task layout's grid), or null
 * @param reference the reference image's token grid (its first token row is used), or null
 */
public record TaskCondition(String caption, TokenGrid clip, TokenGrid reference) {
  /** Normalizes a null caption to empty. */
  public TaskCondition {
    caption = caption == null ? "" : caption;
  }

  /** A caption alone (text_to_video). */
  public static TaskCondition caption(String caption) {
    return new TaskCondition(caption, null, null);
  }

  /** No condition (unconditional). */
  public static TaskCondition none() {
    return new TaskCondition("", null, null);
  }
}
