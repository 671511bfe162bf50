package org.dpvideo.finetune.train;

import java.util.List;
import java.util.Map;
import org.dpvideo.dpsgd.dataparallel.Example;
import org.dpvideo.dpsgd.dataparallel.ExampleBatcher;
import org.dpvideo.dpsgd.dataparallel.Feature;

/**
 * Builds the video LM training graph's placeholders from data-parallel {@link Example}s: the same values
 * as the single-process {@link TaskExamples#assembler} (tokens, positions, targets, weights), including
 * condition dropout decided by the hash of (dropout seed, step, example id), so that a Spark run and a
 * single-process run drop the same conditions at the same steps.
 *
 * <p>Each example carries two features: {@link #SEQUENCE} (the full sequence of ids) and {@link #EXAMPLE}
 * (its index in the task group, the dropout hash input). Immutable and serializable.
 *
 * @param inputLength the layout's input length T
 * @param prefixLength its condition prefix P
 * @param outputTokens its output tokens
 * @param positions the layout's token positions (the same for every sequence of the layout)
 * @param dropoutRate probability of the null condition per example and step, in [0, 1)
 * @param dropoutSeed seed of the dropout decisions
 */
public record VideoLmBatcher(int inputLength, int prefixLength, int outputTokens, int[] positions, double dropoutRate,
    long dropoutSeed) implements ExampleBatcher {
  private static final long serialVersionUID = 1L;

  /** The feature holding an example's full sequence (int [T + 1]). */
  public static final String SEQUENCE = "sequence";
  /** The feature holding an example's index in its task group (int [1]). */
  public static final String EXAMPLE = "example";

  public VideoLmBatcher {
    if (!(dropoutRate >= 0 && dropoutRate < 1)) {
      throw new IllegalArgumentException("condition dropout rate must be in [0, 1), got " + dropoutRate);
    }
    positions = positions.clone();
  }

  /** The example of sequence {@code sequence}, the {@code index}-th of its task group. */
  public static Example example(int[] sequence, int index) {
    return new Example(Map.of(SEQUENCE, new Feature.Ints(sequence, new long[] {sequence.length}),
        EXAMPLE, new Feature.Ints(new int[] {index}, new long[] {1})));
  }

  /** The placeholders without condition dropout (no step is known here). */
  @Override
  public Map<String, org.nd4j.linalg.api.ndarray.INDArray> placeholders(List<Example> examples) {
    return assemble(examples, 0, 0);
  }

  /** The placeholders of step {@code step}, with its condition dropout. */
  @Override
  public Map<String, org.nd4j.linalg.api.ndarray.INDArray> placeholders(long step, List<Example> examples) {
    return assemble(examples, dropoutRate, step);
  }

  private Map<String, org.nd4j.linalg.api.ndarray.INDArray> assemble(List<Example> examples, double rate, long step) {
    if (examples.isEmpty()) {
      throw new IllegalArgumentException("a micro-batch needs at least one example");
    }
    int[][] seqs = new int[examples.size()][];
    int[] ids = new int[examples.size()];
    for (int i = 0; i < seqs.length; i++) {
      Map<String, Feature> f = examples.get(i).features();
      if (!(f.get(SEQUENCE) instanceof Feature.Ints s) || !(f.get(EXAMPLE) instanceof Feature.Ints e)) {
        throw new IllegalArgumentException("a video LM example needs int features '" + SEQUENCE + "' and '" + EXAMPLE
            + "'; got " + f.keySet() + ". Build examples with VideoLmBatcher.example");
      }
      seqs[i] = s.values();
      ids[i] = e.values()[0];
      if (seqs[i].length != prefixLength + outputTokens) {
        throw new IllegalArgumentException("a sequence of " + seqs[i].length + " ids does not fit this layout ("
            + (prefixLength + outputTokens) + ")");
      }
    }
    return TaskExamples.placeholders(inputLength, prefixLength, outputTokens, positions, seqs, ids, rate, dropoutSeed,
        step);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VideoLmBatcher b && inputLength == b.inputLength && prefixLength == b.prefixLength
        && outputTokens == b.outputTokens && java.util.Arrays.equals(positions, b.positions)
        && dropoutRate == b.dropoutRate && dropoutSeed == b.dropoutSeed;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(inputLength, prefixLength, outputTokens, java.util.Arrays.hashCode(positions),
        dropoutRate, dropoutSeed);
  }

  /** The layout's token positions (a copy). */
  @Override
  public int[] positions() {
    return positions.clone();
  }
}
