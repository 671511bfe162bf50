package org.dpvideo.dpsgd.audit;

/** How an audit's noise multiplier is chosen: calibrated to a target ε, or given. */
public sealed interface NoiseSetting {

  /**
   * The smallest noise multiplier whose accounted ε reaches the target (see
   * {@code NoiseCalibration}).
   *
   * @param epsilon finite and &gt; 0
   */
  record TargetEpsilon(double epsilon) implements NoiseSetting {
    public TargetEpsilon {
      if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
        throw new IllegalArgumentException("the target epsilon must be finite and > 0, got " + epsilon);
      }
    }
  }

  /**
   * A given noise multiplier.
   *
   * @param sigma finite and &gt; 0
   */
  record Multiplier(double sigma) implements NoiseSetting {
    public Multiplier {
      if (!(sigma > 0) || Double.isInfinite(sigma)) {
        throw new IllegalArgumentException("the noise multiplier must be finite and > 0, got " + sigma
            + "; without noise there is no privacy guarantee");
      }
    }
  }
}
