package org.dpvideo.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.dpvideo.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs every example with tiny settings: each must spend the epsilon it planned and evaluate both models. */
class ExamplesTest {
  @TempDir
  static Path work;

  private static void check(PrivateFineTuneExample.Result r, PrivateFineTuneExample.Settings s) {
    assertEquals(s.epsilon(), r.epsilon(), 0.05 * s.epsilon(), "sigma is calibrated for the target epsilon");
    assertEquals(1.0 / Math.pow(r.subjects(), 1.1), r.delta(), 1e-15);
    assertTrue(Double.isFinite(r.baseNll()) && r.baseNll() > 0, "base NLL " + r.baseNll());
    assertTrue(Double.isFinite(r.fineTunedNll()) && r.fineTunedNll() > 0, "fine-tuned NLL " + r.fineTunedNll());
    assertTrue(r.ledgerRun().length() > 0);
    var e = r.evaluation();
    assertTrue(e.samples() >= 2 && !e.sampleFiles().isEmpty(), "samples per group: " + e.sampleFiles());
    assertTrue(Double.isFinite(e.overall("seq_rep_4").baseline()), "collapse next to the held-out clips");
    assertEquals(r.fineTunedNll(), e.overall("nll_per_token").value(), 1e-3, "the evaluation's held-out NLL");
  }

  @Test
  void stickerAnimation_tinySettings_spendsItsPlanAndEvaluatesBothModels() throws Exception {
    PrivateFineTuneExample.Settings s = PrivateFineTuneExample.Settings.tiny();
    check(StickerExamples.animation(work, s, line -> { }), s);
  }

  @Test
  void personalization_tinySettings_spendsItsPlanAndEvaluatesBothModels() throws Exception {
    PrivateFineTuneExample.Settings s = PrivateFineTuneExample.Settings.tiny();
    check(StickerExamples.personalization(work, s, line -> { }), s);
  }

  @Test
  void domainFixedCamera_tinySettings_spendsItsPlanAndEvaluatesBothModels() throws Exception {
    Path videos = Fixtures.require("video/vtest.avi", ".ci/fixtures.d/20-video-samples.sh").getParent();
    PrivateFineTuneExample.Settings s = PrivateFineTuneExample.Settings.tiny();
    check(DomainExample.runExample(work.resolve("domain"), videos, 12, s, line -> { }), s);
  }
}
