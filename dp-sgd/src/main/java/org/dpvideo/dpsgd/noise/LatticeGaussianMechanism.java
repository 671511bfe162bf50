package org.dpvideo.dpsgd.noise;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;

/**
 * The Gaussian mechanism on a power-of-two lattice: releases
 * {@code gamma * (round(x / gamma) + round(s * Z))} per coordinate, with Z standard normal and
 * {@code s = sigma * effectiveSensitivity / gamma}, computed exactly in double precision.
 *
 * <h2>Why a lattice</h2>
 * Adding floating-point noise to a floating-point value leaks the value through the set of outputs
 * that can occur: Mironov (CCS 2012) recovered inputs of the Laplace mechanism from the gaps of
 * {@code x + ln(U)}, and Jin et al. ("Are We There Yet? Timing and Floating-Point Attacks on
 * Differential Privacy Systems", IEEE S&amp;P 2022) showed the same for Gaussian samplers
 * (Box-Muller, polar and ratio methods in float arithmetic) in deployed DP libraries, plus timing
 * channels in rejection samplers. Here every released value is an exact multiple of the granularity
 * {@code gamma}, the same set of outputs for every input, and each lattice point has the probability
 * of a rounded Gaussian with standard deviation {@code s >= 2^16 sqrt(P)} lattice steps, whose
 * privacy loss differs from the continuous Gaussian's by a relative O(1/s^2) (below 10^-9 per step
 * here) — the approach of Google's differential-privacy library ("Secure Noise Generation", 2020),
 * with a rounded instead of a binomial lattice sampler. Rounding the input onto the lattice moves
 * it by at most {@code gamma/2} per coordinate, so two neighbouring inputs differ by at most
 * {@code C + gamma sqrt(P)} after rounding; the noise is calibrated to that, and to a relative
 * margin {@link #SENSITIVITY_MARGIN} for the rounding error of computing per-unit norms in float.
 * The noise never depends on the data, and the per-coordinate work is the same for every input,
 * so there is no data-dependent timing in the sampler.
 *
 * <p>With several streams, the coordinates are split into contiguous parts assigned to the streams by
 * a fixed rule (so a seeded run gives the same noise on every machine) and filled in parallel.
 *
 * <p>Not thread-safe (it owns its samplers).
 */
public final class LatticeGaussianMechanism {
  /**
   * Relative margin added to the sensitivity: the per-unit norms that decide clipping are computed
   * in float32 (relative error well under 10^-5), so a clipped contribution can exceed C by that
   * much; the noise is calibrated to {@code C (1 + 2^-12)}.
   */
  public static final double SENSITIVITY_MARGIN = 0x1.0p-12;
  /** The lattice is at least this many times finer than {@code C / sqrt(P)}. */
  static final double LATTICE_FINENESS = 0x1.0p-16;

  /** The number of streams {@link #fromRandomness} uses: fixed, so seeded runs do not depend on the machine. */
  public static final int STREAMS = 2;

  private final List<RandomStream> streams;
  private final List<GaussianSampler> samplers = new ArrayList<>();

  /** A mechanism drawing from one stream. */
  public LatticeGaussianMechanism(RandomStream stream) {
    this(List.of(Objects.requireNonNull(stream, "stream")));
  }

  /**
   * A mechanism drawing from several independent streams of one label, used in parallel.
   *
   * @throws IllegalArgumentException if the list is empty or mixes labels
   */
  public LatticeGaussianMechanism(List<RandomStream> streams) {
    if (streams.isEmpty()) {
      throw new IllegalArgumentException("need at least one random stream");
    }
    for (RandomStream s : streams) {
      if (s.label() != streams.get(0).label()) {
        throw new IllegalArgumentException("noise streams must all be secure or all seeded");
      }
      samplers.add(new GaussianSampler(s));
    }
    this.streams = List.copyOf(streams);
  }

  /** {@link #STREAMS} streams named {@code purpose/0}, {@code purpose/1}, ... from a randomness source. */
  public static LatticeGaussianMechanism fromRandomness(Randomness randomness, String purpose) {
    List<RandomStream> s = new ArrayList<>();
    for (int i = 0; i < STREAMS; i++) {
      s.add(randomness.stream(purpose + "/" + i));
    }
    return new LatticeGaussianMechanism(s);
  }

  /** Like {@link #fromRandomness} for a resumed seeded run: each stream after its consumed bytes. */
  public static LatticeGaussianMechanism resumed(Randomness randomness, String purpose, long[] bytesConsumed) {
    List<RandomStream> s = new ArrayList<>();
    for (int i = 0; i < STREAMS; i++) {
      s.add(randomness.resumedStream(purpose + "/" + i, i < bytesConsumed.length ? bytesConsumed[i] : 0));
    }
    return new LatticeGaussianMechanism(s);
  }

  /** Where the randomness comes from. */
  public RandomnessLabel label() {
    return streams.get(0).label();
  }

  /** Bytes consumed from each stream (for resuming seeded runs). */
  public long[] bytesConsumed() {
    return streams.stream().mapToLong(RandomStream::bytesConsumed).toArray();
  }

  /**
   * The calibration of one release.
   *
   * @param granularity gamma, a power of two
   * @param effectiveSensitivity {@code C (1 + margin) + gamma sqrt(P)}
   * @param noiseStd the standard deviation of the added noise, {@code sigma * effectiveSensitivity}
   * @param latticeStd {@code noiseStd / gamma}
   */
  public record Calibration(double granularity, double effectiveSensitivity, double noiseStd, double latticeStd) {}

