package org.dpvideo.finetune.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.dpvideo.finetune.model.VideoLmConfig;
import org.dpvideo.finetune.model.Vocabulary;
import org.dpvideo.finetune.sample.GeneratedSample;
import org.dpvideo.finetune.sample.GenerationRequest;
import org.dpvideo.finetune.sample.SamplingConfig;
import org.dpvideo.finetune.sample.TokenRange;
import org.dpvideo.finetune.task.Task;
import org.dpvideo.finetune.task.TaskLayout;
import org.dpvideo.finetune.task.TaskPrompts;
import org.dpvideo.tokenizer.GridShape;
import org.dpvideo.tokenizer.TokenGrid;
import org.dpvideo.tokenizer.text.TextTokenizer;

/**
 * Turns a task and its condition into the sampler's {@link GenerationRequest} for a video LM, and a
 * generated sample back into the task's whole token grid. The prompt is the task layout's prefix
 * ({@link TaskPrompts#prefix}); the null-condition prompt of classifier-free guidance is the same prefix
 * with every caption and condition token replaced by the null token ({@link TaskPrompts#nullCondition}),
 * as in training with condition dropout. Sampling is restricted to the video codes. Stateless and
 * thread-safe.
 */
public final class TaskRequests {
  private TaskRequests() {}

  /**
   * Checks that a model of {@code config} can express the layout: this build's text tokenizer ids (task
   * tokens, delimiters, caption bytes) are the model's text ids, the grid fits the model's position
   * tables, the sequence its length limit, and (when given) the video tokenizer's codebook its video ids.
   *
   * @param tokenizerCodes the video tokenizer's vocabulary size, or 0 to skip that check
   * @throws IllegalArgumentException listing every problem, with the fix
   */
  public static void requireExpressible(TaskLayout layout, VideoLmConfig config, int tokenizerCodes) {
    List<String> problems = new ArrayList<>();
    int text = TextTokenizer.INSTANCE.vocabSize();
    if (config.textVocabulary() != text) {
      problems.add("its text vocabulary has " + config.textVocabulary() + " ids but this build's text tokenizer has "
          + text + " (task token " + layout.task().token() + " is id " + layout.task().token().id()
          + "), so task tokens and captions would map to other ids");
    }
    GridShape g = layout.grid();
    if (g.h() != config.gridHeight() || g.w() != config.gridWidth()) {
      problems.add("the task's frames are " + g.h() + "x" + g.w() + " tokens but the model's positions are for "
          + config.gridHeight() + "x" + config.gridWidth());
    }
    if (g.t() > config.maxTokenFrames()) {
      problems.add("the task's clip has " + g.t() + " token rows of time but the model knows at most "
          + config.maxTokenFrames());
    }
    if (layout.sequenceLength() > config.maxSequenceLength()) {
      problems.add(layout.label() + " sequences have " + layout.sequenceLength() + " tokens, more than the model's "
          + config.maxSequenceLength());
    }
    int textTokens = layout.prefixLength() - (layout.task().hasVideoCondition()
        ? layout.conditionRows() * layout.frameTokens() : 0);
    if (textTokens > config.maxTextPositions()) {
      problems.add("the prompt has " + textTokens + " text and special tokens (caption budget "
          + layout.captionTokens() + "), more than the model's " + config.maxTextPositions() + " text positions");
    }
    if (tokenizerCodes > 0 && tokenizerCodes != config.videoVocabulary()) {
      problems.add("the video tokenizer has " + tokenizerCodes + " codes but the model " + config.videoVocabulary()
          + " video ids; use the tokenizer the model was trained with");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("the model (" + config.describe() + ") cannot express " + layout.label()
          + ": " + String.join("; ", problems) + ".");
    }
  }

