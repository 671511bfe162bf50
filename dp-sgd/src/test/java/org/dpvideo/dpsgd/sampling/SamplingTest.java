package org.dpvideo.dpsgd.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.dpvideo.dpsgd.noise.RandomStream;
import org.junit.jupiter.api.Test;

class SamplingTest {

  @Test
  void poisson_batchSize_hasMeanQnAndVarianceQ1minusQn() {
    PoissonSampler s = new PoissonSampler(RandomStream.seeded(1, "s"));
    int n = 1000;
    double q = 0.05;
    int reps = 400;
    double sum = 0;
    double sumSq = 0;
    int empty = 0;
    for (int r = 0; r < reps; r++) {
      int[] b = s.sample(n, q);
      for (int i = 1; i < b.length; i++) {
        assertTrue(b[i] > b[i - 1]);
      }
      sum += b.length;
      sumSq += (double) b.length * b.length;
    }
    double mean = sum / reps;
    double var = sumSq / reps - mean * mean;
    assertEquals(50, mean, 5 * Math.sqrt(47.5 / reps));
    assertEquals(47.5, var, 15);
    for (int r = 0; r < 200; r++) {
      if (s.sample(10, 0.05).length == 0) {
        empty++;
      }
    }
    assertTrue(empty > 80, "empty batches happen: " + empty);
  }

  @Test
  void plan_neverSplitsAUnit_andCapsItsExamples() {
    int[] subject = {0, 0, 0, 1, 2, 2, 3, 3, 3, 3, 3, 4};
    PrivacyUnits units = PrivacyUnits.bySubject(subject);
    assertEquals(5, units.count());
    MicroBatchPlan plan = MicroBatchPlan.of(new int[] {0, 1, 2, 3, 4}, units, 4, 3, RandomStream.seeded(2, "p"));
    Set<Integer> seenUnits = new HashSet<>();
    for (MicroBatchPlan.Slice s : plan.microBatches()) {
      assertTrue(s.exampleIds().length <= 4);
      for (int i = 0; i < s.exampleIds().length; i++) {
        int unit = s.unitIds()[s.unitOfExample()[i]];
        assertEquals(unit, subjectUnit(subject, s.exampleIds()[i]), "example belongs to its unit");
      }
      for (int u : s.unitIds()) {
        assertTrue(seenUnits.add(u), "unit " + u + " appears in one micro-batch only");
      }
    }
    assertEquals(5, plan.unitCount());
    long examplesOfUnit3 = plan.microBatches().stream().flatMapToInt(s -> java.util.Arrays.stream(s.exampleIds()))
        .filter(e -> e >= 6 && e <= 10).count();
    assertEquals(3, examplesOfUnit3, "unit 3 capped at 3 of its 5 examples");
  }

  private static int subjectUnit(int[] subject, int example) {
    return subject[example];
  }

  @Test
  void plan_microBatchSmallerThanAUnit_isRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> MicroBatchPlan.of(new int[] {0}, PrivacyUnits.perExample(3), 2, 3, RandomStream.seeded(1, "p")));
  }

  @Test
  void units_withExampleGroups_rejectSubjectsMixingGroups() {
    PrivacyUnits u = PrivacyUnits.bySubject(new int[] {7, 7, 8});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> u.withExampleGroups(new int[] {0, 1, 1}));
    assertTrue(e.getMessage().contains("unit 0"), e.getMessage());
    assertArrayEquals(new int[] {0, 1}, new int[] {u.withExampleGroups(new int[] {0, 0, 1}).group(0),
        u.withExampleGroups(new int[] {0, 0, 1}).group(1)});
  }
}
