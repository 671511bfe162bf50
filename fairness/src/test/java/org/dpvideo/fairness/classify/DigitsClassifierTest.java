package org.dpvideo.fairness.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.dpvideo.dpsgd.accounting.PldAccountant;
import org.dpvideo.fairness.Provenance;
import org.dpvideo.fairness.metrics.GroupEstimate;
import org.dpvideo.fairness.metrics.GroupMetricsOptions;
import org.dpvideo.testkit.Fixtures;
import org.junit.jupiter.api.Test;

/** The classifier on real data: scikit-learn's digits (fixture {@code .ci/fixtures.d/40-digits.sh}). */
class DigitsClassifierTest {
  static final String SCRIPT = ".ci/fixtures.d/40-digits.sh";

  @Test
  void nonPrivate_digits_reachesHighTestAccuracyInEveryClass() {
    Path dir = Fixtures.require("digits/train-full.csv", SCRIPT).getParent();
    TabularSchema schema = TabularSchema.of("label", "label").withFeatureRange(new FeatureRange(0, 16));
    TabularData train = TabularData.load(dir.resolve("train-full.csv"), schema);
    TabularData test = TabularData.loadLike(dir.resolve("test.csv"), train);
    assertEquals(1347, train.size());
    assertEquals(450, test.size());
    ClassifierConfig c = ClassifierConfig.of(ClassifierMethod.NONPRIVATE, new NoiseSetting.None(), 1.0, 60, 256, 0.5)
        .withSeed(1);
    try (TrainedClassifier tc = ClassifierTrainer.train(train, c, new PldAccountant())) {
      ClassifierEvaluation e = ClassifierEvaluation.of(test, tc.predict(test),
          GroupMetricsOptions.of(Provenance.EVAL_PUBLIC));
      assertTrue(e.accuracy() >= 0.94, "digits test accuracy " + e.accuracy());
      for (GroupEstimate g : e.accuracyByGroup()) {
        assertTrue(g.value() >= 0.8, "class " + g.group() + " accuracy " + g.value());
      }
    }
  }

  @Test
  void fixture_rareClassKeptAtTenPercent() {
    Path dir = Fixtures.require("digits/train.csv", SCRIPT).getParent();
    TabularSchema schema = TabularSchema.of("label", "label");
    TabularData full = TabularData.load(dir.resolve("train-full.csv"), schema);
    TabularData rare = TabularData.load(dir.resolve("train.csv"), schema);
    int eightFull = full.groupCounts()[8];
    int eightRare = rare.groupCounts()[8];
    assertEquals(Math.round(0.1 * eightFull), eightRare);
    for (int k = 0; k < 10; k++) {
      if (k != 8) {
        assertEquals(full.groupCounts()[k], rare.groupCounts()[k]);
      }
    }
  }
}
