package org.dpvideo.dpsgd.dataparallel;

import java.util.Objects;
import org.dpvideo.dpsgd.noise.Randomness;
import org.dpvideo.dpsgd.optim.OptimizerConfig;
import org.dpvideo.dpsgd.train.DpConfig;
import org.dpvideo.dpsgd.train.PerformanceOptions;

/**
 * Everything a data-parallel backend needs to train: where to run, how to split, the model recipe,
 * the data, and the same privacy and performance settings as the single-process trainer.
 *
 * @param master where to run, in the backend's terms (Spark: {@code local[2]}, {@code spark://host:7077}, {@code yarn})
 * @param partitions how many shards the units are split into, &gt;= 1
 * @param recipe builds the model on the driver and on every worker
 * @param batcher builds micro-batch placeholders from examples
 * @param data the privacy units
 * @param config the privacy settings (changes ε)
 * @param optimizer the optimizer applied on the driver
 * @param performance micro-batch size and norm strategy (never change ε)
 * @param randomness secure (default) or seeded
 */
public record DataParallelJob(String master, int partitions, ModelRecipe recipe, ExampleBatcher batcher, UnitDataset data,
    DpConfig config, OptimizerConfig optimizer, PerformanceOptions performance, Randomness randomness) {
  public DataParallelJob {
    Objects.requireNonNull(master, "master");
    if (master.isBlank()) {
      throw new IllegalArgumentException("the master must name where to run (for example local[2] or spark://host:7077)");
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
    }
    Objects.requireNonNull(recipe, "recipe");
    Objects.requireNonNull(batcher, "batcher");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(optimizer, "optimizer");
    Objects.requireNonNull(performance, "performance");
    Objects.requireNonNull(randomness, "randomness");
    if (config.privacyUnit() != data.kind()) {
      throw new IllegalArgumentException("the config protects " + config.privacyUnit().reportName() + "s but the data"
          + " holds " + data.kind().reportName() + "s; build the dataset with the config's privacy unit");
    }
  }

  /** This job with another partition count. */
  public DataParallelJob withPartitions(int n) {
    return new DataParallelJob(master, n, recipe, batcher, data, config, optimizer, performance, randomness);
  }

  /** This job on another master. */
  public DataParallelJob withMaster(String m) {
    return new DataParallelJob(m, partitions, recipe, batcher, data, config, optimizer, performance, randomness);
  }
}
