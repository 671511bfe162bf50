package org.dpvideo.finetune.sample;

import java.util.OptionalLong;
import org.dpvideo.dpsgd.noise.RandomStream;
import org.dpvideo.dpsgd.noise.RandomnessLabel;

/**
 * Where the sampler's random draws come from: one independent {@link RandomStream} (ChaCha20) per sample
 * index. Seeded: sample {@code i} of seed {@code s} is the same whatever the batch size or order, so a
 * reported sample can be regenerated. Secure: every stream is keyed from {@link java.security.SecureRandom}.
 *
 * <p>Sampling from a differentially private model is post-processing, so a seed costs no privacy; the
 * label is still carried into outputs so a reader knows whether the samples can be replayed.
 *
 * <p>Immutable and thread-safe; the streams it hands out are not.
 */
public final class SamplingRandomness {
  private final RandomnessLabel label;
  private final long seed;

  private SamplingRandomness(RandomnessLabel label, long seed) {
    this.label = label;
    this.seed = seed;
  }

  /** Reproducible streams derived from {@code seed}. */
  public static SamplingRandomness seeded(long seed) {
    return new SamplingRandomness(RandomnessLabel.SEEDED, seed);
  }

  /** Unpredictable streams, each keyed from {@code SecureRandom}. */
  public static SamplingRandomness secure() {
    return new SamplingRandomness(RandomnessLabel.SECURE, 0);
  }

  /** Seeded when {@code seed} is present, secure otherwise. */
  public static SamplingRandomness of(OptionalLong seed) {
    return seed.isPresent() ? seeded(seed.getAsLong()) : secure();
  }

  /** SEEDED or SECURE. */
  public RandomnessLabel label() {
    return label;
  }

  /** The seed, when seeded. */
  public OptionalLong seed() {
    return label == RandomnessLabel.SEEDED ? OptionalLong.of(seed) : OptionalLong.empty();
  }

  /**
   * The stream for sample {@code index} ({@code >= 0}): for a seeded source a function of (seed, index)
   * only; for a secure one a fresh key every call.
   */
  public RandomStream forSample(int index) {
    if (index < 0) {
      throw new IllegalArgumentException("sample index must be >= 0, got " + index + ".");
    }
    String purpose = "sampling/sample-" + index;
    return label == RandomnessLabel.SEEDED ? RandomStream.seeded(seed, purpose) : RandomStream.secure(purpose);
  }

  /** For reports, e.g. {@code seeded (seed 7)} or {@code secure}. */
  public String describe() {
    return label == RandomnessLabel.SEEDED ? "seeded (seed " + seed + ", reproducible)" : "secure (SecureRandom)";
  }

  @Override
  public String toString() {
    return describe();
  }
}
