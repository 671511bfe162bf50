package org.dpvideo.finetune.sample;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * A deterministic test model whose logits are a function of the whole sequence so far (prefix plus
 * appended tokens). Records every session it opens, what was appended, and whether it was closed.
 */
final class TableModel implements AutoregressiveModel {
  private final int vocab;
  private final int maxLength;
  private final Function<int[], float[]> logitsOf;
  final List<Session> sessions = new ArrayList<>();

  TableModel(int vocab, int maxLength, Function<int[], float[]> logitsOf) {
    this.vocab = vocab;
    this.maxLength = maxLength;
    this.logitsOf = logitsOf;
  }

  /** A bigram model: the logits after token {@code a} are {@code table[a]}. */
  static TableModel bigram(float[][] table, int maxLength) {
    return new TableModel(table.length, maxLength, seq -> table[seq[seq.length - 1]].clone());
  }

  @Override
  public int vocabSize() {
    return vocab;
  }

  @Override
  public int maxSequenceLength() {
    return maxLength;
  }

  @Override
  public DecodingSession start(int[] prefix) {
    Session s = new Session(prefix);
    sessions.add(s);
    return s;
  }

  final class Session implements DecodingSession {
    final int[] prefix;
    final List<Integer> appended = new ArrayList<>();
    boolean closed;

    Session(int[] prefix) {
      this.prefix = prefix.clone();
    }

    int[] sequence() {
      int[] s = Arrays.copyOf(prefix, prefix.length + appended.size());
      for (int i = 0; i < appended.size(); i++) {
        s[prefix.length + i] = appended.get(i);
      }
      return s;
    }

    @Override
    public float[] logits() {
      if (closed) {
        throw new IllegalStateException("session closed");
      }
      return logitsOf.apply(sequence());
    }

    @Override
    public void append(int token) {
      if (length() + 1 > maxLength) {
        throw new IllegalStateException("too long");
      }
      appended.add(token);
    }

    @Override
    public int length() {
      return prefix.length + appended.size();
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
