package org.dpvideo.dpsgd.accounting;

import java.util.Arrays;
import java.util.List;

/**
 * Composes discrete privacy loss distributions: the loss of a composition is the sum of independent
 * per-step losses, so its distribution is the convolution of theirs. All phases are composed with one
 * real FFT of length N per phase: each phase's per-step masses are folded modulo N into a length-N
 * array, transformed, raised to the power of its step count (binary exponentiation of every Fourier
 * coefficient), the spectra multiplied, and one inverse transform gives the composition modulo N.
 *
 * <p><b>Window and tails.</b> N covers a window [lo, hi] of the composed loss chosen by Chernoff bounds:
 * with K(lambda) = sum over phases of steps * log sum_j m_j e^{lambda l_j} (finite masses only),
 * {@code P(S >= h) <= exp(K(lambda) - lambda h)} and {@code P(S <= l) <= exp(K(-lambda) + lambda l)} for
 * every lambda &gt; 0; the best bound over lambda = 2^-6 .. 2^20 fixes hi and lo where the tails are at most
 * {@link #TAIL_BOUND} each (or the exact support ends, with tail 0). Mass outside the window wraps
 * around into it; moving a mass m anywhere changes any delta(eps) by at most m, so the accountant adds
 * both tail bounds to the infinite-loss mass: delta stays an upper bound. Infinite-loss masses compose
 * exactly: {@code 1 - prod (1 - inf_k)^steps_k}. Negative values from floating-point roundoff (order
 * 1e-17 of the peak) are set to zero.
 *
 * <p>Stateless and thread-safe.
 */
final class PldComposition {

  /** Bound on the composed mass beyond each end of the FFT window. */
  static final double TAIL_BOUND = 1e-18;

  /** Largest FFT length used; beyond it the accountant coarsens the grid. */
  static final int MAX_LENGTH = 1 << 22;

  private PldComposition() {}

  /** One phase: a per-step distribution composed {@code steps} times. */
  record Phase(PrivacyLossDistribution step, long steps) {}

  /** The composed window: losses [lo, lo + length) in grid units, and the tail bounds outside it. */
  record Window(long lo, long hi, double lowerTail, double upperTail) {
    long points() {
      return hi - lo + 1;
    }

