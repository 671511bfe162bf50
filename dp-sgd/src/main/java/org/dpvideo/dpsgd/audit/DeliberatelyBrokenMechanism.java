package org.dpvideo.dpsgd.audit;

import java.util.Objects;
import org.dpvideo.dpsgd.clipping.Dpsgd;
import org.dpvideo.dpsgd.train.DpConfig;

/**
 * DELIBERATELY BROKEN, NOT PRIVATE: a training run whose mechanism does not match the privacy claim,
 * for testing that the audit detects broken privacy. It exists only here, in the audit package, and is
 * created only with the exact {@link #ACKNOWLEDGEMENT}; its runs are never recorded in a ledger, and
 * every report of such a run says BROKEN.
 *
 * <p>It adds no switch to the engine. The run goes through the real trainer, private step, clipping
 * rule and lattice noise, with a configuration that differs from the claimed one, while the audit
 * compares against the ε of the <em>claimed</em> configuration (the bug being simulated: the accountant
 * is told one thing, the trainer does another):
 * <ul>
 *   <li>{@link BrokenMechanism#NOISE_OFF}: the trainer runs with noise multiplier
 *       {@link #NOISE_OFF_MULTIPLIER}. The lattice mechanism's noise is then
 *       {@code round(s Z)} lattice steps with {@code s < 0.01} for any model under 10^9 parameters, which
 *       is 0 for every draw the sampler can produce (|Z| stays below 40): the released gradients are the
 *       exact clipped sums, rounded onto the lattice.</li>
 *   <li>{@link BrokenMechanism#CLIPPING_OFF}: the trainer clips at {@code C * } {@link #CLIPPING_OFF_FACTOR}
 *       with noise multiplier {@code sigma / }{@link #CLIPPING_OFF_FACTOR}, so the noise standard deviation
 *       is still {@code sigma C} but no unit with a gradient norm below about {@code 10^6 C} is clipped.</li>
 * </ul>
 * The engine's regular API is unchanged: it still refuses a zero noise multiplier, and a regular run's
 * spent event always states the noise it actually used, so its ε is honest (huge, for a tiny sigma).
 *
 * <p>Immutable and thread-safe.
 */
public final class DeliberatelyBrokenMechanism {
  /** The exact text a caller must pass to create a broken mechanism. */
  public static final String ACKNOWLEDGEMENT = "I understand that this run is not differentially private";
  /** The noise multiplier a noise-off run trains with. */
  public static final double NOISE_OFF_MULTIPLIER = 1e-12;
  /** How much a clipping-off run raises the clip norm (and lowers the multiplier): 2^20. */
  public static final double CLIPPING_OFF_FACTOR = 0x1.0p20;

  private final BrokenMechanism kind;

  private DeliberatelyBrokenMechanism(BrokenMechanism kind) {
    this.kind = kind;
  }

  /**
   * A broken mechanism, refused without the acknowledgement.
   *
   * @param kind what is broken
   * @param acknowledgement exactly {@link #ACKNOWLEDGEMENT}
   * @throws IllegalArgumentException if the acknowledgement is missing or different
   */
  public static DeliberatelyBrokenMechanism create(BrokenMechanism kind, String acknowledgement) {
    Objects.requireNonNull(kind, "kind");
    if (!ACKNOWLEDGEMENT.equals(acknowledgement)) {
      throw new IllegalArgumentException("a deliberately broken mechanism (" + kind.cliName() + ") trains WITHOUT"
          + " differential privacy and exists only to test the audit; it is refused without the acknowledgement \""
          + ACKNOWLEDGEMENT + "\"");
    }
    return new DeliberatelyBrokenMechanism(kind);
  }

  /** What is broken. */
  public BrokenMechanism kind() {
    return kind;
  }

  /** The line every report of a broken run starts with. */
  public String warning() {
    return "BROKEN: deliberately broken mechanism '" + kind.cliName() + "' (" + description() + "); this run is NOT"
        + " differentially private, the claimed epsilon is false, and nothing of it is recorded in a ledger";
  }

  /** What the mechanism does instead of the claimed one. */
  public String description() {
    return switch (kind) {
      case NOISE_OFF -> "trained with noise multiplier " + NOISE_OFF_MULTIPLIER + ", which adds no noise, instead of"
          + " the claimed one";
      case CLIPPING_OFF -> "trained with the clip norm raised " + (long) CLIPPING_OFF_FACTOR + " times and the noise"
          + " kept at the claimed sigma * C, so no unit is clipped";
    };
  }

  /**
   * The configuration the trainer actually runs, for a claimed DP-SGD configuration.
   *
   * @throws IllegalArgumentException if the claimed configuration does not use {@link Dpsgd} clipping
   */
  DpConfig actualConfig(DpConfig claimed) {
    if (!(claimed.clipping() instanceof Dpsgd d)) {
      throw new IllegalArgumentException("broken mechanisms are defined for Dpsgd clipping only, got "
          + claimed.clipping().getClass().getSimpleName());
    }
    return switch (kind) {
      case NOISE_OFF -> claimed.withNoiseMultiplier(NOISE_OFF_MULTIPLIER);
      case CLIPPING_OFF -> claimed.withClipping(new Dpsgd(d.clipNorm() * CLIPPING_OFF_FACTOR))
          .withNoiseMultiplier(claimed.noiseMultiplier() / CLIPPING_OFF_FACTOR);
    };
  }

  @Override
  public String toString() {
    return "DeliberatelyBrokenMechanism[" + kind.cliName() + "]";
  }
}
