/**
 * What data-parallel training needs from the engine, without depending on any cluster engine: a
 * serializable {@link org.dpvideo.dpsgd.dataparallel.ModelRecipe} that builds the same
 * {@link org.dpvideo.dpsgd.layers.DpModel} on every machine, privacy units as self-contained records
 * ({@link org.dpvideo.dpsgd.dataparallel.UnitRecord}, {@link org.dpvideo.dpsgd.dataparallel.Example}),
 * and the {@link org.dpvideo.dpsgd.dataparallel.DataParallelBackend} service interface that a backend
 * module (the Spark module {@code distributed}) implements and callers find with
 * {@link org.dpvideo.dpsgd.dataparallel.DataParallelBackends#require(String)}.
 *
 * <p>The privacy kernel of a data-parallel step is split in two, both in
 * {@code org.dpvideo.dpsgd.step}: workers run {@code ClippedSumKernel} on their units (raw clipped sums
 * and counts, private), the driver runs {@code AggregateRelease} once on the summed result (noise,
 * event, {@code NoisyGradient}). The guarantee is the single-process one when every privacy unit,
 * with all its examples, sits on exactly one worker.
 */
package org.dpvideo.dpsgd.dataparallel;
