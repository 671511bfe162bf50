package org.dpvideo.finetune.sample;

/**
 * A next-token model over a fixed vocabulary, as the sampler sees it. The video LM implements it twice:
 * with a KV cache (each appended token costs one position) and without (each step recomputes the whole
 * sequence), so both can be benchmarked and checked against each other.
 *
 * <p>Implementations are not thread-safe; a session belongs to one thread.
 */
public interface AutoregressiveModel {

  /** The vocabulary size: logits have this length and tokens are in [0, vocabSize). */
  int vocabSize();

  /** The longest sequence (prefix plus generated tokens) a session accepts. */
  int maxSequenceLength();

  /**
   * Starts decoding after {@code prefix} (the prompt: task token, condition tokens, begin-of-output
   * token). The prefix is attended bidirectionally if the model is a prefix LM; generated tokens
   * causally.
   *
   * @param prefix at least one token, each in [0, vocabSize); length &lt; maxSequenceLength
   * @return a session whose {@link DecodingSession#logits()} are those of the first generated position
   */
  DecodingSession start(int[] prefix);

  /** A decoding in progress. Close it to free its cache. */
  interface DecodingSession extends AutoCloseable {

    /** The next-token logits (unnormalized, length vocabSize) given the prefix and every appended token. */
    float[] logits();

    /**
     * Appends a generated token; afterwards {@link #logits()} refers to the following position.
     *
     * @throws IllegalStateException when the sequence would exceed maxSequenceLength
     */
    void append(int token);

    /** Prefix length plus appended tokens. */
    int length();

    @Override
    void close();
  }
}
