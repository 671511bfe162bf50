package org.dpvideo.finetune.model;

import org.dpvideo.tokenizer.text.TextTokenizer;

/**
 * The model's one shared vocabulary: ids {@code [0, textSize)} are the text tokenizer's ids (special task
 * and delimiter tokens, then caption bytes), ids {@code [textSize, textSize + videoCodes)} are the video
 * tokenizer's codes shifted by {@code textSize}. Images and videos share the video codes (the tokenizer
 * codes an image as a one-frame video).
 *
 * @param textSize number of text ids ({@link TextTokenizer#vocabSize()}, 275)
 * @param videoCodes number of video codes (the video tokenizer's vocabulary, 1,024 by default)
 */
public record Vocabulary(int textSize, int videoCodes) {
  public Vocabulary {
    if (textSize < 1 || videoCodes < 1) {
      throw new IllegalArgumentException("vocabulary sizes must be >= 1, got text " + textSize + ", video " + videoCodes);
    }
  }

  /** The text tokenizer's ids followed by {@code videoCodes} video codes. */
  public static Vocabulary withVideoCodes(int videoCodes) {
    return new Vocabulary(TextTokenizer.INSTANCE.vocabSize(), videoCodes);
  }

  /** The total number of ids (the logits' length). */
  public int size() {
    return textSize + videoCodes;
  }

  /** The model id of video code {@code code}. */
  public int videoId(int code) {
    if (code < 0 || code >= videoCodes) {
      throw new IllegalArgumentException("video code " + code + " is outside [0, " + videoCodes + ")");
    }
    return textSize + code;
  }

  /** The video code of model id {@code id}. */
  public int code(int id) {
    if (!isVideo(id)) {
      throw new IllegalArgumentException("id " + id + " is not a video code id; video ids are [" + textSize + ", "
          + size() + ")");
    }
    return id - textSize;
  }

  /** Whether {@code id} is a video code. */
  public boolean isVideo(int id) {
    return id >= textSize && id < size();
  }
}
