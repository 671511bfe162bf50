package org.dpvideo.finetune.train;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.dpvideo.dpsgd.step.BatchAssembler;
import org.dpvideo.finetune.model.TokenPositions;
import org.dpvideo.finetune.model.VideoLmConfig;
import org.dpvideo.finetune.task.TaskLayout;
import org.dpvideo.finetune.task.TaskPrompts;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The examples of one task group: sequences of one {@link TaskLayout} (so one length, no padding between
 * sequences), with each example's privacy subject and fairness group. {@link #assembler} builds a
 * micro-batch's placeholders for the layout's training graph, applying condition dropout.
 *
 * <p>Condition dropout (for classifier-free guidance) replaces an example's condition by the null
 * condition ({@link TaskPrompts#nullCondition}) with probability {@code rate}, decided by a hash of
 * (seed, step, example) so that a resumed run drops exactly the same conditions. The decision does not
 * depend on any data, so it is an input transformation that changes no privacy guarantee. Immutable.
 *
 * @param layout the group's layout
 * @param sequences full sequences (prefix and output), each {@code layout.sequenceLength()} ids
 * @param subjects each example's privacy subject (a dense id &gt;= 0)
 * @param groups each example's fairness group index (or 0)
 */
public record TaskExamples(TaskLayout layout, List<int[]> sequences, int[] subjects, int[] groups) {
  public TaskExamples {
    Objects.requireNonNull(layout, "layout");
    sequences = List.copyOf(sequences);
    if (sequences.isEmpty()) {
      throw new IllegalArgumentException("task group " + layout.label() + " has no examples");
    }
    if (subjects.length != sequences.size() || groups.length != sequences.size()) {
      throw new IllegalArgumentException("need one subject and one group per example (" + sequences.size() + "), got "
          + subjects.length + " and " + groups.length);
    }
    for (int[] s : sequences) {
      if (s.length != layout.sequenceLength()) {
        throw new IllegalArgumentException("a sequence of " + s.length + " ids does not fit " + layout.label()
            + " (" + layout.sequenceLength() + ")");
      }
    }
    subjects = subjects.clone();
    groups = groups.clone();
  }

  /** The number of examples. */
  public int size() {
    return sequences.size();
  }

  /** Padding tokens over all input tokens (caption padding; AGD needs none between sequences). */
  public double paddingRatio() {
    long pad = 0;
    for (int[] s : sequences) {
      pad += TaskPrompts.paddingTokens(java.util.Arrays.copyOf(s, s.length - 1));
    }
    return (double) pad / ((long) sequences.size() * layout.inputLength());
  }

  /** The examples at the given indices (same layout). */
  public TaskExamples subset(int[] indices) {
    List<int[]> s = new ArrayList<>();
    int[] subj = new int[indices.length];
    int[] grp = new int[indices.length];
    for (int i = 0; i < indices.length; i++) {
      s.add(sequences.get(indices[i]));
      subj[i] = subjects[indices[i]];
      grp[i] = groups[indices[i]];
    }
    return new TaskExamples(layout, s, subj, grp);
  }

  /**
   * Placeholders of the layout's training graph for the given examples, without dropout.
   */
  public Map<String, INDArray> placeholders(int[] ids, VideoLmConfig config) {
    return assembler(config, 0, 0, () -> 0).placeholders(ids);
  }

  /**
   * An assembler for the training graph of this layout.
   *
   * @param dropoutRate probability of the null condition per example and step, in [0, 1)
   * @param seed seed of the dropout decisions
   * @param step the current step (read at each call)
   */
  public BatchAssembler assembler(VideoLmConfig config, double dropoutRate, long seed, LongSupplier step) {
    if (!(dropoutRate >= 0 && dropoutRate < 1)) {
      throw new IllegalArgumentException("condition dropout rate must be in [0, 1), got " + dropoutRate);
    }
    int[] positions = TokenPositions.of(java.util.Arrays.copyOf(sequences.get(0), layout.inputLength()), config);
    return ids -> {
      int[][] seqs = new int[ids.length][];
      for (int i = 0; i < ids.length; i++) {
        seqs[i] = sequences.get(ids[i]);
      }
      return placeholders(layout.inputLength(), layout.prefixLength(), layout.outputTokens(), positions, seqs, ids,
          dropoutRate, seed, step.getAsLong());
    };
  }

  /**
   * The training graph's placeholders of a micro-batch: {@code tokens}, {@code positions}, {@code targets}
   * and {@code weights} (1/n_out per output token), with condition dropout decided by
   * {@link #drop}(seed, step, example id). Shared by the single-process assembler and the data-parallel
   * batcher so both feed the graph the same values.
   *
   * @param t the input length, {@code p} the prefix length and {@code nOut} the output tokens of the layout
   * @param positions the layout's token positions ({@link TokenPositions#of}), the same for every sequence
   * @param seqs the full sequences of the micro-batch
   * @param exampleIds each sequence's example id (its index in the task group), the dropout hash input
   */
  static Map<String, INDArray> placeholders(int t, int p, int nOut, int[] positions, int[][] seqs, int[] exampleIds,
      double dropoutRate, long seed, long step) {
    int slots = VideoLmConfig.POSITION_SLOTS;
    float weight = 1f / nOut;
    int n = seqs.length;
    int[] tok = new int[n * t];
    int[] pos = new int[n * t * slots];
    int[] tgt = new int[n * nOut];
    float[] w = new float[n * nOut];
    for (int i = 0; i < n; i++) {
      int[] seq = seqs[i];
      if (dropoutRate > 0 && drop(seed, step, exampleIds[i], dropoutRate)) {
        seq = TaskPrompts.nullCondition(seq, p);
      }
      System.arraycopy(seq, 0, tok, i * t, t);
      System.arraycopy(positions, 0, pos, i * t * slots, t * slots);
      System.arraycopy(seq, p, tgt, i * nOut, nOut);
      java.util.Arrays.fill(w, i * nOut, (i + 1) * nOut, weight);
    }
    Map<String, INDArray> m = new HashMap<>();
    m.put("tokens", Nd4j.createFromArray(tok).reshape(n, t));
    m.put("positions", Nd4j.createFromArray(pos).reshape(n, t, slots));
    m.put("targets", Nd4j.createFromArray(tgt).reshape(n, nOut));
    m.put("weights", Nd4j.createFromArray(w).reshape(n, nOut));
    return m;
  }

  /** Whether example {@code example} gets the null condition at {@code step}: a SplitMix64 hash below the rate. */
  static boolean drop(long seed, long step, int example, double rate) {
    long z = seed * 0x9E3779B97F4A7C15L + step * 0xBF58476D1CE4E5B9L + example * 0x94D049BB133111EBL;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z = z ^ (z >>> 31);
    return (z >>> 11) * 0x1.0p-53 < rate;
  }
}
