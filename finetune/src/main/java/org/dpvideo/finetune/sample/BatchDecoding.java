package org.dpvideo.finetune.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Several decodings advanced in lockstep, so a model can run one forward pass per position for a whole
 * batch (on a CPU, small matrix products are overhead-bound, so batching is most of the speed). The
 * sampler uses it for batches of samples and for the two branches of classifier-free guidance.
 * {@link #sequential(AutoregressiveModel)} adapts any {@link AutoregressiveModel} one session per row.
 *
 * <p>Implementations are not thread-safe; a batch belongs to one thread.
 */
public interface BatchDecoding {

  /** The vocabulary size: logits have this length. */
  int vocabSize();

  /** The longest sequence (prefix plus generated tokens) a batch accepts. */
  int maxSequenceLength();

  /**
   * Starts decoding one sequence per prefix.
   *
   * @param prefixes at least one; implementations may require them to have one length (the sampler's
   *     conditional and null-condition prompts of a task do)
   */
  Batch start(int[][] prefixes);

  /** A batch in progress. Close it to free its caches. */
  interface Batch extends AutoCloseable {
    /** The next-token logits of every row, {@code [rows][vocabSize]}. */
    float[][] logits();

    /** Appends one token to every row. */
    void append(int[] tokens);

    @Override
    void close();
  }

  /** One {@link AutoregressiveModel.DecodingSession} per row. */
  static BatchDecoding sequential(AutoregressiveModel model) {
    Objects.requireNonNull(model, "model");
    return new BatchDecoding() {
      @Override
      public int vocabSize() {
        return model.vocabSize();
      }

      @Override
      public int maxSequenceLength() {
        return model.maxSequenceLength();
      }

      @Override
      public Batch start(int[][] prefixes) {
        List<AutoregressiveModel.DecodingSession> sessions = new ArrayList<>(prefixes.length);
        try {
          for (int[] p : prefixes) {
            sessions.add(model.start(p));
          }
        } catch (RuntimeException e) {
          sessions.forEach(AutoregressiveModel.DecodingSession::close);
          throw e;
        }
        return new Batch() {
          @Override
          public float[][] logits() {
            float[][] out = new float[sessions.size()][];
            for (int i = 0; i < out.length; i++) {
              out[i] = sessions.get(i).logits();
            }
            return out;
          }

          @Override
          public void append(int[] tokens) {
            if (tokens.length != sessions.size()) {
              throw new IllegalArgumentException("one token per row is needed (" + sessions.size() + "), got "
                  + tokens.length + ".");
            }
            for (int i = 0; i < tokens.length; i++) {
              sessions.get(i).append(tokens[i]);
            }
          }

          @Override
          public void close() {
            sessions.forEach(AutoregressiveModel.DecodingSession::close);
          }
        };
      }

      @Override
      public String toString() {
        return "sequential(" + model + ")";
      }
    };
  }
}
