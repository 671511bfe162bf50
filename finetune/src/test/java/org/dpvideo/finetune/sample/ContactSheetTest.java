package org.dpvideo.finetune.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.dpvideo.finetune.TestClips;
import org.dpvideo.tokenizer.video.Clip;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContactSheetTest {
  @TempDir
  Path dir;

  private static int countColour(BufferedImage img, int x0, int y0, int w, int h, int rgb) {
    int n = 0;
    for (int y = y0; y < y0 + h; y++) {
      for (int x = x0; x < x0 + w; x++) {
        if ((img.getRGB(x, y) & 0xFFFFFF) == rgb) {
          n++;
        }
      }
    }
    return n;
  }

  @Test
  void render_twoClips_placesEveryFrameInItsCell() {
    Clip red = TestClips.of(3, 8, 8, (t, y, x) -> new float[] {1f, 0f, 0f});
    Clip blueToGreen = TestClips.of(2, 8, 8, (t, y, x) -> t == 0 ? new float[] {0f, 0f, 1f} : new float[] {0f, 1f, 0f});
    BufferedImage img = ContactSheet.render("", List.of(new ContactSheet.Row("#0", red),
        new ContactSheet.Row("#1", blueToGreen)), 2);
    // cells of 16x16 pixels: 3 red cells in row 0, a blue and a green cell in row 1, one empty cell
    assertEquals(3 * 256, countColour(img, 0, 0, img.getWidth(), img.getHeight(), 0xFF0000));
    assertEquals(256, countColour(img, 0, 0, img.getWidth(), img.getHeight(), 0x0000FF));
    assertEquals(256, countColour(img, 0, 0, img.getWidth(), img.getHeight(), 0x00FF00));
    // labels and frame numbers are drawn in ink
    assertTrue(countColour(img, 0, 0, img.getWidth(), img.getHeight(), ContactSheet.INK) > 20);
    // the red block of row 0 starts right of the label column, with the same y as "#0"
    int firstRed = -1;
    for (int x = 0; x < img.getWidth() && firstRed < 0; x++) {
      for (int y = 0; y < img.getHeight(); y++) {
        if ((img.getRGB(x, y) & 0xFFFFFF) == 0xFF0000) {
          firstRed = x;
          break;
        }
      }
    }
    assertTrue(firstRed > PixelFont.width("#0", 1), "frames must start right of the labels, at " + firstRed);
  }

  @Test
  void write_png_isReadBackIdentical() throws Exception {
    Clip grey = TestClips.flat(2, 4, 6, t -> 0.5f);
    List<ContactSheet.Row> rows = List.of(new ContactSheet.Row("sample 0 (skin_tone=1F3FD)", grey));
    Path png = dir.resolve("sub/sheet.png");
    ContactSheet.write("prompt: wave, T=1 cfg=3", rows, 4, png);
    BufferedImage back = ImageIO.read(png.toFile());
    BufferedImage expected = ContactSheet.render("prompt: wave, T=1 cfg=3", rows, 4);
    assertEquals(expected.getWidth(), back.getWidth());
    assertEquals(expected.getHeight(), back.getHeight());
    for (int y = 0; y < back.getHeight(); y++) {
      for (int x = 0; x < back.getWidth(); x++) {
        assertEquals(expected.getRGB(x, y), back.getRGB(x, y));
      }
    }
    try (var files = Files.list(png.getParent())) {
      assertEquals(List.of(png), files.toList(), "no temporary file may remain");
    }
  }

  @Test
  void render_badInput_isRejected() {
    Clip c = TestClips.flat(1, 4, 4, t -> 0f);
    assertThrows(IllegalArgumentException.class, () -> ContactSheet.render("", List.of(), 2));
    assertThrows(IllegalArgumentException.class, () -> ContactSheet.render("", List.of(new ContactSheet.Row("a", c)), 0));
  }

  @Test
  void pixelFont_drawsTheGlyphPattern() {
    BufferedImage img = new BufferedImage(5, 7, BufferedImage.TYPE_INT_RGB);
    PixelFont.draw(img, "1", 0, 0, 1, 0xFFFFFF);
    String[] expected = {"..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###."};
    for (int y = 0; y < 7; y++) {
      StringBuilder row = new StringBuilder();
      for (int x = 0; x < 5; x++) {
        row.append((img.getRGB(x, y) & 0xFFFFFF) == 0xFFFFFF ? '#' : '.');
      }
      assertEquals(expected[y], row.toString(), "row " + y);
    }
    assertTrue(PixelFont.covers('a') && PixelFont.covers('=') && !PixelFont.covers('é'));
    assertEquals(6 * 3 - 1, PixelFont.width("abc", 1));
  }
}
