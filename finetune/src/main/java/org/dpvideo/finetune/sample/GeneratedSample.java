package org.dpvideo.finetune.sample;

import java.util.Arrays;
import java.util.Objects;
import org.dpvideo.tokenizer.GridShape;
import org.dpvideo.tokenizer.TokenGrid;

/**
 * One generated token sequence, in the model's vocabulary, laid out as a {@link GridShape}.
 *
 * @param index the sample's index (its random stream is the sampler randomness's stream of this index)
 * @param tokens the generated ids, {@code shape.size()} of them, row-major {@code (t, h, w)} (copied)
 * @param shape the grid they fill
 * @param videoCodes where the video codes sit in the vocabulary
 */
public record GeneratedSample(int index, int[] tokens, GridShape shape, TokenRange videoCodes) {

  /** Validates and copies. */
  public GeneratedSample {
    Objects.requireNonNull(tokens, "tokens");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(videoCodes, "videoCodes");
    if (tokens.length != shape.size()) {
      throw new IllegalArgumentException("a " + shape + " sample needs " + shape.size() + " tokens, got "
          + tokens.length + ".");
    }
    tokens = tokens.clone();
  }

  /** The generated ids (a copy). */
  @Override
  public int[] tokens() {
    return tokens.clone();
  }

  /** Whether every generated id is a video code (always so when sampling was restricted to the codes). */
  public boolean isDecodable() {
    for (int t : tokens) {
      if (!videoCodes.contains(t)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The tokens as the video tokenizer's codes ({@code id - videoCodes.start()}).
   *
   * @throws IllegalStateException when a generated id is not a video code, naming its position; sample
   *     with {@code SamplingConfig.withAllowed(videoCodes)} to rule that out
   */
  public TokenGrid grid() {
    int[] codes = new int[tokens.length];
    for (int i = 0; i < tokens.length; i++) {
      if (!videoCodes.contains(tokens[i])) {
        int hw = shape.h() * shape.w();
        throw new IllegalStateException("sample " + index + " has id " + tokens[i] + " at grid position (t="
            + i / hw + ", y=" + (i % hw) / shape.w() + ", x=" + i % shape.w() + "), which is not a video code "
            + videoCodes + "; restrict sampling to the video codes (SamplingConfig.withAllowed) to decode it.");
      }
      codes[i] = tokens[i] - videoCodes.start();
    }
    return new TokenGrid(shape, codes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GeneratedSample s && s.index == index && Arrays.equals(s.tokens, tokens) && s.shape.equals(shape)
        && s.videoCodes.equals(videoCodes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(index, Arrays.hashCode(tokens), shape, videoCodes);
  }

  @Override
  public String toString() {
    return "GeneratedSample[" + index + ", " + shape + "]";
  }
}
