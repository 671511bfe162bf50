package org.dpvideo.finetune.model;

import org.dpvideo.tokenizer.text.SpecialToken;

/**
 * The position of every token of a sequence, derived from the tokens themselves, as four ids into the
 * model's position table ({@link VideoLmConfig#positionRows()}); the token's input embedding is the sum
 * of the four rows plus its token embedding. Video tokens get factorized (time, row, column) positions
 * and a segment (condition or output video); text and special tokens get a 1-D text index:
 *
 * <ul>
 *   <li>between {@code BOC_VIDEO} and {@code EOC_VIDEO} every token (a code, {@code MASK} or
 *       {@code NULL_CONDITION}) is a condition-video token; the raster index (time-major, then rows,
 *       then columns) restarts at 0 after {@code BOC_VIDEO} and after each {@code SEP} (several
 *       reference images);</li>
 *   <li>after {@code BOO_VIDEO} every token is an output-video token. For the continuation tasks
 *       ({@code TASK_IMAGE_TO_VIDEO}, {@code TASK_FRAME_CONTINUATION}) the output continues the
 *       condition's raster (the first generated row follows the given frames); for every other task it
 *       starts at 0;</li>
 *   <li>every other token (task token, caption bytes with their {@code BOT}/{@code EOT}, delimiters,
 *       padding) takes the next text index.</li>
 * </ul>
 *
 * <p>Slots: 0 = time index {@code t} for video tokens, {@code maxTokenFrames + textIndex} otherwise;
 * 1 = row (or "none"); 2 = column (or "none"); 3 = segment (text, condition video, output video).
 * Stateless and thread-safe; {@link Walker} is the incremental form used while decoding.
 */
public final class TokenPositions {
  private TokenPositions() {}

  /** Segment of text and special tokens. */
  public static final int SEGMENT_TEXT = 0;
  /** Segment of condition-video tokens. */
  public static final int SEGMENT_CONDITION = 1;
  /** Segment of output-video tokens. */
  public static final int SEGMENT_OUTPUT = 2;

  /**
   * The positions of {@code tokens}, {@code [tokens.length * 4]} (four slots per token, token-major).
   *
   * @throws IllegalArgumentException if a video runs past the grid or the text past its limit
   */
  public static int[] of(int[] tokens, VideoLmConfig config) {
    Walker w = new Walker(config);
    int[] out = new int[tokens.length * VideoLmConfig.POSITION_SLOTS];
    for (int i = 0; i < tokens.length; i++) {
      w.next(tokens[i], out, i * VideoLmConfig.POSITION_SLOTS);
    }
    return out;
  }

  /** Assigns positions one token at a time. Not thread-safe. */
  public static final class Walker {
    private final VideoLmConfig c;
    private final int frameTokens;
    private final int rowOffset;
    private final int colOffset;
    private final int segmentOffset;
    private int textIndex;
    private int raster;
    private int segment = SEGMENT_TEXT;
    private int conditionTokens;
    private boolean continuation;
    private boolean first = true;

    /** A walker at the start of a sequence. */
    public Walker(VideoLmConfig config) {
      this.c = config;
      this.frameTokens = config.gridHeight() * config.gridWidth();
      this.rowOffset = config.maxTokenFrames() + config.maxTextPositions();
      this.colOffset = rowOffset + config.gridHeight() + 1;
      this.segmentOffset = colOffset + config.gridWidth() + 1;
    }

    /** A copy in the same state (to branch a decoding). */
    public Walker copy() {
      Walker w = new Walker(c);
      w.textIndex = textIndex;
      w.raster = raster;
      w.segment = segment;
      w.conditionTokens = conditionTokens;
      w.continuation = continuation;
      w.first = first;
      return w;
    }

    /** Writes the four position ids of the next token into {@code out[at..at+3]}. */
    public void next(int token, int[] out, int at) {
      if (first) {
        continuation = token == SpecialToken.TASK_IMAGE_TO_VIDEO.id() || token == SpecialToken.TASK_FRAME_CONTINUATION.id();
        first = false;
      }
      boolean delimiter = token == SpecialToken.BOC_VIDEO.id() || token == SpecialToken.EOC_VIDEO.id()
          || token == SpecialToken.BOO_VIDEO.id() || token == SpecialToken.EOO_VIDEO.id()
          || token == SpecialToken.SEP.id();
      if (segment != SEGMENT_TEXT && !delimiter) {
        int t = raster / frameTokens;
        if (t >= c.maxTokenFrames()) {
          throw new IllegalArgumentException("a video of the sequence runs past " + c.maxTokenFrames() + " token frames"
              + " of " + c.gridHeight() + "x" + c.gridWidth() + " tokens; the model was built for that grid");
        }
        out[at] = t;
        out[at + 1] = rowOffset + (raster / c.gridWidth()) % c.gridHeight();
        out[at + 2] = colOffset + raster % c.gridWidth();
        out[at + 3] = segmentOffset + segment;
        raster++;
        if (segment == SEGMENT_CONDITION) {
          conditionTokens++;
        }
        return;
      }
      if (textIndex >= c.maxTextPositions()) {
        throw new IllegalArgumentException("the sequence has more than " + c.maxTextPositions() + " text and special"
            + " tokens; shorten the caption or build the model with more text positions");
      }
      out[at] = c.maxTokenFrames() + textIndex++;
      out[at + 1] = rowOffset + c.gridHeight();
      out[at + 2] = colOffset + c.gridWidth();
      out[at + 3] = segmentOffset + SEGMENT_TEXT;
      if (token == SpecialToken.BOC_VIDEO.id()) {
        segment = SEGMENT_CONDITION;
        raster = 0;
        conditionTokens = 0;
      } else if (token == SpecialToken.SEP.id() && segment == SEGMENT_CONDITION) {
        raster = 0;
        conditionTokens = 0;
      } else if (token == SpecialToken.EOC_VIDEO.id() || token == SpecialToken.EOO_VIDEO.id()) {
        segment = SEGMENT_TEXT;
      } else if (token == SpecialToken.BOO_VIDEO.id()) {
        segment = SEGMENT_OUTPUT;
        raster = continuation ? conditionTokens : 0;
      }
    }
  }
}