  /**
   * Calibrates a release of a {@code dimension}-coordinate vector with L2 sensitivity
   * {@code sensitivity} and noise multiplier {@code noiseMultiplier}.
   *
   * @throws IllegalArgumentException if an argument is not finite and positive
   */
  public static Calibration calibrate(double sensitivity, double noiseMultiplier, long dimension) {
    if (!(sensitivity > 0) || Double.isInfinite(sensitivity)) {
      throw new IllegalArgumentException("sensitivity must be finite and > 0, got " + sensitivity);
    }
    if (!(noiseMultiplier > 0) || Double.isInfinite(noiseMultiplier)) {
      throw new IllegalArgumentException("noise multiplier must be finite and > 0, got " + noiseMultiplier
          + "; without noise there is no privacy guarantee");
    }
    if (dimension < 1) {
      throw new IllegalArgumentException("dimension must be >= 1, got " + dimension);
    }
    double root = Math.sqrt((double) dimension);
    int exponent = Math.getExponent(LATTICE_FINENESS * sensitivity / root);
    double gamma = Math.scalb(1.0, exponent);
    double effective = sensitivity * (1 + SENSITIVITY_MARGIN) + gamma * root;
    double noiseStd = noiseMultiplier * effective;
    return new Calibration(gamma, effective, noiseStd, noiseStd / gamma);
  }

  /**
   * Adds calibrated noise in place to the vector made of {@code parts} (float buffers, all
   * coordinates together form the released vector), then divides every coordinate by
   * {@code divisor} (post-processing, for example the expected batch size).
   *
   * @param parts the vector's coordinates; each buffer from its position to its limit
   * @param calibration from {@link #calibrate(double, double, long)} with the vector's dimension
   * @param divisor finite and &gt; 0
   * @throws IllegalArgumentException if a coordinate is not finite (its release would be undefined)
   */
  public void addNoise(List<FloatBuffer> parts, Calibration calibration, double divisor) {
    if (!(divisor > 0) || Double.isInfinite(divisor)) {
      throw new IllegalArgumentException("divisor must be finite and > 0, got " + divisor);
    }
    // Assign each part to the stream with the fewest coordinates so far (deterministic).
    List<List<FloatBuffer>> assigned = new ArrayList<>();
    long[] load = new long[samplers.size()];
    for (int i = 0; i < samplers.size(); i++) {
      assigned.add(new ArrayList<>());
    }
    for (FloatBuffer part : parts) {
      int best = 0;
      for (int i = 1; i < load.length; i++) {
        if (load[i] < load[best]) {
          best = i;
        }
      }
      assigned.get(best).add(part);
      load[best] += part.limit() - part.position();
    }
    if (samplers.size() == 1 || Runtime.getRuntime().availableProcessors() < 2) {
      for (int i = 0; i < samplers.size(); i++) {
        fill(samplers.get(i), assigned.get(i), calibration, divisor);
      }
      discardSpares();
      return;
    }
    List<Future<?>> others = new ArrayList<>();
    for (int i = 1; i < samplers.size(); i++) {
      GaussianSampler sampler = samplers.get(i);
      List<FloatBuffer> mine = assigned.get(i);
      others.add(ForkJoinPool.commonPool().submit(() -> fill(sampler, mine, calibration, divisor)));
    }
    RuntimeException failure = null;
    try {
      fill(samplers.get(0), assigned.get(0), calibration, divisor);
    } catch (RuntimeException e) {
      failure = e;
    }
    for (Future<?> f : others) {
      try {
        f.get();
      } catch (java.util.concurrent.ExecutionException e) {
        if (failure == null) {
          failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while adding noise", e);
      }
    }
    discardSpares();
    if (failure != null) {
      throw failure;
    }
  }

  /** Ends a release with no Box-Muller draw pending, so stream positions are the whole state (seeded resume). */
  private void discardSpares() {
    for (GaussianSampler s : samplers) {
      s.discardSpare();
    }
  }

  private static void fill(GaussianSampler sampler, List<FloatBuffer> parts, Calibration calibration, double divisor) {
    double gamma = calibration.granularity();
    double s = calibration.latticeStd();
    double scale = gamma / divisor;
    for (FloatBuffer part : parts) {
      int start = part.position();
      int end = part.limit();
      for (int i = start; i < end; i++) {
        float x = part.get(i);
        if (!Float.isFinite(x)) {
          throw new IllegalArgumentException("cannot add noise to a non-finite coordinate (" + x + ")");
        }
        double lattice = Math.rint(x / gamma) + Math.rint(s * sampler.next());
        part.put(i, (float) (lattice * scale));
      }
    }
  }

  /**
   * Releases one noisy scalar, for example a count: {@code value} rounded onto the lattice plus
   * noise of standard deviation {@code noiseMultiplier * sensitivity (1 + margin)}, exactly on the
   * lattice.
   */
  public double noisyScalar(double value, double sensitivity, double noiseMultiplier) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("cannot release a non-finite value (" + value + ")");
    }
    Calibration c = calibrate(sensitivity, noiseMultiplier, 1);
    double lattice = Math.rint(value / c.granularity()) + Math.rint(c.latticeStd() * samplers.get(0).next());
    samplers.get(0).discardSpare();
    return lattice * c.granularity();
  }
}
