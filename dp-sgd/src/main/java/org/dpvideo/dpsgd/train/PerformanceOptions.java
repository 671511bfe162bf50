package org.dpvideo.dpsgd.train;

import java.util.Objects;
import org.dpvideo.dpsgd.persample.NormStrategy;

/**
 * Settings that never change the privacy guarantee (the result of a step is the same up to float
 * rounding): how a logical batch is cut into micro-batches and how per-unit norms are computed.
 *
 * @param microBatchSize the most examples per forward/backward pass, &gt;= 1
 * @param normStrategy how per-unit norms are computed
 * @param materializeBudgetBytes the most bytes of one layer's materialised per-example gradients
 */
public record PerformanceOptions(int microBatchSize, NormStrategy normStrategy, long materializeBudgetBytes)
    implements java.io.Serializable {
  public PerformanceOptions {
    if (microBatchSize < 1) {
      throw new IllegalArgumentException("micro-batch size must be >= 1, got " + microBatchSize);
    }
    Objects.requireNonNull(normStrategy, "normStrategy");
    if (materializeBudgetBytes < 0) {
      throw new IllegalArgumentException("materialisation budget must be >= 0, got " + materializeBudgetBytes);
    }
  }

  /** Micro-batches of 32 examples, AUTO norms, 256 MiB per layer for materialisation. */
  public static PerformanceOptions defaults() {
    return new PerformanceOptions(32, NormStrategy.AUTO, 256L << 20);
  }

  /** Another micro-batch size. */
  public PerformanceOptions withMicroBatchSize(int size) {
    return new PerformanceOptions(size, normStrategy, materializeBudgetBytes);
  }

  /** Another norm strategy. */
  public PerformanceOptions withNormStrategy(NormStrategy strategy) {
    return new PerformanceOptions(microBatchSize, strategy, materializeBudgetBytes);
  }

  /** Another materialisation budget. */
  public PerformanceOptions withMaterializeBudgetBytes(long bytes) {
    return new PerformanceOptions(microBatchSize, normStrategy, bytes);
  }
}
