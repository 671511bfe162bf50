package org.dpvideo.dpsgd.accounting;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The normal form both accountants work on: {@code steps} repetitions of a Gaussian mechanism with noise
 * multiplier sigma run on a Poisson subsample with rate q (q = 1: no subsampling).
 *
 * <p>{@link #decompose} rewrites any supported {@link DpEvent} into a list of such phases using only
 * exact identities, so no accountant ever reinterprets an event:
 * <ul>
 *   <li>composition is commutative for both accountants (RDP adds, PLDs convolve), so phases with the
 *       same (q, sigma) merge by adding their step counts;</li>
 *   <li>k Gaussian mechanisms with multipliers sigma_1..sigma_k on the same data are one Gaussian
 *       mechanism with sigma = (sum sigma_i^-2)^-1/2 (their privacy-loss pairs are the same), so all
 *       unsampled Gaussians merge into one, and a Poisson-sampled composition of Gaussians (for example
 *       a gradient and a count released from the same batch) is one sampled Gaussian with that sigma;</li>
 *   <li>a Poisson subsample (rate q2) of a Poisson subsample (rate q1) is a Poisson subsample with rate
 *       q1 q2.</li>
 * </ul>
 * Anything else inside a {@link PoissonSampledEvent} (for example several sampled steps sharing one
 * outer sample) has no exact form here and is refused with {@link UnsupportedEventException}.
 *
 * @param samplingProbability q in (0, 1]
 * @param noiseMultiplier sigma &gt; 0
 * @param steps how many times the mechanism runs, &gt;= 1
 */
record SampledGaussianSteps(double samplingProbability, double noiseMultiplier, long steps) {

  SampledGaussianSteps {
    if (!(samplingProbability > 0 && samplingProbability <= 1)) {
      throw new IllegalArgumentException("sampling probability must be in (0, 1], got " + samplingProbability);
    }
    if (!(noiseMultiplier > 0) || Double.isInfinite(noiseMultiplier)) {
      throw new IllegalArgumentException("noise multiplier must be finite and > 0, got " + noiseMultiplier);
    }
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be >= 1, got " + steps);
    }
  }

  /** True when there is no subsampling (q = 1). */
  boolean unsampled() {
    return samplingProbability == 1.0;
  }

  /**
   * The phases of {@code event}: all unsampled Gaussians merged into one entry (first, if any), then
   * the sampled phases with equal (q, sigma) merged, in first-appearance order.
   *
   * @throws UnsupportedEventException naming the sub-event that has no exact sampled-Gaussian form
   * @throws IllegalArgumentException if the total number of steps overflows a long
   */
  static List<SampledGaussianSteps> decompose(DpEvent event, AccountantKind accountant) {
    List<SampledGaussianSteps> raw = new ArrayList<>();
    collect(event, 1, raw, accountant);
    return merge(raw);
  }

  private static void collect(DpEvent event, long multiplicity, List<SampledGaussianSteps> out,
      AccountantKind accountant) {
    if (event instanceof GaussianEvent g) {
      out.add(new SampledGaussianSteps(1.0, g.noiseMultiplier(), multiplicity));
    } else if (event instanceof SelfComposedEvent s) {
      collect(s.event(), multiplyCounts(multiplicity, s.count()), out, accountant);
    } else if (event instanceof ComposedEvent c) {
      for (DpEvent e : c.events()) {
        collect(e, multiplicity, out, accountant);
      }
    } else if (event instanceof PoissonSampledEvent p) {
      List<SampledGaussianSteps> inner = decompose(p.event(), accountant);
      if (inner.isEmpty()) {
        return; // a subsample of nothing releases nothing
      }
      if (inner.size() == 1 && inner.get(0).steps() == 1) {
        SampledGaussianSteps only = inner.get(0);
        out.add(new SampledGaussianSteps(p.samplingProbability() * only.samplingProbability(),
            only.noiseMultiplier(), multiplicity));
        return;
      }
      throw new UnsupportedEventException(accountant, event,
          "a Poisson-sampled event may contain Gaussian mechanisms (composed or not) or one Poisson-sampled"
              + " Gaussian, but this one contains " + describe(inner)
              + "; sample each step separately (SelfComposedEvent of a PoissonSampledEvent) instead");
    } else {
      throw new UnsupportedEventException(accountant, event, "unknown event type " + event.getClass().getName());
    }
  }

  private static String describe(List<SampledGaussianSteps> inner) {
    long sampled = inner.stream().filter(s -> !s.unsampled()).mapToLong(SampledGaussianSteps::steps).sum();
    return sampled + " separately sampled step(s)";
  }

  private static long multiplyCounts(long a, long b) {
    try {
      return Math.multiplyExact(a, b);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("the event repeats a mechanism more than " + Long.MAX_VALUE
          + " times (nested self-composition counts " + a + " x " + b + "); such an event cannot be accounted", e);
    }
  }

  private static List<SampledGaussianSteps> merge(List<SampledGaussianSteps> raw) {
    double inverseVarianceSum = 0;
    boolean anyUnsampled = false;
    Map<List<Double>, Long> sampled = new LinkedHashMap<>();
    for (SampledGaussianSteps s : raw) {
      if (s.unsampled()) {
        anyUnsampled = true;
        double sigma = s.noiseMultiplier();
        inverseVarianceSum += s.steps() / (sigma * sigma);
      } else {
        sampled.merge(List.of(s.samplingProbability(), s.noiseMultiplier()), s.steps(), SampledGaussianSteps::addCounts);
      }
    }
    List<SampledGaussianSteps> out = new ArrayList<>();
    if (anyUnsampled) {
      out.add(new SampledGaussianSteps(1.0, 1.0 / Math.sqrt(inverseVarianceSum), 1));
    }
    sampled.forEach((key, steps) -> out.add(new SampledGaussianSteps(key.get(0), key.get(1), steps)));
    return List.copyOf(out);
  }

  private static long addCounts(long a, long b) {
    try {
      return Math.addExact(a, b);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("the event has more than " + Long.MAX_VALUE
          + " steps of one mechanism; such an event cannot be accounted", e);
    }
  }
}
