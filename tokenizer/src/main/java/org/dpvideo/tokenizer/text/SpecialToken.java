package org.dpvideo.tokenizer.text;

/**
 * Special tokens of the task prompts; their ids are their ordinals (0 = {@link #PAD}), stable across
 * versions: new tokens are only ever appended.
 */
public enum SpecialToken {
  /** Padding (ignored by the loss). */
  PAD,
  /** Begin of sequence. */
  BOS,
  /** End of sequence. */
  EOS,
  /** Begin of the text condition. */
  BOT,
  /** End of the text condition. */
  EOT,
  /** Task: text to video. */
  TASK_TEXT_TO_VIDEO,
  /** Task: image to video (animate a first frame, e.g. a sticker, with a caption). */
  TASK_IMAGE_TO_VIDEO,
  /** Task: frame continuation (predict the next frames of a clip). */
  TASK_FRAME_CONTINUATION,
  /** Task: inpainting (fill masked regions of a clip). */
  TASK_INPAINTING,
  /** Task: outpainting (extend a clip beyond its borders). */
  TASK_OUTPAINTING,
  /** Task: personalization (generate a subject shown by reference images). */
  TASK_PERSONALIZATION,
  /** Task: unconditional generation (also the classifier-free-guidance null branch). */
  TASK_UNCONDITIONAL,
  /** Begin of the condition video (or image). */
  BOC_VIDEO,
  /** End of the condition video (or image). */
  EOC_VIDEO,
  /** Begin of the output video. */
  BOO_VIDEO,
  /** End of the output video. */
  EOO_VIDEO,
  /** A masked position (inpainting/outpainting condition). */
  MASK,
  /** An empty or dropped condition (condition dropout for classifier-free guidance). */
  NULL_CONDITION,
  /** Separator between condition parts (e.g. several reference images). */
  SEP;

  /** The token id. */
  public int id() {
    return ordinal();
  }
}
