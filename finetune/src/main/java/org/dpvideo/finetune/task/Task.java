package org.dpvideo.finetune.task;

import java.util.Arrays;
import java.util.Locale;
import org.dpvideo.tokenizer.text.SpecialToken;

/**
 * The generation tasks of the video LM (VideoPoet's task prompts), each with its task token. The output
 * is always video tokens; what the condition prefix holds is given per task.
 */
public enum Task {
  /** Caption -> whole clip (with a one-row grid: caption -> image). */
  TEXT_TO_VIDEO(SpecialToken.TASK_TEXT_TO_VIDEO, true, false),
  /** Image-to-video / sticker animation: caption + first frame -> the following frames. */
  IMAGE_TO_VIDEO(SpecialToken.TASK_IMAGE_TO_VIDEO, true, true),
  /** Frame continuation: caption + the first half of the token rows -> the rest. */
  FRAME_CONTINUATION(SpecialToken.TASK_FRAME_CONTINUATION, true, true),
  /** Inpainting: caption + the clip with a central box masked -> the whole clip. */
  INPAINTING(SpecialToken.TASK_INPAINTING, true, true),
  /** Outpainting: caption + the clip with its border masked -> the whole clip. */
  OUTPAINTING(SpecialToken.TASK_OUTPAINTING, true, true),
  /** Personalization: caption + a reference image of the subject -> the whole clip. */
  PERSONALIZATION(SpecialToken.TASK_PERSONALIZATION, true, true),
  /** Unconditional: the null condition -> the whole clip (the classifier-free-guidance null branch). */
  UNCONDITIONAL(SpecialToken.TASK_UNCONDITIONAL, false, false);

  private final SpecialToken token;
  private final boolean caption;
  private final boolean videoCondition;

  Task(SpecialToken token, boolean caption, boolean videoCondition) {
    this.token = token;
    this.caption = caption;
    this.videoCondition = videoCondition;
  }

  /** The task token that opens the sequence. */
  public SpecialToken token() {
    return token;
  }

  /** Whether the prefix holds a caption. */
  public boolean hasCaption() {
    return caption;
  }

  /** Whether the prefix holds condition video tokens (between BOC and EOC). */
  public boolean hasVideoCondition() {
    return videoCondition;
  }

  /** The lower-case name used on command lines and in reports, e.g. {@code image_to_video}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a label ({@code image_to_video}) or a short form ({@code i2v}, {@code t2v}, {@code fc}, ...).
   *
   * @throws IllegalArgumentException listing the accepted names
   */
  public static Task parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    switch (t) {
      case "i2v", "animation", "sticker_animation" -> {
        return IMAGE_TO_VIDEO;
      }
      case "t2v" -> {
        return TEXT_TO_VIDEO;
      }
      case "fc", "continuation" -> {
        return FRAME_CONTINUATION;
      }
      case "inpaint" -> {
        return INPAINTING;
      }
      case "outpaint" -> {
        return OUTPAINTING;
      }
      case "personalize", "personalise" -> {
        return PERSONALIZATION;
      }
      case "uncond" -> {
        return UNCONDITIONAL;
      }
      default -> {
        for (Task k : values()) {
          if (k.label().equals(t)) {
            return k;
          }
        }
      }
    }
    throw new IllegalArgumentException("unknown task '" + text + "'; expected one of "
        + Arrays.stream(values()).map(Task::label).toList() + " (or i2v, t2v, fc, inpaint, outpaint, personalize, uncond)");
  }
}
