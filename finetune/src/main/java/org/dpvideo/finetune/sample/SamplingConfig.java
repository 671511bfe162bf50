package org.dpvideo.finetune.sample;

import java.util.Locale;

/**
 * How the next token is drawn from the model's logits. Applied in this order (the order of Hugging Face
 * {@code generate}'s logits processors, stated here so results can be compared):
 *
 * <ol>
 *   <li>classifier-free guidance on the logits, {@code l = u + s (c - u)} with {@code c} the conditional
 *       and {@code u} the null-condition logits (Ho and Salimans, "Classifier-Free Diffusion Guidance",
 *       2022, applied to token logits as in VideoPoet); skipped when {@code s = 1};
 *   <li>restriction to {@link #allowed()} (every other id gets probability 0);
 *   <li>temperature: {@code l / T}; {@code T = 0} means greedy decoding (the arg max, lowest id on ties);
 *   <li>top-k: keep the {@code k} largest logits (ties at the boundary broken towards the lower id, so
 *       exactly {@code k} survive); {@code k = 0} keeps all (Fan, Lewis and Dauphin, "Hierarchical Neural
 *       Story Generation", 2018);
 *   <li>top-p (nucleus): keep the smallest set of most probable tokens whose probability sums to at least
 *       {@code p}; {@code p = 1} keeps all (Holtzman et al., "The Curious Case of Neural Text
 *       Degeneration", ICLR 2020);
 *   <li>softmax over the survivors and one draw.
 * </ol>
 *
 * @param temperature {@code >= 0} and finite; 0 = greedy, 1 = the model's distribution
 * @param topK {@code >= 0}; 0 = no top-k cut
 * @param topP in {@code (0, 1]}; 1 = no nucleus cut
 * @param cfgScale guidance scale {@code s}, finite and {@code >= 0}: 1 = conditional only (no null
 *     branch is run), 0 = the null condition only, {@code > 1} = guided
 * @param allowed the ids that may be drawn, or null for the whole vocabulary (typically
 *     {@link TokenRange#videoCodes(int, int)} when generating a video token grid)
 */
public record SamplingConfig(double temperature, int topK, double topP, double cfgScale, TokenRange allowed) {

  /** The model's distribution over the whole vocabulary: T = 1, no top-k, no top-p, no guidance. */
  public static final SamplingConfig DEFAULT = new SamplingConfig(1.0, 0, 1.0, 1.0, null);

  /** Validates. */
  public SamplingConfig {
    if (!Double.isFinite(temperature) || temperature < 0) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "temperature must be finite and >= 0, got %s;"
          + " use 0 for greedy decoding, 1 for the model's distribution, e.g. 0.9 for a little sharper.",
          temperature));
    }
    if (topK < 0) {
      throw new IllegalArgumentException("topK must be >= 0, got " + topK + "; use 0 to keep every token.");
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "topP must be in (0, 1], got %s; use 1 to"
          + " switch nucleus sampling off, e.g. 0.9 to keep the tokens holding 90%% of the probability.", topP));
    }
    if (!Double.isFinite(cfgScale) || cfgScale < 0) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "cfgScale must be finite and >= 0, got %s;"
          + " use 1 for no guidance, e.g. 3 for guided sampling.", cfgScale));
    }
  }

  /** Greedy decoding (temperature 0) of the conditional model over the whole vocabulary. */
  public static SamplingConfig greedy() {
    return DEFAULT.withTemperature(0);
  }

  /** Whether guidance needs the null-condition branch ({@code cfgScale != 1}). */
  public boolean usesGuidance() {
    return cfgScale != 1.0;
  }

  /** With another temperature. */
  public SamplingConfig withTemperature(double t) {
    return new SamplingConfig(t, topK, topP, cfgScale, allowed);
  }

  /** With another top-k (0 = off). */
  public SamplingConfig withTopK(int k) {
    return new SamplingConfig(temperature, k, topP, cfgScale, allowed);
  }

  /** With another top-p (1 = off). */
  public SamplingConfig withTopP(double p) {
    return new SamplingConfig(temperature, topK, p, cfgScale, allowed);
  }

  /** With another guidance scale (1 = off). */
  public SamplingConfig withCfgScale(double s) {
    return new SamplingConfig(temperature, topK, topP, s, allowed);
  }

  /** Restricted to {@code range} (null = the whole vocabulary). */
  public SamplingConfig withAllowed(TokenRange range) {
    return new SamplingConfig(temperature, topK, topP, cfgScale, range);
  }

  /** A short description for captions and reports, e.g. {@code T=0.9 top-k=64 top-p=1 cfg=3}. */
  public String describe() {
    return String.format(Locale.ROOT, "T=%s top-k=%s top-p=%s cfg=%s%s", num(temperature),
        topK == 0 ? "off" : Integer.toString(topK), topP == 1 ? "off" : num(topP), num(cfgScale),
        allowed == null ? "" : " ids " + allowed);
  }

  private static String num(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString((long) v) : Double.toString(v);
  }
}
