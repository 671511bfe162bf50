/**
 * Privacy units and their Poisson sampling.
 *
 * <p>A privacy unit is what the guarantee protects: one example (a clip), or one subject with all
 * its examples (user-level DP). Each step includes every unit independently with probability q
 * ({@link org.dpvideo.dpsgd.sampling.PoissonSampler}); the batch size varies and may be zero (an empty
 * step still adds noise and is accounted). A sampled batch is split into micro-batches that never split
 * a unit ({@link org.dpvideo.dpsgd.sampling.MicroBatchPlan}).
 */
package org.dpvideo.dpsgd.sampling;
