package org.dpvideo.fairness.release;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.dpvideo.dpsgd.accounting.ComposedEvent;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.accounting.GaussianEvent;
import org.dpvideo.dpsgd.noise.RandomStream;
import org.dpvideo.dpsgd.noise.RandomnessLabel;
import org.dpvideo.fairness.Provenance;
import org.dpvideo.fairness.group.GroupAssignment;
import org.dpvideo.fairness.group.GroupKey;
import org.dpvideo.fairness.metrics.GroupEstimate;
import org.dpvideo.fairness.metrics.GroupStatus;
import org.dpvideo.fairness.misalignment.PerUnitGradients;
import org.junit.jupiter.api.Test;

class PrivateGroupStatisticsTest {
  static final GroupKey A = GroupKey.of("g", "a");
  static final GroupKey B = GroupKey.of("g", "b");

  /**
   * A test double that returns the same draw every time, to check the noise scaling. Released values
   * sit on the engine's lattice (granularity 2^-13 or finer here) and the noise is calibrated to the
   * effective sensitivity Δ(1 + 2^-12) + γ, so checks allow 2e-3.
   */
  static GaussianNoiseSource constant(double draw) {
    return new GaussianNoiseSource() {
      @Override
      public double nextStandardGaussian() {
        return draw;
      }

      @Override
      public RandomnessLabel label() {
        return RandomnessLabel.SEEDED;
      }
    };
  }

  static PrivateGroupStatistics releaser(GaussianNoiseSource noise, ReleaseAccount account, double minCount) {
    return new PrivateGroupStatistics(noise, account, Provenance.TRAIN_DP,
        ReleaseOptions.defaults().withMinNoisyCount(minCount));
  }

  static GroupAssignment groups(int na, int nb) {
    String[] g = new String[na + nb];
    for (int i = 0; i < g.length; i++) {
      g[i] = i < na ? "a" : "b";
    }
    // Levels of a DP release are declared (public), never read off the private data.
    return org.dpvideo.fairness.group.SensitiveFeatures.builder().column("g", g, List.of("a", "b")).build()
        .assignment();
  }

  @Test
  void jointNoiseMultiplier_equalParts_isSigmaOverRootTwo() {
    assertEquals(Math.sqrt(2), PrivateGroupStatistics.jointNoiseMultiplier(2, 2), 1e-12);
    assertEquals(3.0, PrivateGroupStatistics.jointNoiseMultiplier(3), 1e-12);
    // (1/1 + 1/4)^(-1/2)
    assertEquals(1 / Math.sqrt(1.25), PrivateGroupStatistics.jointNoiseMultiplier(1, 2), 1e-12);
  }

  @Test
  void clampedMeans_noiseScaledBySensitivity_andJointEventRecorded() {
    ReleaseAccount account = new ReleaseAccount("train");
    // Every draw is +1: each sum gets σ_s·Δ = 2·10 = 20, each count σ_c = 5.
    PrivateGroupStatistics r = releaser(constant(1), account, 1);
    double[] v = {1, 2, 3, -50, 40};
    NoisyGroupStatistic s = r.clampedMeans("nll", v, groups(3, 2), -10, 10, 2, 5);
    // Group a: 1 + 2 + 3 = 6 -> 26 / 8; group b: clamp(-50) + clamp(40) = -10 + 10 = 0 -> 20 / 7.
    assertEquals(26.0 / 8, s.group(A).value(), 2e-3);
    assertEquals(8, s.group(A).count());
    assertEquals(20.0 / 7, s.group(B).value(), 2e-3);
    assertEquals(PrivateGroupStatistics.jointNoiseMultiplier(2, 5), s.noiseMultiplier(), 1e-12);
    assertEquals(List.of(new ReleaseAccount.AccountedRelease("nll", new GaussianEvent(s.noiseMultiplier()))),
        account.releases());
    assertEquals(Provenance.TRAIN_DP, s.provenance());
    assertEquals(RandomnessLabel.SEEDED, s.noiseSource());
  }

  @Test
  void clampedMeans_interval_addsNoiseAndSamplingVariance() {
    PrivateGroupStatistics r = releaser(constant(0), new ReleaseAccount("train"), 1);
    double[] v = new double[100];
    java.util.Arrays.fill(v, 0.5);
    NoisyGroupStatistic s = r.clampedMeans("x", v, groups(100, 0), 0, 1, 4, 3);
    GroupEstimate a = s.group(A);
    assertEquals(0.5, a.value(), 1e-12);
    // var = (1/4)/100 + (4^2·1^2 + 0.25·3^2) / 100^2
    double sd = Math.sqrt(0.25 / 100 + (16 + 0.25 * 9) / 10000.0);
    assertEquals(0.5 - 1.959964 * sd, a.interval().lower(), 1e-4);
    assertEquals(0.5 + 1.959964 * sd, a.interval().upper(), 1e-4);
  }

  @Test
  void suppression_decidedByNoisyCountNotTrueCount() {
    PrivateGroupStatistics down = releaser(constant(-6), new ReleaseAccount("train"), 100);
    boolean[] ind = new boolean[150];
    // True count 150, noisy count 150 - 2·6·10 = 30 (two histogram cells each -60): suppressed.
    NoisyGroupStatistic s = down.rates("clipped", ind, groups(150, 0), 10);
    assertEquals(GroupStatus.SUPPRESSED_SMALL, s.group(A).status());
    assertTrue(Double.isNaN(s.group(A).value()));
    // Group b has no member: noisy count -120 rounds to 0 and is suppressed, never reported as EMPTY.
    assertEquals(GroupStatus.SUPPRESSED_SMALL, s.group(B).status());
    assertEquals(0, s.group(B).count());
    PrivateGroupStatistics up = releaser(constant(1), new ReleaseAccount("train"), 100);
    NoisyGroupStatistic t = up.clampedMeans("m", new double[95], groups(95, 0), 0, 1, 1, 10);
    assertEquals(GroupStatus.REPORTED, t.group(A).status());
    assertEquals(105, t.group(A).count());
  }

