package org.dpvideo.fairness.misalignment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.dpvideo.fairness.group.GroupAssignment;
import org.dpvideo.fairness.group.GroupKey;
import org.junit.jupiter.api.Test;

class GroupMeanGradientsTest {
  static final GroupKey G0 = GoldenVectorsTest.G0;
  static final GroupKey G1 = GoldenVectorsTest.G1;

  @Test
  void chunks_accumulate_toFullDataGroupMeans() {
    double[][] rows = GoldenVectorsTest.ROWS;
    GroupMeanGradients acc = new GroupMeanGradients(List.of(G0, G1));
    // Chunks of 4 and 2 units with the golden assignment [0,0,1,1 | 0,1].
    acc.add(PerUnitGradients.ofRows(new double[][] {rows[0], rows[1], rows[2], rows[3]}),
        new GroupAssignment(List.of(G0, G1), new int[] {0, 0, 1, 1}));
    acc.add(PerUnitGradients.ofRows(new double[][] {rows[4], rows[5]}),
        new GroupAssignment(List.of(G0, G1), new int[] {0, 1}));
    Map<GroupKey, LayeredVector> m = acc.means();
    assertArrayEquals(new double[] {0.4, 2.0 / 3, 0.4 / 3}, m.get(G0).toDoubleArray(), 1e-12);
    assertArrayEquals(new double[] {2.2, 1.0, 12.8 / 3}, m.get(G1).toDoubleArray(), 1e-12);
    assertEquals(3, acc.count(G1));
  }

  @Test
  void groupWithoutUnits_isLeftOutNotZero() {
    GroupKey g2 = GroupKey.of("group", "2");
    GroupMeanGradients acc = new GroupMeanGradients(List.of(G0, G1, g2));
    acc.add(PerUnitGradients.ofRows(new double[][] {{1, 2}, {3, 4}}),
        new GroupAssignment(List.of(G0, G1, g2), new int[] {0, 1}));
    Map<GroupKey, LayeredVector> m = acc.means();
    assertFalse(m.containsKey(g2));
    assertTrue(m.containsKey(G0));
  }

  @Test
  void noChunk_orMismatchedGroups_isRejected() {
    GroupMeanGradients acc = new GroupMeanGradients(List.of(G0, G1));
    assertThrows(IllegalStateException.class, acc::means);
    assertThrows(IllegalArgumentException.class, () -> acc.add(PerUnitGradients.ofRows(new double[][] {{1}}),
        new GroupAssignment(List.of(G1, G0), new int[] {0})));
  }
}
