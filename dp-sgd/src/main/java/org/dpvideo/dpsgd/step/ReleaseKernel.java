package org.dpvideo.dpsgd.step;

/**
 * A kernel that creates {@link NoisyGradient}s: each release bumps its generation, which invalidates
 * the gradients of earlier releases (their arrays are reused). Only this package implements it.
 */
sealed interface ReleaseKernel permits PrivateStep, AggregateRelease {
  /** The number of releases so far. */
  long generation();
}