  @Test
  void rates_histogramCells_eachGetNoise() {
    PrivateGroupStatistics r = releaser(constant(1), new ReleaseAccount("train"), 1);
    boolean[] ind = {true, false, false, false, true};
    NoisyGroupStatistic s = r.rates("clipped", ind, groups(4, 1), 0.5);
    // a: hits 1 + 0.5, misses 3 + 0.5 -> 1.5 / 5; b: hits 1.5, misses 0.5 -> 0.75
    assertEquals(0.3, s.group(A).value(), 2e-3);
    assertEquals(0.75, s.group(B).value(), 2e-3);
    assertEquals(new GaussianEvent(0.5), s.event());
  }

  @Test
  void rates_intervalCoverage_includesInjectedNoise() {
    // 400 units with rate 0.3, σ = 20: noise moves the rate by sd ~0.038, sampling sd is 0.023.
    // An interval with sampling variance only would cover the true rate ~76% of the time.
    GaussianNoiseSource noise = GaussianNoiseSource.of(RandomStream.seeded(42, "test"));
    boolean[] ind = new boolean[400];
    for (int i = 0; i < 120; i++) {
      ind[i] = true;
    }
    GroupAssignment g = groups(400, 0);
    int covered = 0;
    int trials = 1000;
    for (int t = 0; t < trials; t++) {
      PrivateGroupStatistics r = releaser(noise, new ReleaseAccount("train"), 1);
      if (r.rates("clipped", ind, g, 20).group(A).interval().contains(0.3)) {
        covered++;
      }
    }
    assertTrue(covered >= 930, "coverage " + covered + "/" + trials);
  }

  @Test
  void counts_seededNoise_hasRequestedStandardDeviation() {
    GaussianNoiseSource noise = GaussianNoiseSource.of(RandomStream.seeded(7, "test"));
    ReleaseAccount account = new ReleaseAccount("train");
    PrivateGroupStatistics r = releaser(noise, account, 1);
    GroupAssignment g = groups(50, 30);
    double ss = 0;
    int trials = 4000;
    for (int t = 0; t < trials; t++) {
      ss += Math.pow(r.counts("n", g, 3).group(A).value() - 50, 2);
    }
    assertEquals(3.0, Math.sqrt(ss / trials), 0.1);
    assertEquals(trials, account.releases().size());
  }

  @Test
  void clippedGradientSums_clipInsideMechanism_boundsEachUnit() {
    ReleaseAccount account = new ReleaseAccount("train");
    PrivateGroupStatistics r = releaser(constant(0), account, 1);
    double[][] rows = {{3, 4}, {0.3, 0.4}, {60, 80}};
    NoisyGroupGradients s = r.clippedGradientSums("g_D", PerUnitGradients.ofRows(rows), groups(2, 1), 1, 2, 2);
    // a: (3,4) clipped to (0.6, 0.8) plus (0.3, 0.4) -> mean (0.45, 0.6); b: (60, 80) clipped to (0.6, 0.8).
    assertArrayEquals(new double[] {0.45, 0.6}, s.meanGradient(A).toDoubleArray(), 1e-5);
    assertArrayEquals(new double[] {0.6, 0.8}, s.meanGradient(B).toDoubleArray(), 1e-5);
    assertEquals(Math.sqrt(2), ((GaussianEvent) s.event()).noiseMultiplier(), 1e-12);
    assertEquals(1.0, s.cosine(B, org.dpvideo.fairness.misalignment.LayeredVector.of(new double[] {3, 4})), 1e-9);
  }

  @Test
  void release_valuesAreLatticePoints_whateverTheInput() {
    PrivateGroupStatistics r = releaser(GaussianNoiseSource.of(RandomStream.seeded(3, "test")),
        new ReleaseAccount("train"), 1);
    double gamma = org.dpvideo.dpsgd.noise.LatticeGaussianMechanism.calibrate(1, 2, 1).granularity();
    NoisyGroupStatistic c = r.counts("n", groups(3, 1), 2);
    for (GroupEstimate e : c.groups()) {
      double k = e.value() / gamma;
      assertEquals(Math.rint(k), k, 0, "count " + e.value() + " is not a multiple of " + gamma);
    }
  }

  @Test
  void account_composeWith_appendsReleasesToTrainingEvent() {
    ReleaseAccount account = new ReleaseAccount("train");
    DpEvent training = DpEvent.dpSgd(0.01, 1.1, 100);
    assertEquals(training, account.composeWith(training));
    releaser(constant(0), account, 1).counts("n", groups(2, 2), 10);
    DpEvent total = account.composeWith(training);
    assertInstanceOf(ComposedEvent.class, total);
    assertEquals(List.of(training, new GaussianEvent(10)), ((ComposedEvent) total).events());
  }

  @Test
  void construction_publicProvenanceOrZeroNoise_isRejected() {
    assertThrows(IllegalArgumentException.class, () -> new PrivateGroupStatistics(constant(0),
        new ReleaseAccount("x"), Provenance.EVAL_PUBLIC, ReleaseOptions.defaults()));
    PrivateGroupStatistics r = releaser(constant(0), new ReleaseAccount("x"), 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> r.counts("n", groups(1, 1), 0));
    assertTrue(e.getMessage().contains("not differentially private"));
    assertThrows(IllegalArgumentException.class,
        () -> r.clampedMeans("m", new double[] {Double.NaN}, groups(1, 0), 0, 1, 1, 1));
  }
}
