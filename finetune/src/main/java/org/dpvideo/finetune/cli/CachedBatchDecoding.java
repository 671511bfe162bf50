package org.dpvideo.finetune.cli;

import org.dpvideo.finetune.model.CachedDecoder;
import org.dpvideo.finetune.sample.BatchDecoding;

/**
 * The KV-cache decoder's batched sessions as the sampler's {@link BatchDecoding}: samples of a batch and
 * both branches of guidance run in one forward pass per position. Not thread-safe.
 */
final class CachedBatchDecoding implements BatchDecoding {
  private final CachedDecoder decoder;

  CachedBatchDecoding(CachedDecoder decoder) {
    this.decoder = decoder;
  }

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
}
