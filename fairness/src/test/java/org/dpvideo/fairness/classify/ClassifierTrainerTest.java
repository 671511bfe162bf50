package org.dpvideo.fairness.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.accounting.GaussianEvent;
import org.dpvideo.dpsgd.accounting.PldAccountant;
import org.dpvideo.dpsgd.accounting.PoissonSampledEvent;
import org.dpvideo.dpsgd.accounting.PrivacyAccountant;
import org.dpvideo.dpsgd.accounting.SelfComposedEvent;
import org.dpvideo.dpsgd.noise.RandomnessLabel;
import org.dpvideo.fairness.Provenance;
import org.dpvideo.fairness.group.GroupKey;
import org.dpvideo.fairness.metrics.GroupEstimate;
import org.dpvideo.fairness.metrics.GroupMetricsOptions;
import org.dpvideo.fairness.misalignment.MisalignmentSnapshot;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassifierTrainerTest {
  @TempDir
  static Path dir;
  static TabularData train;
  static TabularData test;
  static final PrivacyAccountant PLD = new PldAccountant();

  @BeforeAll
  static void data() {
    train = TabularData.load(SyntheticTables.write(dir.resolve("train.csv"), 300, 1), SyntheticTables.schema());
    test = TabularData.loadLike(SyntheticTables.write(dir.resolve("test.csv"), 150, 2), train);
  }

  static ClassifierConfig small(ClassifierMethod m, NoiseSetting noise) {
    return ClassifierConfig.of(m, noise, 1.0, 4, 60, 0.5).withArchitecture(List.of(16), Activation.TANH)
        .withDelta(1e-5).withSeed(3).withNoiseSource(NoiseSource.SEEDED);
  }

  @Test
  void config_stepsAndSamplingRate_followTheSpec() {
    ClassifierConfig c = small(ClassifierMethod.DPSGD, new NoiseSetting.Multiplier(1));
    assertEquals(0.2, c.samplingRate(300), 1e-15);
    assertEquals(20, c.steps(300)); // ceil(4 / 0.2)
    ClassifierConfig np = c.withMethod(ClassifierMethod.NONPRIVATE, new NoiseSetting.None());
    assertEquals(20, np.steps(300)); // 4 epochs x ceil(300 / 60)
    assertEquals(1.0 / Math.pow(300, 1.1), c.withDelta(Double.NaN).delta(300), 1e-18);
    assertEquals(4, c.withBatchSize(1000).steps(300)); // q = 1: one step per epoch
  }

  @Test
  void config_nonPrivateWithNoise_isRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> small(ClassifierMethod.NONPRIVATE, new NoiseSetting.TargetEpsilon(1)));
    assertThrows(IllegalArgumentException.class, () -> small(ClassifierMethod.DPSGD, new NoiseSetting.None()));
  }

  @Test
  void privateRun_epsilonIsTheAccountantsValueOfItsEvent() {
    try (TrainedClassifier tc = ClassifierTrainer.train(train, small(ClassifierMethod.DPSGD,
        new NoiseSetting.Multiplier(1.3)), PLD)) {
      PrivateRunRecord p = tc.privacy().orElseThrow();
      // Independent event: 20 steps of a Gaussian with sigma 1.3 on a Poisson subsample with q = 60/300.
      DpEvent expected = new SelfComposedEvent(new PoissonSampledEvent(0.2, new GaussianEvent(1.3)), 20);
      assertEquals(PLD.epsilon(expected, 1e-5).epsilon(), p.guarantee().epsilon(), 1e-12);
      assertEquals(PLD.epsilon(p.event(), 1e-5).epsilon(), p.guarantee().epsilon(), 1e-12);
      assertEquals(20, p.steps());
      assertEquals(RandomnessLabel.SEEDED, p.randomness());
      assertFalse(p.calibrated());
    }
  }

  @Test
  void globalAdapt_targetEpsilon_coversTheCountJointlyAndMeetsTheTarget() {
    ClassifierConfig c = small(ClassifierMethod.DPSGD_GLOBAL_ADAPT, new NoiseSetting.TargetEpsilon(3.0));
    try (TrainedClassifier tc = ClassifierTrainer.train(train, c, PLD)) {
      PrivateRunRecord p = tc.privacy().orElseThrow();
      double sigma = p.noiseMultiplier();
      // Joint multiplier of gradient (sigma) and count (sigma_b = 10) released from one Poisson sample.
      double joint = 1 / Math.sqrt(1 / (sigma * sigma) + 1 / 100.0);
      assertEquals(joint, p.effectiveNoiseMultiplier(), 1e-12);
      DpEvent expected = new SelfComposedEvent(new PoissonSampledEvent(0.2, new GaussianEvent(joint)), 20);
      double eps = PLD.epsilon(expected, 1e-5).epsilon();
      assertEquals(eps, p.guarantee().epsilon(), 1e-12);
      assertTrue(eps <= 3.0, "calibrated epsilon " + eps + " exceeds the target");
      assertTrue(eps > 2.9, "calibration should land within its tolerance of the target, got " + eps);
      assertTrue(p.calibrated());
      assertTrue(Double.isFinite(p.finalStrictBound()));
      // Calibrating for the gradient alone would under-account the count: the joint event costs more.
      double gradientOnly = PLD.epsilon(new SelfComposedEvent(new PoissonSampledEvent(0.2, new GaussianEvent(sigma)), 20),
          1e-5).epsilon();
      assertTrue(gradientOnly < eps);
    }
  }

  @Test
  void dpsgdF_trainsWithGroupCountsAccountedJointly() {
    ClassifierConfig c = small(ClassifierMethod.DPSGD_F, new NoiseSetting.Multiplier(1.0))
        .withClipping(ClippingSettings.withDefaults(1.0).withCountNoiseMultiplier(8));
    try (TrainedClassifier tc = ClassifierTrainer.train(train, c, PLD)) {
      double joint = 1 / Math.sqrt(1 + 1 / 64.0);
      assertEquals(joint, tc.privacy().orElseThrow().effectiveNoiseMultiplier(), 1e-12);
      ClassifierEvaluation e = ClassifierEvaluation.of(test, tc.predict(test),
          GroupMetricsOptions.of(Provenance.EVAL_PUBLIC).withMinGroupSize(1));
      assertTrue(e.accuracy() > 0.5, "DPSGD-F should learn the separable blobs, got " + e.accuracy());
    }
  }

  @Test
  void evaluation_perGroupFigures_matchAHandCount() {
    try (TrainedClassifier tc = ClassifierTrainer.train(train,
        small(ClassifierMethod.NONPRIVATE, new NoiseSetting.None()), PLD)) {
      Predictions p = tc.predict(test);
      ClassifierEvaluation e = ClassifierEvaluation.of(test, p, GroupMetricsOptions.of(Provenance.EVAL_PUBLIC)
          .withMinGroupSize(1));
      int[] y = test.labels();
      int[] g = test.groupCodes();
      int[] pred = p.predicted();
      double[] loss = p.loss();
      for (int k = 0; k < test.groupLevels().size(); k++) {
        int n = 0;
        int hit = 0;
        double l = 0;
        for (int i = 0; i < y.length; i++) {
          if (g[i] == k) {
            n++;
            hit += y[i] == pred[i] ? 1 : 0;
            l += loss[i];
          }
        }
        GroupKey key = GroupKey.of("site", test.groupLevels().get(k));
        GroupEstimate acc = e.frame().group(ClassifierEvaluation.ACCURACY, key);
        assertEquals(n, acc.count());
        assertEquals((double) hit / n, acc.value(), 1e-12);
        assertEquals(l / n, e.frame().group(ClassifierEvaluation.LOSS, key).value(), 1e-12);
      }
      assertTrue(e.accuracy() > 0.9, "the non-private MLP should separate the blobs, got " + e.accuracy());
      assertTrue(tc.privacy().isEmpty());
    }
  }

  @Test
  void predictions_lossIsTheCrossEntropyOfTheLabel() {
    try (TrainedClassifier tc = ClassifierTrainer.train(train,
        small(ClassifierMethod.NONPRIVATE, new NoiseSetting.None()).withEpochs(1), PLD)) {
      Predictions p = tc.predict(test);
      for (double l : p.loss()) {
        assertTrue(l >= 0 && Double.isFinite(l));
      }
      // The arg-max class has the largest probability, so its loss is below log(3) when it is the label.
      int[] y = test.labels();
      for (int i = 0; i < y.length; i++) {
        if (p.predicted()[i] == y[i]) {
          assertTrue(p.loss()[i] <= Math.log(3) + 1e-9);
        }
      }
    }
  }

  @Test
  void diagnostics_loggedStepsAreInternalAndCoverEveryGroup() {
    ClassifierConfig c = small(ClassifierMethod.DPSGD, new NoiseSetting.Multiplier(1.0)).withDiagnosticsEvery(5);
    try (TrainedClassifier tc = ClassifierTrainer.train(train, c, PLD)) {
      List<MisalignmentSnapshot> s = tc.diagnostics().orElseThrow().snapshots();
      assertEquals(List.of(0L, 5L, 10L, 15L), s.stream().map(MisalignmentSnapshot::step).toList());
      for (MisalignmentSnapshot snap : s) {
        assertEquals(Provenance.TRAIN_UNPROTECTED, snap.provenance());
        assertEquals(2, snap.norms().size());
        assertTrue(Double.isFinite(snap.alignment().group(GroupKey.of("site", "north")).cosFullVsClippedBatch()));
      }
      assertTrue(tc.diagnosticsThreshold().orElseThrow().contains("C = 1.0"));
    }
  }

  @Test
  void diagnostics_doNotChangeTheSeededRun() {
    ClassifierConfig c = small(ClassifierMethod.DPSGD_GLOBAL_ADAPT, new NoiseSetting.Multiplier(1.0));
    int[] without;
    int[] with;
    try (TrainedClassifier a = ClassifierTrainer.train(train, c, PLD)) {
      without = a.predict(test).predicted();
    }
    try (TrainedClassifier b = ClassifierTrainer.train(train, c.withDiagnosticsEvery(3), PLD)) {
      with = b.predict(test).predicted();
    }
    org.junit.jupiter.api.Assertions.assertArrayEquals(without, with);
  }

  @Test
  void predict_tableWithOtherClasses_isRefused() {
    Path other = SyntheticTables.text(dir.resolve("other.csv"), "x1,x2,x3,x4,site,label\n1,2,3,4,north,cat\n"
        + "1,2,3,4,north,dog\n");
    TabularData o = TabularData.load(other, SyntheticTables.schema());
    try (TrainedClassifier tc = ClassifierTrainer.train(train,
        small(ClassifierMethod.NONPRIVATE, new NoiseSetting.None()).withEpochs(1), PLD)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tc.predict(o));
      assertTrue(e.getMessage().contains("loadLike"), e.getMessage());
    }
  }
}
