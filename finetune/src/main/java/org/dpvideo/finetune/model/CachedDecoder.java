package org.dpvideo.finetune.model;

import java.util.HashMap;
import java.util.Map;
import org.dpvideo.dpsgd.layers.Attention;
import org.dpvideo.finetune.sample.AutoregressiveModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Decoding with a key/value cache: the prefix runs once through the prefill graph (bidirectional over
 * the prefix) and leaves every layer's keys and values in fixed-capacity caches; each appended token then
 * runs the one-token step graph, attending to the cached positions (a mask hides the empty slots) and to
 * itself, and its keys and values are written into the caches. Both graphs are built over the model's
 * parameter store, so they always see the trained values. Sessions of several sequences with prefixes of
 * one length run as a batch ({@link #startBatch}). Not thread-safe.
 */
public final class CachedDecoder implements AutoregressiveModel {
  private final VideoLm model;
  private final int capacity;

  /**
   * @param model the model
   * @param capacity the longest sequence a session may reach (the caches' size)
   */
  public CachedDecoder(VideoLm model, int capacity) {
    this.model = model;
    if (capacity < 2 || capacity > model.config().maxSequenceLength()) {
      throw new IllegalArgumentException("capacity must be in [2, " + model.config().maxSequenceLength() + "], got "
          + capacity);
    }
    this.capacity = capacity;
  }

  @Override
  public int vocabSize() {
    return model.vocabulary().size();
  }

  @Override
  public int maxSequenceLength() {
    return capacity;
  }

  static void checkPrefix(int[] prefix, int capacity, int vocab) {
    if (prefix.length < 1 || prefix.length >= capacity) {
      throw new IllegalArgumentException("a prefix needs 1 to " + (capacity - 1) + " tokens, got " + prefix.length);
    }
    for (int i = 0; i < prefix.length; i++) {
      if (prefix[i] < 0 || prefix[i] >= vocab) {
        throw new IllegalArgumentException("prefix token " + i + " = " + prefix[i] + " is outside [0, " + vocab + ")");
      }
    }
  }

  @Override
  public DecodingSession start(int[] prefix) {
    BatchSession b = startBatch(new int[][] {prefix});
    return new DecodingSession() {
      @Override
      public float[] logits() {
        return b.logits()[0];
      }

      @Override
      public void append(int token) {
        b.append(new int[] {token});
      }

      @Override
      public int length() {
        return b.length();
      }

      @Override
      public void close() {
        b.close();
      }
    };
  }

  /**
   * Starts decoding several sequences at once.
   *
   * @param prefixes one prefix per sequence, all of the same length
   */
  public BatchSession startBatch(int[][] prefixes) {
    if (prefixes.length == 0) {
      throw new IllegalArgumentException("need at least one prefix");
    }
    for (int[] p : prefixes) {
      checkPrefix(p, capacity, vocabSize());
      if (p.length != prefixes[0].length) {
        throw new IllegalArgumentException("batched prefixes must have one length; got " + prefixes[0].length + " and "
            + p.length);
      }
    }
    return new BatchSession(prefixes);
  }

  /** A batch of decodings advancing together. Close it to free its caches. */
  public final class BatchSession implements AutoCloseable {
    private final int batch;
    private final int width;
    private final int layers;
    private final TokenPositions.Walker[] walkers;
    private final INDArray[] keys;
    private final INDArray[] values;
    private final INDArray mask;
    private float[][] logits;
    private int n;
    private boolean closed;

    BatchSession(int[][] prefixes) {
      VideoLmConfig c = model.config();
      batch = prefixes.length;
      width = c.width();
      layers = c.layers();
      int p = prefixes[0].length;
      int slots = VideoLmConfig.POSITION_SLOTS;
      int[] tok = new int[batch * p];
      int[] pos = new int[batch * p * slots];
      walkers = new TokenPositions.Walker[batch];
      for (int b = 0; b < batch; b++) {
        walkers[b] = new TokenPositions.Walker(c);
        for (int i = 0; i < p; i++) {
          tok[b * p + i] = prefixes[b][i];
          walkers[b].next(prefixes[b][i], pos, (b * p + i) * slots);
        }
      }
      VideoLm.Graph prefill = model.graph(VideoLm.Kind.PREFILL, p, p);
      String[] names = new String[1 + 2 * layers];
      names[0] = prefill.output("logits");
      for (int l = 0; l < layers; l++) {
        names[1 + 2 * l] = prefill.output("k" + l);
        names[2 + 2 * l] = prefill.output("v" + l);
      }
      Map<String, INDArray> out = prefill.model().output(Map.of(
          "tokens", Nd4j.createFromArray(tok).reshape(batch, p),
          "positions", Nd4j.createFromArray(pos).reshape(batch, p, slots)), names);
      keys = new INDArray[layers];
      values = new INDArray[layers];
      for (int l = 0; l < layers; l++) {
        keys[l] = Nd4j.zeros(DataType.FLOAT, batch, capacity, width);
        values[l] = Nd4j.zeros(DataType.FLOAT, batch, capacity, width);
        keys[l].get(NDArrayIndex.all(), NDArrayIndex.interval(0, p), NDArrayIndex.all())
            .assign(out.get(names[1 + 2 * l]).reshape(batch, p, width));
        values[l].get(NDArrayIndex.all(), NDArrayIndex.interval(0, p), NDArrayIndex.all())
            .assign(out.get(names[2 + 2 * l]).reshape(batch, p, width));
      }
      mask = Nd4j.valueArrayOf(new long[] {1, capacity + 1}, Attention.MASKED, DataType.FLOAT);
      mask.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, p)).assign(0);
      mask.putScalar(0, capacity, 0f);
      logits = rows(out.get(names[0]));
      for (INDArray a : out.values()) {
        a.close();
      }
      n = p;
    }

    private float[][] rows(INDArray a) {
      float[][] r = new float[batch][];
      for (int b = 0; b < batch; b++) {
        r[b] = a.getRow(b).toFloatVector();
      }
      return r;
    }

    /** The next-token logits of every sequence, {@code [batch][vocabSize]} (copies). */
    public float[][] logits() {
      check();
      float[][] copy = new float[batch][];
      for (int b = 0; b < batch; b++) {
        copy[b] = logits[b].clone();
      }
      return copy;
    }

    /** Appends one token to every sequence. */
    public void append(int[] tokens) {
      check();
      if (tokens.length != batch) {
        throw new IllegalArgumentException("need one token per sequence (" + batch + "), got " + tokens.length);
      }
      if (n >= capacity) {
        throw new IllegalStateException("the session is full (" + capacity + " tokens); use a larger capacity");
      }
      int slots = VideoLmConfig.POSITION_SLOTS;
      int[] pos = new int[batch * slots];
      for (int b = 0; b < batch; b++) {
        if (tokens[b] < 0 || tokens[b] >= vocabSize()) {
          throw new IllegalArgumentException("token " + tokens[b] + " is outside [0, " + vocabSize() + ")");
        }
        walkers[b].next(tokens[b], pos, b * slots);
      }
      VideoLm.Graph step = model.graph(VideoLm.Kind.STEP, capacity, 1);
      Map<String, INDArray> ph = new HashMap<>();
      ph.put("tokens", Nd4j.createFromArray(tokens).reshape(batch, 1));
      ph.put("positions", Nd4j.createFromArray(pos).reshape(batch, 1, slots));
      ph.put("attention_mask", mask);
      String[] names = new String[1 + 2 * layers];
      names[0] = step.output("logits");
      for (int l = 0; l < layers; l++) {
        ph.put("k_cache" + l, keys[l]);
        ph.put("v_cache" + l, values[l]);
        names[1 + 2 * l] = step.output("k" + l);
        names[2 + 2 * l] = step.output("v" + l);
      }
      Map<String, INDArray> out = step.model().output(ph, names);
      for (int l = 0; l < layers; l++) {
        keys[l].get(NDArrayIndex.all(), NDArrayIndex.point(n), NDArrayIndex.all()).assign(out.get(names[1 + 2 * l]));
        values[l].get(NDArrayIndex.all(), NDArrayIndex.point(n), NDArrayIndex.all()).assign(out.get(names[2 + 2 * l]));
      }
      mask.putScalar(0, n, 0f);
      logits = rows(out.get(names[0]));
      for (INDArray a : out.values()) {
        a.close();
      }
      n++;
    }

    /** Tokens per sequence so far. */
    public int length() {
      return n;
    }

    /** Sequences in the batch. */
    public int batchSize() {
      return batch;
    }

    private void check() {
      if (closed) {
        throw new IllegalStateException("this decoding session was closed");
      }
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        for (int l = 0; l < layers; l++) {
          keys[l].close();
          values[l].close();
        }
        mask.close();
      }
    }
  }
}
