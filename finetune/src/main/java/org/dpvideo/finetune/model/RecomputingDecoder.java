package org.dpvideo.finetune.model;

import java.util.Arrays;
import java.util.Map;
import org.dpvideo.finetune.sample.AutoregressiveModel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Decoding without a cache: every {@link DecodingSession#logits()} runs the whole fixed-length sequence
 * (prefix, generated tokens, padding after them) through the full-logit graph and reads the last real
 * position. Causal attention makes the padding invisible to earlier positions, so the logits equal
 * those of {@link CachedDecoder}; this decoder is the reference the cache is tested against and the
 * "without cache" side of {@code bench generate}. Not thread-safe.
 */
public final class RecomputingDecoder implements AutoregressiveModel {
  private final VideoLm model;
  private final int length;

  /**
   * @param model the model (its parameters are read live, so training between sessions is seen)
   * @param maxLength the longest sequence a session may reach; each step costs a forward pass of this
   *     length, so pass the task's sequence length
   */
  public RecomputingDecoder(VideoLm model, int maxLength) {
    this.model = model;
    if (maxLength < 2 || maxLength > model.config().maxSequenceLength()) {
      throw new IllegalArgumentException("maxLength must be in [2, " + model.config().maxSequenceLength() + "], got "
          + maxLength);
    }
    this.length = maxLength;
  }

  @Override
  public int vocabSize() {
    return model.vocabulary().size();
  }

  @Override
  public int maxSequenceLength() {
    return length;
  }

  @Override
  public DecodingSession start(int[] prefix) {
    CachedDecoder.checkPrefix(prefix, length, vocabSize());
    return new Session(prefix);
  }

  private final class Session implements DecodingSession {
    private final int[] tokens = new int[length];
    private final int[] positions = new int[length * VideoLmConfig.POSITION_SLOTS];
    private final TokenPositions.Walker walker;
    private final VideoLm.Graph graph;
    private int n;
    private float[] logits;
    private boolean closed;

    Session(int[] prefix) {
      walker = new TokenPositions.Walker(model.config());
      for (int t : prefix) {
        walker.next(t, positions, n * VideoLmConfig.POSITION_SLOTS);
        tokens[n++] = t;
      }
      graph = model.graph(VideoLm.Kind.LOGITS, length, prefix.length);
    }

    @Override
    public float[] logits() {
      check();
      if (logits == null) {
        INDArray tok = Nd4j.createFromArray(tokens).reshape(1, length);
        INDArray pos = Nd4j.createFromArray(positions).reshape(1, length, VideoLmConfig.POSITION_SLOTS);
        String name = graph.output("logits");
        INDArray all = graph.model().output(Map.of("tokens", tok, "positions", pos), name).get(name);
        logits = all.getRow(n - 1).toFloatVector();
        all.close();
      }
      return logits.clone();
    }

    @Override
    public void append(int token) {
      check();
      if (n >= length) {
        throw new IllegalStateException("the session is full (" + length + " tokens); start it with a larger maxLength");
      }
      if (token < 0 || token >= vocabSize()) {
        throw new IllegalArgumentException("token " + token + " is outside [0, " + vocabSize() + ")");
      }
      walker.next(token, positions, n * VideoLmConfig.POSITION_SLOTS);
      tokens[n++] = token;
      logits = null;
    }

    @Override
    public int length() {
      return n;
    }

    private void check() {
      if (closed) {
        throw new IllegalStateException("this decoding session was closed");
      }
    }

    @Override
    public void close() {
      closed = true;
      Arrays.fill(tokens, 0);
    }
  }
}
