package org.dpvideo.finetune.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The architecture of a {@link VideoLm}. Validated here; {@code withX} for variants.
 *
 * @param textVocabulary number of text ids (special tokens and caption bytes)
 * @param videoVocabulary number of video codes of the tokenizer
 * @param layers transformer blocks, &gt;= 1
 * @param width model width d, divisible by {@code heads}
 * @param heads attention heads
 * @param mlpRatio hidden width of the MLP as a multiple of d
 * @param maxTokenFrames the most token rows (time positions) of one video
 * @param gridHeight token rows per frame
 * @param gridWidth token columns per frame
 * @param maxTextPositions the most text and special tokens in one sequence
 * @param maxSequenceLength the longest input sequence a graph or decoding session may have
 */
public record VideoLmConfig(
    @JsonProperty("text_vocabulary") int textVocabulary,
    @JsonProperty("video_vocabulary") int videoVocabulary,
    @JsonProperty("layers") int layers,
    @JsonProperty("width") int width,
    @JsonProperty("heads") int heads,
    @JsonProperty("mlp_ratio") int mlpRatio,
    @JsonProperty("max_token_frames") int maxTokenFrames,
    @JsonProperty("grid_height") int gridHeight,
    @JsonProperty("grid_width") int gridWidth,
    @JsonProperty("max_text_positions") int maxTextPositions,
    @JsonProperty("max_sequence_length") int maxSequenceLength) {

  /** Slots of a position: time (or text index), row, column, segment. */
  public static final int POSITION_SLOTS = 4;

  public VideoLmConfig {
    if (textVocabulary < 1 || videoVocabulary < 1) {
      throw new IllegalArgumentException("vocabularies must be >= 1, got text " + textVocabulary + ", video "
          + videoVocabulary);
    }
    if (layers < 1 || width < 1 || heads < 1 || width % heads != 0 || mlpRatio < 1) {
      throw new IllegalArgumentException("need layers >= 1, width >= 1, heads >= 1 dividing width, mlpRatio >= 1;"
          + " got layers " + layers + ", width " + width + ", heads " + heads + ", mlpRatio " + mlpRatio);
    }
    if (maxTokenFrames < 1 || gridHeight < 1 || gridWidth < 1 || maxTextPositions < 1) {
      throw new IllegalArgumentException("grid and text position limits must be >= 1, got frames " + maxTokenFrames
          + ", grid " + gridHeight + "x" + gridWidth + ", text " + maxTextPositions);
    }
    if (maxSequenceLength < 2) {
      throw new IllegalArgumentException("maxSequenceLength must be >= 2, got " + maxSequenceLength);
    }
  }

  /**
   * The demo model: 3 blocks of width 96 with 4 heads (about 0.6 M parameters), for the demo clip spec's
   * 5x8x8 token grid and 1,024 video codes. Trains at several thousand tokens per second on 2 CPU cores.
   */
  public static VideoLmConfig demo(int videoCodes) {
    return new VideoLmConfig(Vocabulary.withVideoCodes(videoCodes).textSize(), videoCodes, 3, 96, 4, 4, 5, 8, 8, 48,
        704);
  }

  /** A tiny model for tests: 2 blocks of width 32. */
  public static VideoLmConfig tiny(int videoCodes, int frames, int height, int width) {
    return new VideoLmConfig(Vocabulary.withVideoCodes(videoCodes).textSize(), videoCodes, 2, 32, 2, 2, frames, height,
        width, 48, 704);
  }

  /** The vocabulary. */
  public Vocabulary vocabulary() {
    return new Vocabulary(textVocabulary, videoVocabulary);
  }

  /** Rows of the position table: time and text indices, rows (+ none), columns (+ none), 3 segments. */
  public int positionRows() {
    return maxTokenFrames + maxTextPositions + gridHeight + 1 + gridWidth + 1 + 3;
  }

  /** The same with another depth. */
  public VideoLmConfig withLayers(int n) {
    return new VideoLmConfig(textVocabulary, videoVocabulary, n, width, heads, mlpRatio, maxTokenFrames, gridHeight,
        gridWidth, maxTextPositions, maxSequenceLength);
  }

  /** The same with another width and head count. */
  public VideoLmConfig withWidth(int d, int h) {
    return new VideoLmConfig(textVocabulary, videoVocabulary, layers, d, h, mlpRatio, maxTokenFrames, gridHeight,
        gridWidth, maxTextPositions, maxSequenceLength);
  }

  /** A short description, e.g. {@code 3x96 (4 heads), V=1299}. */
  public String describe() {
    return layers + " blocks x width " + width + " (" + heads + " heads, MLP x" + mlpRatio + "), vocabulary "
        + (textVocabulary + videoVocabulary) + " (" + textVocabulary + " text + " + videoVocabulary + " video)";
  }
}
