package org.dpvideo.finetune.demo;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import javax.imageio.ImageIO;

/**
 * Animated stickers drawn in Java, the demo's fallback when the Fluent Emoji packages cannot be fetched
 * (no network): faces and hands in the five emoji skin tones (private, one subject each), shapes without a
 * tone (public) and still shapes (public stills), as folders of PNG frames with a {@code manifest.csv} and
 * {@code stills.csv} in the format of {@code dpvideo data fetch}. Deterministic.
 */
public final class DrawnStickers {
  /** A file that marks a directory of drawn stickers. */
  public static final String MARKER = "DRAWN_IN_JAVA";
  /**
   * The quality filter of the drawn stickers, fixed in advance like the Fluent Emoji one but for their
   * 64-pixel source: at least 5 distinct frames among 9 and a mean frame difference of at least 0.002.
   */
  public static final org.dpvideo.finetune.data.QualityFilter QUALITY_FILTER =
      new org.dpvideo.finetune.data.QualityFilter(64, 5, 0.002);
  private static final int SIZE = 64;
  private static final int FRAMES = 12;
  /** Approximate emoji skin-tone colours, light to dark, with the manifest's labels. */
  private static final String[] TONES = {"light", "medium_light", "medium", "medium_dark", "dark"};
  private static final Color[] TONE_COLORS = {new Color(0xF7DECE), new Color(0xF3D2A2), new Color(0xD5AB88),
      new Color(0xAF7E57), new Color(0x7C533E)};
  private static final String[] MOTIONS = {"waving", "nodding", "bouncing", "spinning", "pulsing", "sliding"};
  private static final String[] SUBJECTS = {"hand", "face", "person", "thumb"};
  private static final Color[] PALETTE = {new Color(0xE53935), new Color(0x1E88E5), new Color(0x43A047),
      new Color(0xFDD835), new Color(0x8E24AA), new Color(0xFB8C00), new Color(0x00ACC1), new Color(0x6D4C41)};
  private static final String[] COLOR_NAMES = {"red", "blue", "green", "yellow", "purple", "orange", "cyan", "brown"};
  private static final String[] SHAPES = {"ball", "star", "square", "heart"};

  private DrawnStickers() {}

  /** Writes the stickers and manifests into {@code dir}. */
  public static void write(Path dir, Consumer<String> log) throws IOException {
    Files.createDirectories(dir);
    List<String> anim = new ArrayList<>();
    List<String> still = new ArrayList<>();
    anim.add("path,caption,subject,split,provenance,group:skin_tone");
    still.add("path,caption,subject,split,provenance,group:skin_tone");
    int k = 0;
    for (String subject : SUBJECTS) {
      for (String motion : MOTIONS) {
        String base = subject + "-" + motion;
        String split = split(k++);
        for (int t = 0; t < TONES.length; t++) {
          String id = base + "-" + TONES[t];
          Path folder = dir.resolve("drawn").resolve(id);
          drawPerson(folder, subject, motion, TONE_COLORS[t]);
          anim.add("drawn/" + id + "," + motion + " " + subject + "," + id + "," + split + ",private," + TONES[t]);
        }
      }
    }
    for (int c = 0; c < PALETTE.length; c++) {
      for (String shape : SHAPES) {
        for (String motion : MOTIONS) {
          String id = COLOR_NAMES[c] + "-" + shape + "-" + motion;
          String split = split(k++);
          drawShape(dir.resolve("drawn").resolve(id), shape, motion, PALETTE[c], FRAMES);
          anim.add("drawn/" + id + "," + motion + " " + COLOR_NAMES[c] + " " + shape + "," + id + "," + split
              + ",public,unspecified");
        }
        String sid = "still-" + COLOR_NAMES[c] + "-" + shape;
        Path png = dir.resolve("stills").resolve(sid + ".png");
        Files.createDirectories(png.getParent());
        ImageIO.write(shapeFrame(shape, "still", PALETTE[c], 0), "png", png.toFile());
        still.add("stills/" + sid + ".png," + COLOR_NAMES[c] + " " + shape + "," + sid + ",train,public,unspecified");
      }
    }
    Files.write(dir.resolve("manifest.csv"), anim);
    Files.write(dir.resolve("stills.csv"), still);
    Files.writeString(dir.resolve(MARKER), "stickers drawn by dpvideo's DrawnStickers (no network)\n");
    log.accept("data: drew " + (anim.size() - 1) + " animated stickers and " + (still.size() - 1) + " stills in " + dir);
  }

