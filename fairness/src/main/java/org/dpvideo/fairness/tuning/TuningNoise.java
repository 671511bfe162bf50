package org.dpvideo.fairness.tuning;

/**
 * How a sweep chooses each private run's noise multiplier. Whatever the choice, every private run of the
 * sweep is a release and the sweep's total event is the composition of all of them.
 */
public sealed interface TuningNoise permits TuningNoise.NotPrivate, TuningNoise.FixedMultiplier,
    TuningNoise.EpsilonPerRun, TuningNoise.EpsilonTotal {

  /** The target is not private (no noise, no guarantee). */
  record NotPrivate() implements TuningNoise {}

  /**
   * Every run uses noise multiplier σ.
   *
   * @param sigma finite and &gt; 0
   */
  record FixedMultiplier(double sigma) implements TuningNoise {
    /** Validates. */
    public FixedMultiplier {
      positive("noise multiplier", sigma);
    }
  }

  /**
   * Every run is calibrated on its own to ε (so each candidate alone meets ε, and the total is larger:
   * it is stated and accounted as the composition).
   *
   * @param epsilon finite and &gt; 0
   */
  record EpsilonPerRun(double epsilon) implements TuningNoise {
    /** Validates. */
    public EpsilonPerRun {
      positive("target epsilon", epsilon);
    }
  }

  /**
   * One noise multiplier for all runs, the smallest whose composition of every planned run (all candidates
   * and the refit) meets ε: the whole tuning spends at most ε.
   *
   * @param epsilon finite and &gt; 0
   */
  record EpsilonTotal(double epsilon) implements TuningNoise {
    /** Validates. */
    public EpsilonTotal {
      positive("target epsilon", epsilon);
    }
  }

  private static void positive(String what, double v) {
    if (!(v > 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(what + " must be finite and > 0, got " + v);
    }
  }
}
