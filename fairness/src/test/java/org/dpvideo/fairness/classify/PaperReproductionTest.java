package org.dpvideo.fairness.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dpvideo.testkit.Fixtures;
import org.dpvideo.testkit.Tiers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PaperReproductionTest {
  @TempDir
  Path dir;

  static void checkRows(List<PaperReproduction.Row> rows, PaperReproduction.Setup setup) {
    int perSeed = 2 + 2 * setup.methods().size();
    assertEquals(perSeed * setup.seeds().size(), rows.size());
    for (long seed : setup.seeds()) {
      List<PaperReproduction.Row> s = rows.stream().filter(r -> r.seed() == seed).toList();
      PaperReproduction.Row ref = s.get(0);
      assertEquals("non-private (tuned)", ref.method());
      assertTrue(setup.learningRates().contains(ref.learningRate()));
      for (PaperReproduction.Row r : s.subList(1, s.size())) {
        // Privacy cost against the same seed's tuned reference, per group.
        assertEquals(ref.accuracyRare() - r.accuracyRare(), r.costRare(), 1e-12);
        assertEquals(ref.accuracyCommon() - r.accuracyCommon(), r.costCommon(), 1e-12);
        assertEquals(Math.abs(r.costRare() - r.costCommon()), r.gap(), 1e-12);
        if (r.protocol().equals("reference")) {
          continue;
        }
        assertTrue(r.epsilonRun() <= setup.epsilon() && r.epsilonRun() > 0.98 * setup.epsilon(),
            "each private run is calibrated to the target: " + r);
        if (r.protocol().equals("tuned")) {
          assertTrue(setup.learningRates().contains(r.learningRate()));
          assertTrue(r.epsilonTuning() > r.epsilonRun(), "the tuning composes every candidate: " + r);
        } else {
          assertTrue(Double.isNaN(r.epsilonTuning()));
        }
      }
    }
  }

  @Test
  void reproduction_smallSynthetic_rowsCostsAndEpsilonsAreConsistent() throws Exception {
    Path train = SyntheticTables.write(dir.resolve("train.csv"), 240, 5);
    Path test = SyntheticTables.write(dir.resolve("test.csv"), 120, 6);
    List<PaperReproduction.MethodSetting> methods = List.of(PaperReproduction.paperMethods().get(0),
        PaperReproduction.paperMethods().get(3));
    PaperReproduction.Setup setup = new PaperReproduction.Setup(train, test, SyntheticTables.schema(), "south",
        "north", 2.0, 1e-5, 2, 60, List.of(8), Activation.TANH, List.of(1L), List.of(0.1, 0.5), 0.2,
        NoiseSource.SEEDED, methods, 0.01);
    List<String> progress = new ArrayList<>();
    List<PaperReproduction.Row> rows = new PaperReproduction(setup).run(progress::add);
    checkRows(rows, setup);
    assertEquals(rows.size(), progress.size());
    String md = PaperReproduction.markdown(rows, setup);
    assertTrue(md.contains("| paper | DPSGD-Global-Adapt | 0.1 |"), md);
    assertTrue(md.contains("| tuned | DPSGD |"), md);
    Path csv = Files.writeString(dir.resolve("rows.csv"), PaperReproduction.toCsv(rows));
    assertEquals(rows, PaperReproduction.fromCsv(csv));
  }

  /** The multi-seed digits reproduction of docs/fairness.md §7 (about an hour on 2 busy cores). */
  @Test
  @Tag(Tiers.SLOW)
  void reproduction_digits_fiveSeeds() throws Exception {
    Path d = Fixtures.require("digits/train.csv", ".ci/fixtures.d/40-digits.sh").getParent();
    PaperReproduction.Setup setup = new PaperReproduction.Setup(d.resolve("train.csv"), d.resolve("test.csv"),
        TabularSchema.of("label", "label").withFeatureRange(new FeatureRange(0, 16)), "8", "2", 5.9, 1e-5, 60, 256,
        List.of(256, 256), Activation.TANH, List.of(1L, 2L, 3L, 4L, 5L), List.of(0.03, 0.1, 0.3, 1.0), 0.2,
        NoiseSource.SEEDED, PaperReproduction.paperMethods(), 0.01);
    List<PaperReproduction.Row> rows = new PaperReproduction(setup).run(System.out::println);
    checkRows(rows, setup);
    for (PaperReproduction.Row r : rows) {
      if (r.method().equals("non-private (tuned)")) {
        assertTrue(r.accuracy() > 0.88, "the tuned non-private reference should be accurate: " + r);
      }
    }
    Path out = Path.of("target", "reproduction.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, PaperReproduction.markdown(rows, setup));
  }
}