  /**
   * The generation request of one prompt.
   *
   * @param sampling the sampler settings; with guidance ({@code cfgScale != 1}) the request carries the
   *     null-condition prompt
   * @throws IllegalArgumentException when the condition lacks what the task needs, does not fit the
   *     layout's grid, or guidance is asked for the unconditional task (it has no condition to guide by)
   */
  public static GenerationRequest request(TaskLayout layout, Vocabulary vocab, TaskCondition condition,
      SamplingConfig sampling) {
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(vocab, "vocab");
    Objects.requireNonNull(condition, "condition");
    Objects.requireNonNull(sampling, "sampling");
    Task task = layout.task();
    if (task == Task.UNCONDITIONAL && sampling.usesGuidance()) {
      throw new IllegalArgumentException("classifier-free guidance (cfg scale " + sampling.cfgScale() + ") mixes"
          + " the conditional and the unconditional prediction, but the unconditional task has no condition; use cfg"
          + " scale 1 or another task.");
    }
    boolean needsClip = task.hasVideoCondition() && task != Task.PERSONALIZATION;
    if (needsClip && condition.clip() == null) {
      throw new IllegalArgumentException(task.label() + " needs a condition clip (" + what(task) + "); pass one.");
    }
    if (task == Task.PERSONALIZATION && condition.reference() == null) {
      throw new IllegalArgumentException("personalization needs a reference image of the subject; pass one.");
    }
    if (needsClip && !condition.clip().shape().equals(layout.grid())) {
      throw new IllegalArgumentException("the condition clip's token grid is " + condition.clip().shape()
          + " but " + layout.label() + " needs " + layout.grid() + "; sample the clip at the model's clip size.");
    }
    checkCodes(condition.clip(), vocab, "condition clip");
    checkCodes(condition.reference(), vocab, "reference image");
    int[] prefix = TaskPrompts.prefix(layout, vocab, needsClip ? condition.clip() : null, condition.caption(),
        task == Task.PERSONALIZATION ? condition.reference() : null);
    int[] nullPrefix = sampling.usesGuidance() ? TaskPrompts.nullCondition(prefix, prefix.length) : null;
    return new GenerationRequest(prefix, nullPrefix, outputShape(layout), videoCodes(vocab));
  }

  /** The grid the model generates: the layout's grid without the given condition rows. */
  public static GridShape outputShape(TaskLayout layout) {
    GridShape g = layout.grid();
    return new GridShape(g.t() - layout.firstOutputRow(), g.h(), g.w());
  }

  /** Where the video codes sit in the vocabulary (the range sampling is restricted to). */
  public static TokenRange videoCodes(Vocabulary vocab) {
    return TokenRange.videoCodes(vocab.textSize(), vocab.videoCodes());
  }

  /**
   * The whole clip's token grid (tokenizer codes) of a sample: the given condition rows of the prompt
   * (image_to_video, frame_continuation) followed by the generated rows.
   *
   * @throws IllegalStateException when the sample holds an id that is not a video code
   */
  public static TokenGrid clipGrid(TaskLayout layout, Vocabulary vocab, GenerationRequest request,
      GeneratedSample sample) {
    if (!sample.isDecodable()) {
      sample.grid(); // throws, naming the position
    }
    return TaskPrompts.outputGrid(layout, vocab, request.prefix(), sample.tokens());
  }

  private static String what(Task task) {
    return switch (task) {
      case IMAGE_TO_VIDEO -> "its first frame is animated";
      case FRAME_CONTINUATION -> "its first half is continued";
      case INPAINTING -> "its central box is filled in";
      case OUTPAINTING -> "its border is filled in";
      default -> "the condition";
    };
  }

  private static void checkCodes(TokenGrid grid, Vocabulary vocab, String what) {
    if (grid != null && grid.maxIdExclusive() > vocab.videoCodes()) {
      throw new IllegalArgumentException("the " + what + " holds code " + (grid.maxIdExclusive() - 1) + " but the model"
          + " has " + vocab.videoCodes() + " video codes; tokenize it with the model's tokenizer.");
    }
  }
}
