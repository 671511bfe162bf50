package org.dpvideo.finetune.task;

import java.util.Objects;
import org.dpvideo.tokenizer.GridShape;

/**
 * The fixed token layout of one task on one token grid: every sequence of the layout has the same
 * length and the same prefix, so the layout is a task group of Alternating Gradient Descent (one graph,
 * no padding between sequences). A clip of {@code t x h x w} tokens and a caption budget of
 * {@code captionTokens} (BOT, the caption's bytes, EOT, then PAD) give:
 *
 * <pre>
 *   text_to_video       [T2V] caption [BOO] | t*h*w
 *   image_to_video      [I2V] caption [BOC] h*w [EOC] [BOO] | (t-1)*h*w
 *   frame_continuation  [FC]  caption [BOC] (t/2)*h*w [EOC] [BOO] | (t - t/2)*h*w
 *   inpainting          [INP] caption [BOC] t*h*w (masked box) [EOC] [BOO] | t*h*w
 *   outpainting         [OUT] caption [BOC] t*h*w (masked border) [EOC] [BOO] | t*h*w
 *   personalization     [PER] caption [BOC] h*w (reference image) [EOC] [BOO] | t*h*w
 *   unconditional       [UNC] [NULL] [BOO] | t*h*w
 * </pre>
 *
 * The prefix is everything up to and including BOO (bidirectional attention); the output tokens after
 * it are predicted causally. The model's input is the whole sequence but its last token.
 *
 * @param task the task
 * @param grid the clip's token grid (one row of time for images)
 * @param captionTokens caption budget including BOT and EOT (ignored by the unconditional task), &gt;= 2
 */
public record TaskLayout(Task task, GridShape grid, int captionTokens) {
  public TaskLayout {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(grid, "grid");
    if (captionTokens < 2) {
      throw new IllegalArgumentException("the caption budget must be >= 2 (BOT and EOT), got " + captionTokens);
    }
    if ((task == Task.IMAGE_TO_VIDEO || task == Task.FRAME_CONTINUATION) && grid.t() < 2) {
      throw new IllegalArgumentException(task.label() + " needs at least 2 token rows of time, got grid " + grid);
    }
  }

  /** Tokens of one frame row. */
  public int frameTokens() {
    return grid.h() * grid.w();
  }

  /** Token rows given in the condition (image_to_video: 1, frame_continuation: t/2). */
  public int conditionRows() {
    return switch (task) {
      case IMAGE_TO_VIDEO -> 1;
      case FRAME_CONTINUATION -> grid.t() / 2;
      case INPAINTING, OUTPAINTING -> grid.t();
      case PERSONALIZATION -> 1;
      default -> 0;
    };
  }

  /** The first output token row (the continuation tasks skip the given rows). */
  public int firstOutputRow() {
    return task == Task.IMAGE_TO_VIDEO || task == Task.FRAME_CONTINUATION ? conditionRows() : 0;
  }

  /** The number of output tokens (the loss covers exactly these). */
  public int outputTokens() {
    return (grid.t() - firstOutputRow()) * frameTokens();
  }

  /** The prefix length P: task token, caption, condition video with its delimiters, BOO. */
  public int prefixLength() {
    int p = 1;
    p += task.hasCaption() ? captionTokens : 1;
    if (task.hasVideoCondition()) {
      p += 2 + conditionRows() * frameTokens();
    }
    return p + 1;
  }

  /** The whole sequence: prefix plus output tokens. */
  public int sequenceLength() {
    return prefixLength() + outputTokens();
  }

  /** The model's input length T: the sequence without its last token. */
  public int inputLength() {
    return sequenceLength() - 1;
  }

  /** A label for reports: {@code image_to_video@5x8x8}. */
  public String label() {
    return task.label() + "@" + grid.t() + "x" + grid.h() + "x" + grid.w();
  }
}
