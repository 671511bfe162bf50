package org.dpvideo.finetune.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.dpvideo.dpsgd.noise.RandomStream;

/**
 * Generates video token grids from an autoregressive model: one token at a time in the grid's row-major
 * order, each drawn from {@link NextTokenDistribution} of the (guided) logits.
 *
 * <p>Guidance runs two decodings side by side: one after the conditional prompt, one after the
 * null-condition prompt; at every position their logits are combined with
 * {@link ClassifierFreeGuidance#combine} and the drawn token is appended to both, so both branches see the
 * same generated video. With {@code cfgScale = 1} only the conditional decoding runs.
 *
 * <p>Samples of one output shape are generated in batches of up to {@link #batchSize()} (with guidance,
 * a batch holds both branches of each sample) when the model decodes batches ({@link BatchDecoding});
 * every sample draws from its own random stream ({@link SamplingRandomness#forSample}), so a sample
 * depends only on the model, the request, the configuration and its stream, not on the batch size (up to
 * the model's floating-point differences between batched and single decoding). Not thread-safe (the
 * model's sessions are not); use one sampler per thread and model instance.
 */
public final class GridSampler {
  private final BatchDecoding model;
  private final SamplingConfig config;
  private final int batchSize;

  /**
   * A sampler over a model that decodes one sequence per session; samples are generated one after
   * another.
   *
   * @param model the next-token model
   * @param config temperature, top-k, top-p, guidance scale and allowed ids; the allowed range must fit
   *     the model's vocabulary
   */
  public GridSampler(AutoregressiveModel model, SamplingConfig config) {
    this(BatchDecoding.sequential(model), config, 1);
  }

  /**
   * A sampler over a model that decodes batches.
   *
   * @param batchSize samples per batch, {@code >= 1} (a performance setting: results do not depend on it)
   */
  public GridSampler(BatchDecoding model, SamplingConfig config, int batchSize) {
    this.model = Objects.requireNonNull(model, "model");
    this.config = Objects.requireNonNull(config, "config");
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize + ".");
    }
    this.batchSize = batchSize;
    if (config.allowed() != null) {
      config.allowed().requireWithin(model.vocabSize());
    }
  }

  /** The sampling configuration. */
  public SamplingConfig config() {
    return config;
  }

  /** Samples per batch. */
  public int batchSize() {
    return batchSize;
  }

  /** This sampler with another batch size. */
  public GridSampler withBatchSize(int size) {
    return new GridSampler(model, config, size);
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
    return generate(java.util.Collections.nCopies(count, request), randomness);
  }

  /**
   * Generates one sample per request (e.g. one per prompt of an evaluation set); request {@code i} gets
   * sample index {@code i} and stream {@code randomness.forSample(i)}. Consecutive requests of one output
   * shape share batches.
   */
  public List<GeneratedSample> generate(List<GenerationRequest> requests, SamplingRandomness randomness) {
    Objects.requireNonNull(randomness, "randomness");
    if (requests.isEmpty()) {
      throw new IllegalArgumentException("at least one generation request is needed, got none.");
    }
    for (GenerationRequest r : requests) {
      check(r);
    }
    List<GeneratedSample> out = new ArrayList<>(requests.size());
    int i = 0;
    while (i < requests.size()) {
      int j = i + 1;
      while (j < requests.size() && j - i < batchSize && requests.get(j).shape().equals(requests.get(i).shape())) {
        j++;
      }
      RandomStream[] streams = new RandomStream[j - i];
      for (int k = i; k < j; k++) {
        streams[k - i] = randomness.forSample(k);
      }
      out.addAll(batch(requests.subList(i, j), i, streams));
      i = j;
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
    return batch(List.of(request), index, new RandomStream[] {random}).get(0);
  }

  /** Generates requests of one shape in lockstep; request k gets index {@code firstIndex + k}. */
  private List<GeneratedSample> batch(List<GenerationRequest> requests, int firstIndex, RandomStream[] streams) {
    int b = requests.size();
    int n = requests.get(0).shape().size();
    boolean guided = config.usesGuidance();
    int rows = guided ? 2 * b : b;
    int[][] prefixes = new int[rows][];
    for (int k = 0; k < b; k++) {
      prefixes[k] = requests.get(k).prefix();
      if (guided) {
        prefixes[b + k] = requests.get(k).nullPrefix();
      }
    }
    int[][] tokens = new int[b][n];
    int[] step = new int[rows];
    try (BatchDecoding.Batch batch = model.start(prefixes)) {
      for (int i = 0; i < n; i++) {
        float[][] logits = batch.logits();
        if (logits == null || logits.length != rows) {
          throw new IllegalStateException("the model returned " + (logits == null ? "no" : logits.length)
              + " rows of logits for a batch of " + rows + " sequences.");
        }
        for (int k = 0; k < b; k++) {
          float[] l = checkLogits(logits[k], "conditional", i);
          if (guided) {
            l = ClassifierFreeGuidance.combine(l, checkLogits(logits[b + k], "null-condition", i), config.cfgScale());
          }
          RandomStream random = streams[k];
          int token = NextTokenDistribution.of(l, config).draw(random::nextDouble);
          tokens[k][i] = token;
          step[k] = token;
          if (guided) {
            step[b + k] = token;
          }
        }
        if (i + 1 < n) {
          batch.append(step.clone());
        }
      }
    }
    List<GeneratedSample> out = new ArrayList<>(b);
    for (int k = 0; k < b; k++) {
      GenerationRequest r = requests.get(k);
      out.add(new GeneratedSample(firstIndex + k, tokens[k], r.shape(), r.videoCodes()));
    }
    return out;
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
