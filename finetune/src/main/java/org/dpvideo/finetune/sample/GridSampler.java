package org.dpvideo.finetune.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.dpvideo.dpsgd.noise.RandomStream;

/**
 * Generates video token grids from an {@link AutoregressiveModel}: one token at a time in the grid's
 * row-major order, each drawn from {@link NextTokenDistribution} of the (guided) logits.
 *
 * <p>Guidance runs two decoding sessions side by side: one after the conditional prompt, one after the
 * null-condition prompt; at every position their logits are combined with
 * {@link ClassifierFreeGuidance#combine} and the drawn token is appended to both, so both branches see the
 * same generated video. With {@code cfgScale = 1} only the conditional session runs.
 *
 * <p>Samples are generated one after another, each with its own random stream
 * ({@link SamplingRandomness#forSample}); a sample depends only on the model, the request, the
 * configuration and its stream. Not thread-safe (the model's sessions are not); use one sampler per
 * thread and model instance.
 */
public final class GridSampler {
  private final AutoregressiveModel model;
  private final SamplingConfig config;

  /**
   * @param model the next-token model
   * @param config temperature, top-k, top-p, guidance scale and allowed ids; the allowed range must fit
   *     the model's vocabulary
   */
  public GridSampler(AutoregressiveModel model, SamplingConfig config) {
    this.model = Objects.requireNonNull(model, "model");
    this.config = Objects.requireNonNull(config, "config");
    if (config.allowed() != null) {
      config.allowed().requireWithin(model.vocabSize());
    }
  }

  /** The sampling configuration. */
  public SamplingConfig config() {
    return config;
  }

  /** The model. */
  public AutoregressiveModel model() {
    return model;
  }

  /**
   * Generates {@code count} samples of one request, with indices {@code 0 .. count-1}.
   *
   * @throws IllegalArgumentException when the request does not fit the model or guidance lacks a null prompt
   */
  public List<GeneratedSample> generate(GenerationRequest request, int count, SamplingRandomness randomness) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1, got " + count + ".");
    }
    check(request);
    List<GeneratedSample> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(generate(request, i, randomness.forSample(i)));
    }
    return out;
  }

  /**
   * Generates one sample per request (e.g. one per prompt of an evaluation set); request {@code i} gets
   * sample index {@code i}.
   */
  public List<GeneratedSample> generate(List<GenerationRequest> requests, SamplingRandomness randomness) {
    if (requests.isEmpty()) {
      throw new IllegalArgumentException("at least one generation request is needed, got none.");
    }
    for (GenerationRequest r : requests) {
      check(r);
    }
    List<GeneratedSample> out = new ArrayList<>(requests.size());
    for (int i = 0; i < requests.size(); i++) {
      out.add(generate(requests.get(i), i, randomness.forSample(i)));
    }
    return out;
  }

  /**
   * Generates one sample with the given random stream.
   *
   * @param index the index recorded in the sample
   */
  public GeneratedSample generate(GenerationRequest request, int index, RandomStream random) {
    check(request);
    int n = request.shape().size();
    int[] tokens = new int[n];
    boolean guided = config.usesGuidance();
    try (AutoregressiveModel.DecodingSession cond = model.start(request.prefix());
         AutoregressiveModel.DecodingSession uncond = guided ? model.start(request.nullPrefix()) : null) {
      for (int i = 0; i < n; i++) {
        float[] logits = checkLogits(cond.logits(), "conditional", i);
        if (guided) {
          float[] u = checkLogits(uncond.logits(), "null-condition", i);
          logits = ClassifierFreeGuidance.combine(logits, u, config.cfgScale());
        }
        int token = NextTokenDistribution.of(logits, config).draw(random::nextDouble);
        tokens[i] = token;
        if (i + 1 < n) {
          cond.append(token);
          if (guided) {
            uncond.append(token);
          }
        }
      }
    }
    return new GeneratedSample(index, tokens, request.shape(), request.videoCodes());
  }

  private float[] checkLogits(float[] logits, String branch, int position) {
    if (logits == null || logits.length != model.vocabSize()) {
      throw new IllegalStateException(String.format(Locale.ROOT, "the model returned %s %s logits at output"
          + " position %d; expected %d (its vocabSize()).", logits == null ? "no" : Integer.toString(logits.length),
          branch, position, model.vocabSize()));
    }
    return logits;
  }

  private void check(GenerationRequest r) {
    int v = model.vocabSize();
    r.videoCodes().requireWithin(v);
    checkIds(r.prefix(), "prompt prefix", v);
    int total = r.prefix().length + r.shape().size();
    if (total > model.maxSequenceLength()) {
      throw new IllegalArgumentException("the prompt (" + r.prefix().length + " tokens) plus a " + r.shape()
          + " grid (" + r.shape().size() + " tokens) is " + total + " tokens, more than the model's maximum sequence"
          + " length " + model.maxSequenceLength() + "; generate fewer frames or use a model with longer context.");
    }
    if (config.usesGuidance()) {
      if (r.nullPrefix() == null) {
        throw new IllegalArgumentException("guidance scale " + config.cfgScale() + " needs the null-condition prompt"
            + " (the unconditional task prompt), but the request has none; pass it, or use cfg scale 1.");
      }
      checkIds(r.nullPrefix(), "null-condition prefix", v);
      int totalNull = r.nullPrefix().length + r.shape().size();
      if (totalNull > model.maxSequenceLength()) {
        throw new IllegalArgumentException("the null-condition prompt (" + r.nullPrefix().length + " tokens) plus "
            + r.shape().size() + " grid tokens exceeds the model's maximum sequence length "
            + model.maxSequenceLength() + ".");
      }
    }
  }

  private static void checkIds(int[] ids, String what, int vocab) {
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] < 0 || ids[i] >= vocab) {
        throw new IllegalArgumentException("the " + what + " has id " + ids[i] + " at position " + i
            + ", outside the model's vocabulary [0, " + vocab + ").");
      }
    }
  }
}
