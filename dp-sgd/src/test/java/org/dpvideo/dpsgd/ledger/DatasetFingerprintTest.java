package org.dpvideo.dpsgd.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetFingerprintTest {
  @TempDir
  Path tmp;

  private Path dataset(Path dir, String manifestText, String... files) throws Exception {
    Files.createDirectories(dir.resolve("clips"));
    for (int i = 0; i < files.length; i++) {
      Files.writeString(dir.resolve("clips").resolve("c" + i + ".bin"), files[i]);
    }
    return Files.writeString(dir.resolve("manifest.csv"), manifestText);
  }

  private static List<Path> clips(Path dir, int n) {
    return java.util.stream.IntStream.range(0, n).mapToObj(i -> dir.resolve("clips").resolve("c" + i + ".bin")).toList();
  }

  @Test
  void fingerprint_isSha256OfTheDocumentedText() throws Exception {
    Path m = dataset(tmp.resolve("a"), "path\nclips/c0.bin\n", "hello");
    DatasetFingerprint fp = DatasetFingerprint.compute(m, clips(tmp.resolve("a"), 1));
    String text = "dpvideo-dataset-fingerprint-v1\nmanifest " + sha("path\nclips/c0.bin\n") + "\nfile clips/c0.bin\t5\t"
        + sha("hello") + "\n";
    assertEquals(sha(text), fp.id().hex());
    assertEquals(1, fp.fileCount());
    assertEquals(5, fp.totalBytes());
  }

  @Test
  void fingerprint_ignoresListOrderDuplicatesAndLocation() throws Exception {
    Path m1 = dataset(tmp.resolve("one"), "m", "x", "yy", "zzz");
    Path m2 = dataset(tmp.resolve("elsewhere/two"), "m", "x", "yy", "zzz");
    List<Path> files1 = clips(tmp.resolve("one"), 3);
    List<Path> files2 = new java.util.ArrayList<>(clips(tmp.resolve("elsewhere/two"), 3));
    java.util.Collections.reverse(files2);
    files2.add(files2.get(0));
    assertEquals(DatasetFingerprint.compute(m1, files1), DatasetFingerprint.compute(m2, files2));
  }

  @Test
  void fingerprint_changesWithOneByteOfAFileOrOfTheManifest() throws Exception {
    Path dir = tmp.resolve("d");
    Path m = dataset(dir, "m", "x", "yy");
    DatasetId before = DatasetFingerprint.compute(m, clips(dir, 2)).id();
    Files.writeString(dir.resolve("clips/c1.bin"), "yz");
    DatasetId afterFile = DatasetFingerprint.compute(m, clips(dir, 2)).id();
    Files.writeString(m, "n");
    DatasetId afterManifest = DatasetFingerprint.compute(m, clips(dir, 2)).id();
    assertNotEquals(before, afterFile);
    assertNotEquals(afterFile, afterManifest);
  }

  @Test
  void missingFiles_areAllListed() throws Exception {
    Path dir = tmp.resolve("d");
    Path m = dataset(dir, "m", "x");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DatasetFingerprint.compute(m,
        List.of(dir.resolve("clips/c0.bin"), dir.resolve("clips/gone1.bin"), dir.resolve("clips/gone2.bin"))));
    assertTrue(e.getMessage().contains("gone1.bin") && e.getMessage().contains("gone2.bin")
        && e.getMessage().contains("2 problem(s)"), e.getMessage());
  }

  private static String sha(String s) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }
}
