package org.dpvideo.finetune.sample;

/**
 * A contiguous range of token ids {@code [start, end)} of the model's shared vocabulary, e.g. the video
 * codes. The shared vocabulary puts the text tokenizer's ids first ({@code [0, 275)}: special tokens, then
 * UTF-8 bytes) and the video tokenizer's codes after them, so the codes of a tokenizer with {@code V}
 * codes are {@code [offset, offset + V)}; the offset is the video LM's to state.
 *
 * @param start first id in the range, {@code >= 0}
 * @param end one past the last id, {@code > start}
 */
public record TokenRange(int start, int end) {

  /** Validates. */
  public TokenRange {
    if (start < 0 || end <= start) {
      throw new IllegalArgumentException("a token range [start, end) needs 0 <= start < end, got [" + start + ", "
          + end + "); for video codes use TokenRange.videoCodes(offset, codebookSize).");
    }
  }

  /**
   * The ids of a video tokenizer's codes in the shared vocabulary.
   *
   * @param offset the id of code 0 (the text vocabulary's size when video codes follow it)
   * @param codebookSize the tokenizer's vocabulary size, {@code >= 1}
   */
  public static TokenRange videoCodes(int offset, int codebookSize) {
    if (codebookSize < 1) {
      throw new IllegalArgumentException("codebookSize must be >= 1, got " + codebookSize
          + "; pass the video tokenizer's vocabSize().");
    }
    return new TokenRange(offset, Math.addExact(offset, codebookSize));
  }

  /** Number of ids in the range. */
  public int size() {
    return end - start;
  }

  /** Whether {@code id} is in the range. */
  public boolean contains(int id) {
    return id >= start && id < end;
  }

  /**
   * Checks that the range fits a vocabulary of {@code vocabSize} ids.
   *
   * @throws IllegalArgumentException naming both when it does not
   */
  public void requireWithin(int vocabSize) {
    if (end > vocabSize) {
      throw new IllegalArgumentException("token range " + this + " does not fit the model's vocabulary of "
          + vocabSize + " ids; check the video-code offset and the tokenizer's codebook size.");
    }
  }

  @Override
  public String toString() {
    return "[" + start + ", " + end + ")";
  }
}
