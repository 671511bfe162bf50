package org.dpvideo.finetune.task;

import java.util.Arrays;
import org.dpvideo.finetune.model.Vocabulary;
import org.dpvideo.tokenizer.GridShape;
import org.dpvideo.tokenizer.TokenGrid;
import org.dpvideo.tokenizer.text.SpecialToken;
import org.dpvideo.tokenizer.text.TextTokenizer;

/**
 * Builds the token sequences of {@link TaskLayout}s: training sequences (prefix and output), prefixes for
 * generation, the null condition of classifier-free guidance and condition dropout, and the output grid
 * of a generated sequence. Stateless and thread-safe.
 */
public final class TaskPrompts {
  /** The default caption budget: BOT, up to 22 caption bytes, EOT. */
  public static final int DEFAULT_CAPTION_TOKENS = 24;

  private TaskPrompts() {}

  /**
   * The full sequence (prefix, then output) of one example.
   *
   * @param video the clip's tokens (its grid must be the layout's)
   * @param caption the caption (ignored by the unconditional task)
   * @param reference a reference image (one token row of the layout's grid) for personalization, else null
   */
  public static int[] sequence(TaskLayout layout, Vocabulary vocab, TokenGrid video, String caption,
      TokenGrid reference) {
    checkGrid(layout, video);
    int[] prefix = prefix(layout, vocab, video, caption, reference);
    int[] out = Arrays.copyOf(prefix, layout.sequenceLength());
    int from = layout.firstOutputRow() * layout.frameTokens();
    int[] ids = video.ids();
    for (int i = 0; i < layout.outputTokens(); i++) {
      out[prefix.length + i] = vocab.videoId(ids[from + i]);
    }
    return out;
  }

  /**
   * The prefix (task token, condition, BOO) that starts a generation.
   *
   * @param condition the clip the condition is cut from (its first rows for the continuation tasks, a
   *     masked copy for in/outpainting); may be null for text_to_video, personalization and unconditional
   * @param reference the reference image for personalization (its first token row is used), else null
   */
  public static int[] prefix(TaskLayout layout, Vocabulary vocab, TokenGrid condition, String caption,
      TokenGrid reference) {
    Task task = layout.task();
    int[] p = new int[layout.prefixLength()];
    int i = 0;
    p[i++] = task.token().id();
    if (task.hasCaption()) {
      int[] text = TextTokenizer.INSTANCE.encodePadded(caption == null ? "" : caption, layout.captionTokens());
      System.arraycopy(text, 0, p, i, text.length);
      i += text.length;
    } else {
      p[i++] = SpecialToken.NULL_CONDITION.id();
    }
    if (task.hasVideoCondition()) {
      p[i++] = SpecialToken.BOC_VIDEO.id();
      int n = layout.conditionRows() * layout.frameTokens();
      if (task == Task.PERSONALIZATION) {
        if (reference == null) {
          throw new IllegalArgumentException("personalization needs a reference image of the subject");
        }
        if (reference.shape().h() != layout.grid().h() || reference.shape().w() != layout.grid().w()) {
          throw new IllegalArgumentException("the reference image's grid " + reference.shape() + " does not match the"
              + " layout's frame of " + layout.grid().h() + "x" + layout.grid().w() + " tokens");
        }
        for (int j = 0; j < n; j++) {
          p[i++] = vocab.videoId(reference.ids()[j]);
        }
      } else {
        if (condition == null) {
          throw new IllegalArgumentException(task.label() + " needs the condition clip");
        }
        checkGrid(layout, condition);
        for (int j = 0; j < n; j++) {
          boolean masked = masked(layout, j);
          p[i++] = masked ? SpecialToken.MASK.id() : vocab.videoId(condition.ids()[j]);
        }
      }
      p[i++] = SpecialToken.EOC_VIDEO.id();
    }
    p[i++] = SpecialToken.BOO_VIDEO.id();
    if (i != p.length) {
      throw new IllegalStateException("prefix of " + layout.label() + " has " + i + " tokens, expected " + p.length);
    }
    return p;
  }

  /** Whether condition token j (raster order) is masked: a central box (inpainting) or the border (outpainting). */
  static boolean masked(TaskLayout layout, int j) {
    GridShape g = layout.grid();
    int y = (j / g.w()) % g.h();
    int x = j % g.w();
    int by = Math.max(1, g.h() / 4);
    int bx = Math.max(1, g.w() / 4);
    boolean inBox = y >= by && y < g.h() - by && x >= bx && x < g.w() - bx;
    return switch (layout.task()) {
      case INPAINTING -> inBox;
      case OUTPAINTING -> !inBox;
      default -> false;
    };
  }

  /**
   * The same sequence (or prefix) with its condition replaced by the null condition: every caption token
   * between BOT and EOT and every condition token between BOC and EOC becomes {@code NULL_CONDITION};
   * the task token, delimiters and output stay. Same length and positions, so the same graph scores it.
   * Used for condition dropout in training and for the unconditional branch of guidance
   * ({@code u + s (c - u)}).
   */
  public static int[] nullCondition(int[] sequence, int prefixLength) {
    int[] out = sequence.clone();
    boolean inside = false;
    for (int i = 0; i < Math.min(prefixLength, out.length); i++) {
      int t = out[i];
      if (t == SpecialToken.BOT.id() || t == SpecialToken.BOC_VIDEO.id()) {
        inside = true;
      } else if (t == SpecialToken.EOT.id() || t == SpecialToken.EOC_VIDEO.id()) {
        inside = false;
      } else if (inside && t != SpecialToken.SEP.id()) {
        out[i] = SpecialToken.NULL_CONDITION.id();
      }
    }
    return out;
  }

  /**
   * The clip's token grid from a generated output: the condition rows of the prefix (continuation tasks)
   * followed by the output's video codes.
   *
   * @param prefix the prefix the generation started from
   * @param output the generated tokens (video ids), {@code layout.outputTokens()} of them
   */
  public static TokenGrid outputGrid(TaskLayout layout, Vocabulary vocab, int[] prefix, int[] output) {
    if (output.length != layout.outputTokens()) {
      throw new IllegalArgumentException("need " + layout.outputTokens() + " output tokens, got " + output.length);
    }
    int[] ids = new int[layout.grid().size()];
    int given = layout.firstOutputRow() * layout.frameTokens();
    if (given > 0) {
      int start = 1 + layout.captionTokens() + 1;
      for (int j = 0; j < given; j++) {
        ids[j] = vocab.code(prefix[start + j]);
      }
    }
    for (int j = 0; j < output.length; j++) {
      ids[given + j] = vocab.code(output[j]);
    }
    return new TokenGrid(layout.grid(), ids);
  }

  /** The fraction of padding tokens in {@code sequence} (caption padding; 0 without). */
  public static int paddingTokens(int[] sequence) {
    int n = 0;
    for (int t : sequence) {
      if (t == SpecialToken.PAD.id()) {
        n++;
      }
    }
    return n;
  }

  private static void checkGrid(TaskLayout layout, TokenGrid grid) {
    if (!grid.shape().equals(layout.grid())) {
      throw new IllegalArgumentException("a " + grid.shape() + " token grid does not fit the layout " + layout.label());
    }
  }
}
