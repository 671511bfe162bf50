package org.dpvideo.fairness.release;

import java.security.SecureRandom;

/**
 * Gaussian draws from {@link SecureRandom} (the JDK's polar method over a strong generator). Interim
 * secure source of the fairness module until the DP engine's keyed stream generator is wired in; the
 * floating-point sampling caveats of Mironov (CCS 2012) apply to both.
 *
 * <p>Thread-safe (SecureRandom is).
 */
public final class SecureGaussianNoise implements GaussianNoiseSource {
  private final SecureRandom random;

  /** A source seeded by the operating system. */
  public SecureGaussianNoise() {
    this.random = new SecureRandom();
  }

  @Override
  public double nextStandardGaussian() {
    return random.nextGaussian();
  }

  @Override
  public NoiseSourceKind kind() {
    return NoiseSourceKind.SECURE;
  }

  @Override
  public String description() {
    return "java.security.SecureRandom (" + random.getAlgorithm() + "), polar method";
  }
}
