package org.dpvideo.fairness.release;

/** Whether DP noise came from a secure or a seeded generator; reports state it. */
public enum NoiseSourceKind {
  /** Keyed from the operating system's secure randomness; not replayable. The only kind for real releases. */
  SECURE,
  /** A seeded, replayable generator for tests and reproduction runs: its releases are NOT private. */
  SEEDED
}