    int fftLength() {
      long p = Math.max(2, points());
      long len = Long.highestOneBit(p);
      if (len < p) {
        len <<= 1;
      }
      return len > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) len;
    }
  }

  /** The window of the composition of {@code phases} (all on the same grid interval). */
  static Window window(List<Phase> phases) {
    long supportLo = 0;
    long supportHi = 0;
    for (Phase p : phases) {
      supportLo = Math.addExact(supportLo, Math.multiplyExact(p.steps(), p.step().lowestIndex()));
      supportHi = Math.addExact(supportHi,
          Math.multiplyExact(p.steps(), p.step().lowestIndex() + p.step().size() - 1));
    }
    double interval = phases.get(0).step().interval();
    double logTail = Math.log(TAIL_BOUND);
    double bestHi = Double.POSITIVE_INFINITY;
    double bestLo = Double.NEGATIVE_INFINITY;
    for (int e = -6; e <= 20; e++) {
      double lambda = Math.scalb(1.0, e);
      double kUp = 0;
      double kDown = 0;
      for (Phase p : phases) {
        kUp += p.steps() * logMoment(p.step(), lambda);
        kDown += p.steps() * logMoment(p.step(), -lambda);
      }
      bestHi = Math.min(bestHi, (kUp - logTail) / lambda);
      bestLo = Math.max(bestLo, (logTail - kDown) / lambda);
    }
    long hi = supportHi;
    double upperTail = 0;
    if (bestHi / interval < supportHi) {
      hi = Math.max(supportLo, (long) Math.ceil(bestHi / interval));
      upperTail = TAIL_BOUND;
    }
    long lo = supportLo;
    double lowerTail = 0;
    if (bestLo / interval > supportLo) {
      lo = Math.min(hi, (long) Math.floor(bestLo / interval));
      lowerTail = TAIL_BOUND;
    }
    return new Window(lo, hi, lowerTail, upperTail);
  }

  /**
   * log sum_j m_j exp(lambda * loss_j), over the finite masses. The exponentials run along the grid as a
   * geometric sequence starting from the end where they are largest (so the factor only shrinks, and
   * the walk stops once it underflows), recomputed exactly every 64 points (relative error below 1e-14).
   */
  private static double logMoment(PrivacyLossDistribution d, double lambda) {
    int n = d.size();
    int first = 0;
    while (first < n && !(d.mass(first) > 0)) {
      first++;
    }
    if (first == n) {
      return Double.NEGATIVE_INFINITY;
    }
    int last = n - 1;
    while (!(d.mass(last) > 0)) {
      last--;
    }
    int start = lambda >= 0 ? last : first;
    int step = lambda >= 0 ? -1 : 1;
    double max = lambda * d.loss(start);
    double ratio = Math.exp(-Math.abs(lambda) * d.interval());
    double sum = 0;
    double factor = 1;
    for (int j = start, k = 0; j >= first && j <= last; j += step, k++) {
      if ((k & 63) == 0) {
        factor = Math.exp(lambda * d.loss(j) - max);
        if (factor == 0) {
          break;
        }
      } else {
        factor *= ratio;
      }
      sum += d.mass(j) * factor;
    }
    return max + Math.log(sum);
  }

  /**
   * The composition of {@code phases} on the given window (its FFT length must not exceed
   * {@link #MAX_LENGTH}).
   */
  static PrivacyLossDistribution compose(List<Phase> phases, Window window) {
    double interval = phases.get(0).step().interval();
    double logNoInfinity = 0;
    for (Phase p : phases) {
      logNoInfinity += p.steps() * Math.log1p(-p.step().infinityMass());
    }
    double infinity = -Math.expm1(logNoInfinity) + window.lowerTail() + window.upperTail();
    int n = window.fftLength();
    RealFft fft = new RealFft(n);
    int bins = n / 2 + 1;
    double[] accRe = new double[bins];
    double[] accIm = new double[bins];
    Arrays.fill(accRe, 1.0);
    double[] signal = new double[n];
    double[] re = new double[bins];
    double[] im = new double[bins];
    long offset = 0; // sum of steps * lowestIndex: the composed index of folded position 0
    for (Phase p : phases) {
      Arrays.fill(signal, 0.0);
      PrivacyLossDistribution step = p.step();
      int size = step.size();
      for (int j = 0; j < size; j++) {
        signal[j % n] += step.mass(j);
      }
      fft.forward(signal, re, im);
      powerInPlace(re, im, p.steps());
      for (int k = 0; k < bins; k++) {
        double r = accRe[k] * re[k] - accIm[k] * im[k];
        double i = accRe[k] * im[k] + accIm[k] * re[k];
        accRe[k] = r;
        accIm[k] = i;
      }
      offset += p.steps() * step.lowestIndex();
    }
    fft.inverse(accRe, accIm, signal);
    // Folded position r holds the composed indices s with s - offset = r (mod n); the window's is
    // s = lo + floorMod(offset + r - lo, n).
    // Positions past hi (when n exceeds the window) hold real masses of losses up to lo + n - 1 plus
    // wrapped-around tail mass; they are kept as they are.
    double[] masses = new double[n];
    for (int r = 0; r < n; r++) {
      int pos = (int) Math.floorMod(offset + r - window.lo(), (long) n);
      masses[pos] = Math.max(0.0, signal[r]);
    }
    return new PrivacyLossDistribution(interval, window.lo(), masses, infinity);
  }

  /** Raises every complex number (re[k] + i im[k]) to {@code power} by repeated squaring, in place. */
  static void powerInPlace(double[] re, double[] im, long power) {
    for (int k = 0; k < re.length; k++) {
      double resRe = 1.0;
      double resIm = 0.0;
      double baseRe = re[k];
      double baseIm = im[k];
      long e = power;
      while (e > 0) {
        if ((e & 1) != 0) {
          double r = resRe * baseRe - resIm * baseIm;
          resIm = resRe * baseIm + resIm * baseRe;
          resRe = r;
        }
        e >>= 1;
        if (e > 0) {
          double r = baseRe * baseRe - baseIm * baseIm;
          baseIm = 2 * baseRe * baseIm;
          baseRe = r;
        }
      }
      re[k] = resRe;
      im[k] = resIm;
    }
  }
}
