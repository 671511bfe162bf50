/**
 * Data-parallel DP-SGD on Apache Spark. {@link org.dpvideo.distributed.SparkDpTrainer} partitions the
 * privacy units across executors (every unit with all its examples in one partition); each step the
 * executors get the current parameters by broadcast, Poisson-sample their own units with a keyed
 * pseudo-random function of (run key, step, unit id), compute the per-unit clipped sums and counts with
 * the engine's {@code ClippedSumKernel}, and return them by tree aggregation; the driver adds the noise
 * once with {@code AggregateRelease}, records one event and updates the parameters. A retried task
 * recomputes exactly what the lost one computed. Design, trust model and costs: {@code docs/distributed.md}.
 */
package org.dpvideo.distributed;
