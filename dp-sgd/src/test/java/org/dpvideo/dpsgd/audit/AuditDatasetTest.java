package org.dpvideo.dpsgd.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditDatasetTest {
  @TempDir
  Path dir;

  private Path write(String text) throws IOException {
    Path p = dir.resolve("data.csv");
    Files.writeString(p, text);
    return p;
  }

  @Test
  void csv_withStringLabels_isStandardisedAndMapped() throws IOException {
    AuditDataset d = AuditDataset.readCsv(write("a,kind,b\n1,cat,10\n3,dog,10\n5,cat,10\n"), "kind");
    assertEquals(3, d.rows());
    assertEquals(2, d.featureCount());
    assertEquals(2, d.classCount());
    assertArrayEquals(new int[] {0, 1, 0}, d.labels());
    float[] f = d.features();
    // Column a: mean 3, sd sqrt(8/3); column b constant -> 0.
    assertEquals(-2 / Math.sqrt(8.0 / 3), f[0], 1e-6);
    assertEquals(0, f[1]);
    assertEquals(2 / Math.sqrt(8.0 / 3), f[4], 1e-6);
    assertTrue(!d.hasHeldOut());
  }

  @Test
  void csv_integerLabels_areOrderedNumerically() throws IOException {
    AuditDataset d = AuditDataset.readCsv(write("x,label\n0.5,10\n0.1,2\n0.2,2\n"), "label");
    assertArrayEquals(new int[] {1, 0, 0}, d.labels());
  }

  @Test
  void csv_listsEveryBadRow() throws IOException {
    Path p = write("x,y,label\n1,2,a\n1,b,a\n1,2\n,2,c\n1,2,\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AuditDataset.readCsv(p, "label"));
    String msg = e.getMessage();
    assertTrue(msg.contains("4 bad row(s)"), msg);
    assertTrue(msg.contains("line 3: column 'y'"), msg);
    assertTrue(msg.contains("line 4: 2 fields, expected 3"), msg);
    assertTrue(msg.contains("line 5: column 'x'"), msg);
    assertTrue(msg.contains("line 6: empty label"), msg);
  }

  @Test
  void csv_withoutTheLabelColumnOrWithOneClass_isRejected() throws IOException {
    Path p = write("x,y\n1,2\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AuditDataset.readCsv(p, "label"));
    assertTrue(e.getMessage().contains("--label-column"), e.getMessage());
    Path q = write("x,label\n1,a\n2,a\n");
    assertThrows(IllegalArgumentException.class, () -> AuditDataset.readCsv(q, "label"));
  }

  @Test
  void generated_hasTheRequestedShape_andIsReproducible() {
    AuditDataset a = AuditDataset.generated(100, 3, 4, 9);
    assertEquals(100, a.rows());
    assertEquals(300, a.features().length);
    assertEquals(50, a.heldOutLabels().length);
    assertArrayEquals(a.features(), AuditDataset.generated(100, 3, 4, 9).features());
    assertTrue(java.util.Arrays.stream(a.labels()).allMatch(y -> y >= 0 && y < 4));
  }
}
