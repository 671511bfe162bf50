package org.dpvideo.dpsgd.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.dpvideo.dpsgd.accounting.AccountantKind;
import org.dpvideo.dpsgd.clipping.Dpsgd;
import org.dpvideo.dpsgd.noise.RandomnessLabel;
import org.dpvideo.testkit.Tiers;
import org.dpvideo.dpsgd.train.DpConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class CanaryAuditTest {
  private static final AuditDataset DATA = CanaryAudit.defaultDataset(7);

  /** A small white-box audit: 200 Dirac canaries, 100 steps at q = 0.1. */
  private static AuditConfig small(NoiseSetting noise, long seed) {
    return AuditConfig.defaults().withCanaries(200).withSteps(100).withNoise(noise).withSeed(seed);
  }

  /** Noise multiplier 1 (about epsilon 7 at these settings; a fixed sigma skips the slow calibration). */
  private static final NoiseSetting SIGMA_ONE = new NoiseSetting.Multiplier(1.0);
  /** The claim of the broken runs. */
  private static final NoiseSetting EPSILON_ONE = new NoiseSetting.TargetEpsilon(1.0);

  private static AuditReport broken(AuditConfig config, BrokenMechanism kind) {
    return CanaryAudit.runDeliberatelyBroken(DATA, config,
        DeliberatelyBrokenMechanism.create(kind, DeliberatelyBrokenMechanism.ACKNOWLEDGEMENT), null);
  }

  @Test
  void whiteBoxAudit_correctRun_findsSignalButStaysBelowTheAccountedEpsilon() {
    AuditReport r = CanaryAudit.run(DATA, small(SIGMA_ONE, 11), null);
    assertEquals(AuditVerdict.CONSISTENT, r.verdict());
    assertEquals(1.0, r.noiseMultiplier());
    assertTrue(r.accountedEpsilon() > 5 && r.accountedEpsilon() < 9, "accounted: " + r.accountedEpsilon());
    // The audit sees the canaries (otherwise this test could not fail) but cannot refute epsilon.
    assertTrue(r.epsilonLowerBound() > 0.5, "lower bound " + r.epsilonLowerBound());
    assertTrue(r.epsilonLowerBound() < r.accountedEpsilon(), r.toText());
    assertFalse(r.isBroken());
    assertNull(r.warning());
    assertEquals(RandomnessLabel.SEEDED, r.randomness());
    assertEquals(1200, r.units());
    assertTrue(r.canariesIncluded() > 70 && r.canariesIncluded() < 130, "about half: " + r.canariesIncluded());
    assertTrue(r.modelAccuracy().getAsDouble() > 0.9, "the audited model trains: " + r.modelAccuracy());
    Map<String, Object> json = r.toJson();
    assertEquals("consistent", json.get("verdict"));
    assertEquals(false, json.get("broken"));
    assertEquals(r.epsilonLowerBound(), json.get("epsilon_lower_bound"));
    assertEquals(5, json.get("guess_choices"));
    assertTrue(r.toText().contains("NOT a proof of privacy"), r.toText());
  }

  @Test
  void whiteBoxAudit_noiseOff_exceedsTheClaimedEpsilon_andGuessesEveryCanary() {
    AuditReport r = broken(small(EPSILON_ONE, 12), BrokenMechanism.NOISE_OFF);
    assertEquals(AuditVerdict.VIOLATION, r.verdict());
    assertTrue(r.accountedEpsilon() > 0.9 && r.accountedEpsilon() <= 1, "the claim: " + r.accountedEpsilon());
    assertTrue(r.epsilonLowerBound() > 3, "lower bound " + r.epsilonLowerBound() + " vs claimed " + r.accountedEpsilon());
    // Without noise an excluded canary's score is exactly 0 and an included one's is positive (each is
    // sampled at least once in 100 steps with probability 1 - 0.9^100), so guessing the top half "in" and the
    // bottom half "out" errs only by the imbalance between included and excluded canaries.
    AuditBound.ChoiceBound all = r.bound().perChoice().get(r.bound().perChoice().size() - 1);
    assertEquals(200, all.total());
    assertEquals(200 - Math.abs(r.canariesIncluded() - 100), all.correct());
    assertTrue(r.isBroken());
    assertTrue(r.warning().startsWith("BROKEN"), r.warning());
    assertTrue(r.toText().startsWith("*** BROKEN"), r.toText());
    assertEquals(true, r.toJson().get("broken"));
    assertEquals("noise-off", r.toJson().get("broken_mechanism"));
    assertEquals("VIOLATION", r.toJson().get("verdict"));
  }

  @Test
  void whiteBoxAudit_clippingOff_exceedsTheClaimedEpsilon() {
    AuditReport r = broken(small(EPSILON_ONE, 13), BrokenMechanism.CLIPPING_OFF);
    assertEquals(AuditVerdict.VIOLATION, r.verdict());
    assertTrue(r.epsilonLowerBound() > 2, "lower bound " + r.epsilonLowerBound() + " vs claimed " + r.accountedEpsilon());
    assertEquals("clipping-off", r.toJson().get("broken_mechanism"));
  }

  @Test
  void randomDirectionCanaries_seeTheCanaries_andCatchANoiseOffRun() {
    AuditConfig c = small(SIGMA_ONE, 14).withCanaries(100).withGradientCanary(GradientCanary.RANDOM_DIRECTION);
    AuditReport ok = CanaryAudit.run(DATA, c, null);
    assertTrue(ok.epsilonLowerBound() < ok.accountedEpsilon(), ok.toText());
    assertTrue(ok.canaryDesign().startsWith("random-direction"));
    AuditReport bad = broken(c.withNoise(EPSILON_ONE), BrokenMechanism.NOISE_OFF);
    assertEquals(AuditVerdict.VIOLATION, bad.verdict(), bad.toText());
    assertTrue(bad.epsilonLowerBound() > 1.5, bad.toText());
  }

  @Test
  void seededAudits_areReproducible() {
    AuditConfig c = small(new NoiseSetting.Multiplier(2), 15).withCanaries(50).withSteps(20);
    AuditReport a = CanaryAudit.run(DATA, c, null);
    AuditReport b = CanaryAudit.run(DATA, c, null);
    assertEquals(a.bound(), b.bound());
    assertEquals(a.canariesIncluded(), b.canariesIncluded());
  }

  @Test
  void brokenMechanism_isRefusedWithoutTheExactAcknowledgement() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DeliberatelyBrokenMechanism.create(BrokenMechanism.NOISE_OFF, "yes"));
    assertTrue(e.getMessage().contains(DeliberatelyBrokenMechanism.ACKNOWLEDGEMENT), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> DeliberatelyBrokenMechanism.create(BrokenMechanism.CLIPPING_OFF, null));
  }

  @Test
  void brokenMechanisms_changeOnlyWhatTheyBreak_andTheEngineStillRefusesZeroNoise() {
    DpConfig claimed = DpConfig.of(2.0, new Dpsgd(1.5), 0.1, 100, 1e-5);
    DpConfig noiseOff = DeliberatelyBrokenMechanism.create(BrokenMechanism.NOISE_OFF,
        DeliberatelyBrokenMechanism.ACKNOWLEDGEMENT).actualConfig(claimed);
    assertEquals(claimed.withNoiseMultiplier(DeliberatelyBrokenMechanism.NOISE_OFF_MULTIPLIER), noiseOff);
    DpConfig clipOff = DeliberatelyBrokenMechanism.create(BrokenMechanism.CLIPPING_OFF,
        DeliberatelyBrokenMechanism.ACKNOWLEDGEMENT).actualConfig(claimed);
    assertEquals(1.5 * DeliberatelyBrokenMechanism.CLIPPING_OFF_FACTOR, clipOff.clipping().clipNorm());
    // Same noise standard deviation sigma * C as claimed.
    assertEquals(2.0 * 1.5, clipOff.noiseMultiplier() * clipOff.clipping().clipNorm(), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> DpConfig.of(0, new Dpsgd(1), 0.1, 10, 1e-5));
    assertThrows(IllegalArgumentException.class,
        () -> new AuditConfig(AuditedModel.MLP, AuditMode.WHITE_BOX, 100, GradientCanary.DIRAC,
            new NoiseSetting.Multiplier(0), 0.1, 10, 1e-5, 1, 0.5, 8, 0.95, null, AccountantKind.PLD,
            java.util.OptionalLong.empty(), 64));
  }

  @Test
  void auditConfig_rejectsADeltaTheBoundCannotUse() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> AuditConfig.defaults().withCanaries(1000).withDelta(1e-3));
    assertTrue(e.getMessage().contains("1/(2m)"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> AuditConfig.defaults().withCanaries(100).withGuesses(GuessPlan.fixed(60, 60)));
  }

  @Test
  @Tag(Tiers.SLOW)
  void fullSizeWhiteBoxAudit_withRdp_findsSignalButStaysBelowEpsilon() {
    // m = 1000, T = 300, q = 0.1, sigma = 1.3 (about epsilon 8; 2.2 and 2.6 measured with PLD, docs/audit.md).
    AuditReport r = CanaryAudit.run(DATA, AuditConfig.defaults().withNoise(new NoiseSetting.Multiplier(1.3))
        .withAccountant(AccountantKind.RDP).withSeed(21), null);
    assertEquals(AuditVerdict.CONSISTENT, r.verdict(), r.toText());
    assertTrue(r.epsilonLowerBound() > 1, r.toText());
    assertEquals("rdp", r.toJson().get("accountant"));
  }

  @Test
  @Tag(Tiers.SLOW)
  void blackBoxAudit_correctRunStaysBelow_andNoiseOffExceedsAClaimOfOne() {
    AuditConfig c = AuditConfig.defaults(AuditMode.BLACK_BOX).withSeed(22);
    AuditReport ok = CanaryAudit.run(DATA, c, null);
    assertEquals(AuditVerdict.CONSISTENT, ok.verdict(), ok.toText());
    AuditReport bad = broken(c.withNoise(EPSILON_ONE), BrokenMechanism.NOISE_OFF);
    assertEquals(AuditVerdict.VIOLATION, bad.verdict(), bad.toText());
    assertTrue(bad.epsilonLowerBound() > 1.5, bad.toText());
  }
}
