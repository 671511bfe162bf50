package org.dpvideo.finetune.generate;

import java.util.Objects;
import org.dpvideo.finetune.model.CachedDecoder;
import org.dpvideo.finetune.model.RecomputingDecoder;
import org.dpvideo.finetune.model.VideoLm;
import org.dpvideo.finetune.sample.BatchDecoding;

/**
 * A {@link VideoLm} as the sampler's {@link BatchDecoding}: with the KV cache ({@link CachedDecoder}'s
 * batched sessions: the samples of a batch and both branches of guidance advance in one forward pass per
 * position) or without it ({@link RecomputingDecoder}, one session per row, each step a forward pass over
 * the whole sequence). Both give the same logits up to floating-point rounding; the cache is the fast
 * path, the recomputing decoder the reference and the "without cache" side of {@code bench generate}.
 * Stateless; the returned decodings are not thread-safe.
 */
public final class VideoLmDecoding {
  private VideoLmDecoding() {}

  /**
   * The model's decoding for sequences of up to {@code capacity} tokens.
   *
   * @param capacity the longest sequence (prefix plus generated tokens), usually the task layout's
   *     {@code sequenceLength()}; in [2, the model's maxSequenceLength]
   * @param kvCache true for the KV cache, false to recompute every position at every step
   */
  public static BatchDecoding of(VideoLm model, int capacity, boolean kvCache) {
    Objects.requireNonNull(model, "model");
    return kvCache ? cached(new CachedDecoder(model, capacity))
        : BatchDecoding.sequential(new RecomputingDecoder(model, capacity));
  }

  /** The KV-cache decoder's batched sessions as a {@link BatchDecoding}. */
  public static BatchDecoding cached(CachedDecoder decoder) {
    Objects.requireNonNull(decoder, "decoder");
    return new BatchDecoding() {
      @Override
      public int vocabSize() {
        return decoder.vocabSize();
      }

      @Override
      public int maxSequenceLength() {
        return decoder.maxSequenceLength();
      }

      @Override
      public Batch start(int[][] prefixes) {
        CachedDecoder.BatchSession s = decoder.startBatch(prefixes);
        return new Batch() {
          @Override
          public float[][] logits() {
            return s.logits();
          }

          @Override
          public void append(int[] tokens) {
            s.append(tokens);
          }

          @Override
          public void close() {
            s.close();
          }
        };
      }

      @Override
      public String toString() {
        return "KV-cache decoding (capacity " + decoder.maxSequenceLength() + ")";
      }
    };
  }
}
