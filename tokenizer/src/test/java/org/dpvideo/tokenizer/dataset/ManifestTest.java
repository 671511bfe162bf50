package org.dpvideo.tokenizer.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestTest {
  @TempDir
  Path dir;

  @BeforeEach
  void images() throws IOException {
    for (String n : new String[] {"a.png", "b.png", "c.png"}) {
      ImageIO.write(new BufferedImage(16, 16, BufferedImage.TYPE_INT_ARGB), "png", dir.resolve(n).toFile());
    }
  }

  private Path csv(String text) throws IOException {
    Path p = dir.resolve("manifest.csv");
    Files.writeString(p, text);
    return p;
  }

  @Test
  void load_goodManifest_readsRowsAndGroups() throws IOException {
    Manifest m = Manifest.load(csv("""
        path,caption,subject,split,provenance,group:skin_tone
        a.png,a cat,s1,train,public,unspecified
        b.png,"a dog, running",s2,test,private,dark
        """), ManifestOptions.DEFAULT);
    assertEquals(2, m.rows().size());
    assertEquals(List.of("skin_tone"), m.groupNames());
    ManifestRow r = m.rows().get(1);
    assertEquals("a dog, running", r.caption());
    assertEquals(Split.TEST, r.split());
    assertEquals(Provenance.PRIVATE, r.provenance());
    assertEquals("dark", r.group("skin_tone"));
    assertEquals(dir.resolve("b.png"), r.path());
    assertEquals(3, r.line());
  }

  @Test
  void load_wrongHeader_namesTheFileAndTheMissingColumn() throws IOException {
    Path p = csv("file,caption,subject,split,provenance\na.png,x,s,train,public\n");
    ManifestException e = assertThrows(ManifestException.class, () -> Manifest.load(p, ManifestOptions.DEFAULT));
    assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("required column 'path' is missing"), e.getMessage());
    assertTrue(e.getMessage().contains("unknown column 'file'"), e.getMessage());
  }

  @Test
  void load_badRows_listsEveryBadRowWithLineNumbers() throws IOException {
    Path p = csv("""
        path,caption,subject,split,provenance
        a.png,ok,s1,train,public
        missing.png,x,s2,train,public
        b.png,,s3,train,public
        c.png,x,s4,holdout,public
        c.png,x,s5,train,secret
        """);
    ManifestException e = assertThrows(ManifestException.class, () -> Manifest.load(p, ManifestOptions.DEFAULT));
    assertEquals(4, e.problems().size(), e.getMessage());
    assertTrue(e.problems().get(0).startsWith("line 3:") && e.problems().get(0).contains("does not exist"));
    assertTrue(e.problems().get(1).startsWith("line 4:") && e.problems().get(1).contains("empty caption"));
    assertTrue(e.problems().get(2).startsWith("line 5:") && e.problems().get(2).contains("unknown split 'holdout'"));
    assertTrue(e.problems().get(3).startsWith("line 6:") && e.problems().get(3).contains("unknown provenance"));
    assertTrue(e.getMessage().contains("--skip-bad"));
  }

  @Test
  void load_skipBad_keepsGoodRowsAndCountsSkipped() throws IOException {
    Path p = csv("path,caption,subject,split,provenance\na.png,ok,s1,train,public\nmissing.png,x,s2,train,public\n");
    Manifest m = Manifest.load(p, ManifestOptions.DEFAULT.withSkipBad(true));
    assertEquals(1, m.rows().size());
    assertEquals(1, m.skippedRows());
  }

  @Test
  void load_corruptFileWithDecodeCheck_isABadRow() throws IOException {
    Files.write(dir.resolve("bad.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
    Path p = csv("path,caption,subject,split,provenance\nbad.png,x,s,train,public\n");
    ManifestException e = assertThrows(ManifestException.class,
        () -> Manifest.load(p, ManifestOptions.DEFAULT.withCheck(ManifestCheck.DECODE)));
    assertTrue(e.getMessage().contains("line 2:") && e.getMessage().contains("bad.png"), e.getMessage());
  }

  @Test
  void requireAllPublic_privateRows_areRefusedWithLines() throws IOException {
    Manifest m = Manifest.load(csv("""
        path,caption,subject,split,provenance
        a.png,x,s1,train,public
        b.png,y,s2,train,private
        """), ManifestOptions.DEFAULT);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> m.requireAllPublic("fitting a tokenizer", "A codebook leaks its training patches."));
    assertTrue(e.getMessage().contains("1 of its 2 rows are private (lines 3)"), e.getMessage());
  }

  @Test
  void writeThenLoad_roundTrips() throws IOException {
    Manifest m = Manifest.load(csv("path,caption,subject,split,provenance,group:region\n"
        + "a.png,\"quote \"\"x\"\" here\",s1,val,public,eu\n"), ManifestOptions.DEFAULT);
    assertEquals("quote \"x\" here", m.rows().get(0).caption());
    Path out = dir.resolve("copy.csv");
    m.write(out);
    Manifest again = Manifest.load(out, ManifestOptions.DEFAULT);
    assertEquals(m.rows().get(0).caption(), again.rows().get(0).caption());
    assertEquals(m.rows().get(0).path(), again.rows().get(0).path());
    assertEquals(m.contentHash(), again.contentHash());
  }
}