  private static String split(int k) {
    int m = Math.floorMod(k * 7 + 3, 10);
    return m == 0 ? "test" : m == 1 ? "val" : "train";
  }

  private static void drawPerson(Path folder, String subject, String motion, Color skin) throws IOException {
    Files.createDirectories(folder);
    for (int f = 0; f < FRAMES; f++) {
      double phase = 2 * Math.PI * f / FRAMES;
      BufferedImage img = canvas();
      Graphics2D g = graphics(img);
      g.transform(motionTransform(motion, phase));
      g.setColor(skin);
      switch (subject) {
        case "face" -> {
          g.fillOval(12, 12, 40, 40);
          g.setColor(Color.DARK_GRAY);
          g.fillOval(23, 26, 5, 5);
          g.fillOval(36, 26, 5, 5);
          int open = (int) (3 + 3 * Math.sin(phase));
          g.fillOval(27, 38, 10, Math.max(2, open));
        }
        case "hand" -> {
          g.fillRoundRect(20, 28, 24, 24, 10, 10);
          for (int i = 0; i < 4; i++) {
            g.fillRoundRect(20 + 6 * i, 12 + (i == 0 || i == 3 ? 6 : 0), 5, 20, 4, 4);
          }
          g.fillRoundRect(40, 32, 12, 6, 4, 4);
        }
        case "thumb" -> {
          g.fillRoundRect(18, 30, 26, 20, 8, 8);
          g.fillRoundRect(24, 12, 8, 22, 6, 6);
        }
        default -> {
          g.fillOval(24, 8, 16, 16);
          g.fillRoundRect(22, 26, 20, 26, 8, 8);
          g.setStroke(new BasicStroke(5));
          g.drawLine(22, 30, (int) (10 + 4 * Math.sin(phase)), 18);
          g.drawLine(42, 30, (int) (54 - 4 * Math.sin(phase)), 18);
        }
      }
      g.dispose();
      ImageIO.write(img, "png", folder.resolve(String.format(Locale.ROOT, "%03d.png", f)).toFile());
    }
  }

  private static void drawShape(Path folder, String shape, String motion, Color color, int frames) throws IOException {
    Files.createDirectories(folder);
    for (int f = 0; f < frames; f++) {
      ImageIO.write(shapeFrame(shape, motion, color, 2 * Math.PI * f / frames), "png",
          folder.resolve(String.format(Locale.ROOT, "%03d.png", f)).toFile());
    }
  }

  private static BufferedImage shapeFrame(String shape, String motion, Color color, double phase) {
    BufferedImage img = canvas();
    Graphics2D g = graphics(img);
    g.transform(motionTransform(motion, phase));
    g.setColor(color);
    switch (shape) {
      case "ball" -> g.fillOval(16, 16, 32, 32);
      case "square" -> g.fillRect(18, 18, 28, 28);
      case "heart" -> {
        g.fillOval(16, 18, 18, 18);
        g.fillOval(30, 18, 18, 18);
        g.fillPolygon(new int[] {17, 47, 32}, new int[] {30, 30, 50}, 3);
      }
      default -> {
        int[] xs = new int[10];
        int[] ys = new int[10];
        for (int i = 0; i < 10; i++) {
          double r = i % 2 == 0 ? 20 : 9;
          double a = Math.PI * i / 5 - Math.PI / 2;
          xs[i] = (int) (32 + r * Math.cos(a));
          ys[i] = (int) (32 + r * Math.sin(a));
        }
        g.fillPolygon(xs, ys, 10);
      }
    }
    g.dispose();
    return img;
  }

  private static AffineTransform motionTransform(String motion, double phase) {
    AffineTransform t = new AffineTransform();
    switch (motion) {
      case "waving" -> t.rotate(0.35 * Math.sin(phase), 32, 48);
      case "nodding" -> t.translate(0, 4 * Math.sin(phase));
      case "bouncing" -> t.translate(0, -8 * Math.abs(Math.sin(phase)));
      case "spinning" -> t.rotate(phase, 32, 32);
      case "pulsing" -> {
        double s = 1 + 0.15 * Math.sin(phase);
        t.translate(32, 32);
        t.scale(s, s);
        t.translate(-32, -32);
      }
      case "sliding" -> t.translate(8 * Math.sin(phase), 0);
      default -> { }
    }
    return t;
  }

  private static BufferedImage canvas() {
    return new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_ARGB);
  }

  private static Graphics2D graphics(BufferedImage img) {
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    return g;
  }
}
