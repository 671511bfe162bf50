package org.dpvideo.finetune.sample;

import java.util.Objects;
import org.dpvideo.tokenizer.GridShape;

/**
 * What to generate: a video token grid of {@code shape} after the prompt {@code prefix}, with the
 * null-condition prompt for classifier-free guidance.
 *
 * <p>The prompts are the video LM's task prompts (task token, condition tokens, begin-of-output token),
 * ending where the first output token follows. Tokens are generated in the grid's row-major order
 * ({@code (t, h, w)}), exactly {@code shape.size()} of them: each task has a fixed output length, so no
 * end token is sampled.
 *
 * @param prefix the conditional prompt, at least one id (copied)
 * @param nullPrefix the null-condition prompt for guidance (copied), or null when the sampler runs
 *     without guidance ({@code cfgScale = 1})
 * @param shape the token grid to generate
 * @param videoCodes where the video tokenizer's codes sit in the model's vocabulary (code {@code c} is id
 *     {@code videoCodes.start() + c}); used to turn generated ids into a {@link org.dpvideo.tokenizer.TokenGrid}
 */
public record GenerationRequest(int[] prefix, int[] nullPrefix, GridShape shape, TokenRange videoCodes) {

  /** Validates and copies. */
  public GenerationRequest {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(videoCodes, "videoCodes");
    if (prefix.length == 0) {
      throw new IllegalArgumentException("the prompt prefix needs at least one token (the task token), got none.");
    }
    if (nullPrefix != null && nullPrefix.length == 0) {
      throw new IllegalArgumentException("the null-condition prefix needs at least one token, got none; pass null"
          + " to sample without guidance.");
    }
    prefix = prefix.clone();
    nullPrefix = nullPrefix == null ? null : nullPrefix.clone();
  }

  /** The conditional prompt (a copy). */
  @Override
  public int[] prefix() {
    return prefix.clone();
  }

  /** The null-condition prompt (a copy), or null. */
  @Override
  public int[] nullPrefix() {
    return nullPrefix == null ? null : nullPrefix.clone();
  }

  /** This request with a null-condition prompt for guidance. */
  public GenerationRequest withNullPrefix(int[] newNullPrefix) {
    return new GenerationRequest(prefix, newNullPrefix, shape, videoCodes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GenerationRequest r && java.util.Arrays.equals(r.prefix, prefix)
        && java.util.Arrays.equals(r.nullPrefix, nullPrefix) && r.shape.equals(shape) && r.videoCodes.equals(videoCodes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(java.util.Arrays.hashCode(prefix), java.util.Arrays.hashCode(nullPrefix), shape, videoCodes);
  }

  @Override
  public String toString() {
    return "GenerationRequest[prefix " + prefix.length + " tokens, " + (nullPrefix == null ? "no null prefix"
        : "null prefix " + nullPrefix.length + " tokens") + ", grid " + shape + ", video codes " + videoCodes + "]";
  }
}
