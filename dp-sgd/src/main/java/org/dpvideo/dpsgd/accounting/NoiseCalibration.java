package org.dpvideo.dpsgd.accounting;

import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.DoubleFunction;
import java.util.function.LongFunction;

/**
 * Calibrates DP-SGD settings to a privacy target with a given accountant: the smallest noise
 * multiplier that reaches a target epsilon, and the largest number of steps a noise multiplier allows.
 *
 * <p>Both searches only return values whose epsilon the accountant has actually computed to be at
 * most the target, so the result never exceeds the target, even where the accountant's epsilon is not
 * exactly monotone (PLD discretization). The noise multiplier is found by bisection on sigma (epsilon
 * decreases in sigma): the returned sigma is within the relative tolerance of the smallest sigma the
 * bisection can distinguish, i.e. {@code sigma_returned <= (1 + tolerance) * sigma_lower} where
 * sigma_lower was computed to miss the target. The step count is found by doubling and integer bisection
 * (epsilon increases with steps) and is exact.
 *
 * <p>Immutable and thread-safe when the accountant is (both built-in accountants are).
 */
public final class NoiseCalibration {

  /** Default relative tolerance of the noise multiplier: 0.1%. */
  public static final double DEFAULT_RELATIVE_TOLERANCE = 1e-3;

  /** The largest noise multiplier the search tries before giving up. */
  public static final double MAX_NOISE_MULTIPLIER = 1e4;

  private final PrivacyAccountant accountant;
  private final double relativeTolerance;

  /** A calibration with the default tolerance. */
  public NoiseCalibration(PrivacyAccountant accountant) {
    this(accountant, DEFAULT_RELATIVE_TOLERANCE);
  }

  /**
   * @param accountant the accountant whose epsilon must reach the target
   * @param relativeTolerance in [1e-9, 0.5]: bisection stops when (hi - lo) &lt;= tolerance * hi
   */
  public NoiseCalibration(PrivacyAccountant accountant, double relativeTolerance) {
    this.accountant = Objects.requireNonNull(accountant, "accountant");
    if (!(relativeTolerance >= 1e-9 && relativeTolerance <= 0.5)) {
      throw new IllegalArgumentException("relative tolerance of the noise calibration must be in [1e-9, 0.5], got "
          + relativeTolerance);
    }
    this.relativeTolerance = relativeTolerance;
  }

  /**
   * A calibrated noise multiplier and the guarantee the accountant computed for it.
   *
   * @param noiseMultiplier the smallest sigma found that reaches the target
   * @param guarantee the accountant's (epsilon, delta) at that sigma; epsilon &lt;= the target
   */
  public record CalibratedNoise(double noiseMultiplier, PrivacyGuarantee guarantee) {}

  /**
   * A calibrated count (of steps or repetitions) and the guarantee the accountant computed for it.
   *
   * @param count the largest count found that stays within the target; 0 when even one misses it
   * @param guarantee the accountant's (epsilon, delta) at that count (epsilon 0 for count 0)
   */
  public record CalibratedCount(long count, PrivacyGuarantee guarantee) {}

  /**
   * The smallest noise multiplier (within the tolerance) such that DP-SGD with Poisson sampling rate
   * {@code samplingRate} for {@code steps} steps is (targetEpsilon, delta)-DP.
   *
   * @param targetEpsilon finite and &gt; 0
   * @param samplingRate in (0, 1]
   * @param steps &gt;= 1
   * @param delta in (0, 1)
   * @throws IllegalArgumentException if even sigma = {@link #MAX_NOISE_MULTIPLIER} misses the target
   */
  public CalibratedNoise noiseMultiplier(double targetEpsilon, double samplingRate, long steps, double delta) {
    checkSamplingRate(samplingRate);
    checkSteps(steps);
    return noiseMultiplier(targetEpsilon, delta, sigma -> new SelfComposedEvent(
        new PoissonSampledEvent(samplingRate, new GaussianEvent(sigma)), Math.toIntExact(steps)));
  }

