package org.dpvideo.finetune.sample;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Objects;
import javax.imageio.ImageIO;
import org.dpvideo.tokenizer.video.Clip;
import org.dpvideo.tokenizer.video.VideoWriter;

/**
 * A contact sheet: every frame of several clips on one PNG, one clip per row (labelled on the left),
 * one frame per column (numbered on top), under an optional title. Labels use a built-in pixel font, so
 * the sheet looks the same on machines without fonts.
 *
 * <p>Stateless and thread-safe.
 */
public final class ContactSheet {
  /** Sheet background. */
  static final int BACKGROUND = 0xF2F2F2;
  /** Text colour. */
  static final int INK = 0x1A1A1A;
  /** One-pixel frame drawn around every cell, so white frames stand out from the background. */
  static final int EDGE = 0xB4B4B4;
  /** Longest row label drawn; longer labels are cut and end in "..". */
  static final int MAX_LABEL_CHARS = 28;
  private static final int GAP = 4;

  private ContactSheet() {}

  /**
   * One row of the sheet.
   *
   * @param label drawn left of the frames (e.g. {@code #3 skin_tone=1F3FD})
   * @param clip the frames
   */
  public record Row(String label, Clip clip) {
    /** Validates. */
    public Row {
      Objects.requireNonNull(label, "label");
      Objects.requireNonNull(clip, "clip");
    }
  }

  /**
   * Renders the sheet.
   *
   * @param title drawn on top, or empty for none
   * @param rows at least one; clips may differ in size and frame count (cells take the largest size)
   * @param scale integer upscaling of every frame, in [1, 16]
   */
  public static BufferedImage render(String title, List<Row> rows, int scale) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("a contact sheet needs at least one row, got none.");
    }
    if (scale < 1 || scale > 16) {
      throw new IllegalArgumentException("contact sheet scale must be in [1, 16], got " + scale + ".");
    }
    int fs = scale >= 3 ? 2 : 1;
    int cellW = 0;
    int cellH = 0;
    int cols = 0;
    int labelW = 0;
    for (Row r : rows) {
      cellW = Math.max(cellW, r.clip().width() * scale);
      cellH = Math.max(cellH, r.clip().height() * scale);
      cols = Math.max(cols, r.clip().frameCount());
      labelW = Math.max(labelW, PixelFont.width(shorten(r.label()), fs));
    }
    int textH = PixelFont.height(fs);
    String t = title == null ? "" : title;
    int titleH = t.isEmpty() ? 0 : textH + GAP;
    int headerH = textH + GAP;
    int left = GAP + labelW + (labelW > 0 ? GAP : 0);
    int width = Math.max(left + cols * (cellW + GAP), GAP + PixelFont.width(t, fs) + GAP);
    int height = GAP + titleH + headerH + rows.size() * (cellH + GAP);
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] bg = new int[width * height];
    java.util.Arrays.fill(bg, BACKGROUND);
    img.setRGB(0, 0, width, height, bg, 0, width);
    int y = GAP;
    if (!t.isEmpty()) {
      PixelFont.draw(img, t, GAP, y, fs, INK);
      y += titleH;
    }
    for (int c = 0; c < cols; c++) {
      String num = "t" + c;
      int x = left + c * (cellW + GAP) + (cellW - PixelFont.width(num, fs)) / 2;
      PixelFont.draw(img, num, x, y, fs, INK);
    }
    y += headerH;
    for (Row r : rows) {
      PixelFont.draw(img, shorten(r.label()), GAP, y + (cellH - textH) / 2, fs, INK);
      for (int c = 0; c < r.clip().frameCount(); c++) {
        BufferedImage frame = VideoWriter.image(r.clip(), c, scale);
        int x = left + c * (cellW + GAP);
        int[] px = frame.getRGB(0, 0, frame.getWidth(), frame.getHeight(), null, 0, frame.getWidth());
        img.setRGB(x, y, frame.getWidth(), frame.getHeight(), px, 0, frame.getWidth());
        edge(img, x - 1, y - 1, frame.getWidth() + 2, frame.getHeight() + 2);
      }
      y += cellH + GAP;
    }
    return img;
  }

  /**
   * Renders the sheet and writes it as a PNG, atomically (a temporary file in the same folder, then a
   * rename), creating the folder when needed.
   */
  public static void write(String title, List<Row> rows, int scale, Path png) throws IOException {
    writePng(render(title, rows, scale), png);
  }

  /** Writes {@code image} as a PNG atomically. */
  public static void writePng(BufferedImage image, Path png) throws IOException {
    Path dir = png.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + png.getFileName(), ".part");
    try {
      if (!ImageIO.write(image, "png", tmp.toFile())) {
        throw new IOException("this Java runtime has no PNG writer; cannot write " + png + ".");
      }
      Files.move(tmp, png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void edge(BufferedImage img, int x0, int y0, int w, int h) {
    for (int x = x0; x < x0 + w; x++) {
      img.setRGB(x, y0, EDGE);
      img.setRGB(x, y0 + h - 1, EDGE);
    }
    for (int y = y0; y < y0 + h; y++) {
      img.setRGB(x0, y, EDGE);
      img.setRGB(x0 + w - 1, y, EDGE);
    }
  }

  static String shorten(String label) {
    return label.length() <= MAX_LABEL_CHARS ? label : label.substring(0, MAX_LABEL_CHARS - 2) + "..";
  }
}
