package org.dpvideo.finetune.sample;

import java.util.Locale;

/**
 * Classifier-free guidance on next-token logits: {@code l = u + s (c - u)}, with {@code c} the logits
 * given the condition, {@code u} the logits given the null condition (the unconditional task prompt the
 * model saw under condition dropout) and {@code s} the guidance scale. Ho and Salimans,
 * "Classifier-Free Diffusion Guidance" (2022), eq. 6, written for logits; VideoPoet (Kondratyuk et al.,
 * 2024) uses it for its video LM and notes that fine-tuning lets it use a higher scale.
 *
 * <p>{@code s = 1} gives {@code c}, {@code s = 0} gives {@code u}. Computed in double precision, then
 * rounded to float. An id masked in both ({@code -inf}) stays {@code -inf}; an id masked in only one
 * branch is masked in the result ({@code -inf}), since its guided logit is undefined.
 *
 * <p>Stateless and thread-safe.
 */
public final class ClassifierFreeGuidance {
  private ClassifierFreeGuidance() {}

  /**
   * The guided logits {@code u + s (c - u)} (a new array).
   *
   * @param conditional {@code c}, finite or {@code -inf}
   * @param unconditional {@code u}, same length, finite or {@code -inf}
   * @param scale {@code s}, finite and {@code >= 0}
   * @throws IllegalArgumentException on different lengths, NaN or {@code +inf} logits, or a bad scale
   */
  public static float[] combine(float[] conditional, float[] unconditional, double scale) {
    if (conditional.length != unconditional.length) {
      throw new IllegalArgumentException("guidance needs conditional and unconditional logits of one length, got "
          + conditional.length + " and " + unconditional.length + ".");
    }
    if (!Double.isFinite(scale) || scale < 0) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "the guidance scale must be finite and >= 0, got %s.", scale));
    }
    float[] out = new float[conditional.length];
    for (int i = 0; i < out.length; i++) {
      float c = conditional[i];
      float u = unconditional[i];
      if (Float.isNaN(c) || Float.isNaN(u) || c == Float.POSITIVE_INFINITY || u == Float.POSITIVE_INFINITY) {
        throw new IllegalArgumentException("logits must be finite or -inf, got conditional " + c + " and unconditional "
            + u + " at id " + i + ".");
      }
      if (c == Float.NEGATIVE_INFINITY || u == Float.NEGATIVE_INFINITY) {
        out[i] = Float.NEGATIVE_INFINITY;
      } else {
        out[i] = (float) (u + scale * ((double) c - u));
      }
    }
    return out;
  }
}