  /**
   * The smallest noise multiplier (within the tolerance) for which {@code eventForNoiseMultiplier}
   * is (targetEpsilon, delta)-DP; for schedules with several phases sharing one sigma. Epsilon must
   * decrease as sigma grows.
   */
  public CalibratedNoise noiseMultiplier(double targetEpsilon, double delta,
      DoubleFunction<DpEvent> eventForNoiseMultiplier) {
    checkTarget(targetEpsilon);
    RdpAccountant.checkDelta(delta);
    DoubleFunction<DpEvent> events = Objects.requireNonNull(eventForNoiseMultiplier, "eventForNoiseMultiplier");
    double hi = 1.0;
    PrivacyGuarantee atHi = accountant.epsilon(events.apply(hi), delta);
    double lo;
    if (atHi.epsilon() <= targetEpsilon) {
      // Walk down until the target is missed.
      lo = hi / 2;
      while (true) {
        PrivacyGuarantee g = accountant.epsilon(events.apply(lo), delta);
        if (g.epsilon() > targetEpsilon) {
          break;
        }
        hi = lo;
        atHi = g;
        if (lo < 1e-6) {
          return new CalibratedNoise(hi, atHi); // practically no noise needed
        }
        lo /= 2;
      }
    } else {
      lo = hi;
      while (true) {
        hi = lo * 2;
        if (hi > MAX_NOISE_MULTIPLIER) {
          throw new IllegalArgumentException("no noise multiplier up to " + MAX_NOISE_MULTIPLIER
              + " reaches epsilon " + targetEpsilon + " at delta " + delta + " with the " + accountant.kind().cliName()
              + " accountant; raise the target epsilon or lower the sampling rate or the number of steps");
        }
        atHi = accountant.epsilon(events.apply(hi), delta);
        if (atHi.epsilon() <= targetEpsilon) {
          break;
        }
        lo = hi;
      }
    }
    while (hi - lo > relativeTolerance * hi) {
      double mid = 0.5 * (lo + hi);
      PrivacyGuarantee g = accountant.epsilon(events.apply(mid), delta);
      if (g.epsilon() <= targetEpsilon) {
        hi = mid;
        atHi = g;
      } else {
        lo = mid;
      }
    }
    return new CalibratedNoise(hi, atHi);
  }

  /**
   * The largest number of DP-SGD steps (at most {@code maxSteps}) with Poisson sampling rate
   * {@code samplingRate} and noise multiplier {@code noiseMultiplier} that is (targetEpsilon, delta)-DP;
   * steps 0 (with epsilon 0) when even one step misses the target.
   */
  public CalibratedCount steps(double targetEpsilon, double samplingRate, double noiseMultiplier, double delta,
      long maxSteps) {
    checkSamplingRate(samplingRate);
    if (!(noiseMultiplier > 0) || Double.isInfinite(noiseMultiplier)) {
      throw new IllegalArgumentException("noise multiplier must be finite and > 0, got " + noiseMultiplier);
    }
    if (maxSteps < 1 || maxSteps > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("maxSteps must be in [1, " + Integer.MAX_VALUE + "], got " + maxSteps);
    }
    return largestCount(targetEpsilon, delta, n -> new SelfComposedEvent(
        new PoissonSampledEvent(samplingRate, new GaussianEvent(noiseMultiplier)), Math.toIntExact(n)), maxSteps);
  }

  /**
   * The largest count n in [0, maxCount] for which {@code eventForCount.apply(n)} is
   * (targetEpsilon, delta)-DP (n = 0 means nothing is released: epsilon 0). Epsilon must increase with n.
   */
  public CalibratedCount largestCount(double targetEpsilon, double delta, LongFunction<DpEvent> eventForCount,
      long maxCount) {
    checkTarget(targetEpsilon);
    RdpAccountant.checkDelta(delta);
    if (maxCount < 1) {
      throw new IllegalArgumentException("maxCount must be >= 1, got " + maxCount);
    }
    PrivacyGuarantee none = new PrivacyGuarantee(0, delta, accountant.kind(), OptionalDouble.empty());
    PrivacyGuarantee atOne = accountant.epsilon(eventForCount.apply(1), delta);
    if (atOne.epsilon() > targetEpsilon) {
      return new CalibratedCount(0, none);
    }
    long good = 1;
    PrivacyGuarantee atGood = atOne;
    long bad = -1;
    while (bad < 0) {
      long next = Math.min(maxCount, good * 2);
      if (next == good) {
        return new CalibratedCount(good, atGood);
      }
      PrivacyGuarantee g = accountant.epsilon(eventForCount.apply(next), delta);
      if (g.epsilon() <= targetEpsilon) {
        good = next;
        atGood = g;
      } else {
        bad = next;
      }
    }
    while (bad - good > 1) {
      long mid = good + (bad - good) / 2;
      PrivacyGuarantee g = accountant.epsilon(eventForCount.apply(mid), delta);
      if (g.epsilon() <= targetEpsilon) {
        good = mid;
        atGood = g;
      } else {
        bad = mid;
      }
    }
    return new CalibratedCount(good, atGood);
  }

  private static void checkTarget(double targetEpsilon) {
    if (!(targetEpsilon > 0) || Double.isInfinite(targetEpsilon)) {
      throw new IllegalArgumentException("target epsilon must be finite and > 0, got " + targetEpsilon);
    }
  }

  private static void checkSamplingRate(double q) {
    if (!(q > 0 && q <= 1)) {
      throw new IllegalArgumentException("sampling rate must be in (0, 1], got " + q
          + "; it is the expected batch size divided by the number of privacy units");
    }
  }

  private static void checkSteps(long steps) {
    if (steps < 1 || steps > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("steps must be in [1, " + Integer.MAX_VALUE + "], got " + steps);
    }
  }
}
