package org.dpvideo.fairness.classify;

/**
 * How the gradient noise of a private run is chosen: a given noise multiplier, or the smallest one whose
 * whole run meets a target ε (every step's event, including Global-Adapt's and DPSGD-F's count releases
 * accounted jointly with the gradient). The non-private method takes {@link None}.
 */
public sealed interface NoiseSetting permits NoiseSetting.None, NoiseSetting.Multiplier, NoiseSetting.TargetEpsilon {

  /** No noise: only for the non-private method. */
  record None() implements NoiseSetting {}

  /**
   * A given noise multiplier σ (read as the engine's {@code JointAccounting} says).
   *
   * @param sigma finite and &gt; 0
   */
  record Multiplier(double sigma) implements NoiseSetting {
    /** Validates. */
    public Multiplier {
      if (!(sigma > 0) || Double.isInfinite(sigma)) {
        throw new IllegalArgumentException("noise multiplier must be finite and > 0, got " + sigma
            + "; without noise there is no privacy guarantee");
      }
    }
  }

  /**
   * A target ε at the run's δ: σ is calibrated so that the run's whole event meets it.
   *
   * @param epsilon finite and &gt; 0
   */
  record TargetEpsilon(double epsilon) implements NoiseSetting {
    /** Validates. */
    public TargetEpsilon {
      if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
        throw new IllegalArgumentException("target epsilon must be finite and > 0, got " + epsilon);
      }
    }
  }

  /** The non-private setting. */
  static NoiseSetting none() {
    return new None();
  }
}
