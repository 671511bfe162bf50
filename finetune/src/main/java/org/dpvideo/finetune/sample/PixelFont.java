package org.dpvideo.finetune.sample;

import java.awt.image.BufferedImage;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A 5x7 pixel font drawn into images without Java2D text, so labels render the same on every machine,
 * with or without installed fonts (a headless server often has none). Covers digits, Latin letters
 * (lower case is drawn as upper case) and common punctuation; other characters are drawn as {@code ?}.
 *
 * <p>Immutable and thread-safe.
 */
final class PixelFont {
  /** Glyph width in font pixels. */
  static final int GLYPH_WIDTH = 5;
  /** Glyph height in font pixels. */
  static final int GLYPH_HEIGHT = 7;
  /** Horizontal advance per character in font pixels (glyph plus one column of spacing). */
  static final int ADVANCE = GLYPH_WIDTH + 1;

  private static final Map<Character, byte[]> GLYPHS = new HashMap<>();

  static {
    GLYPHS.put('A', new byte[] {0b01110, 0b10001, 0b10001, 0b11111, 0b10001, 0b10001, 0b10001});
    GLYPHS.put('B', new byte[] {0b11110, 0b10001, 0b10001, 0b11110, 0b10001, 0b10001, 0b11110});
    GLYPHS.put('C', new byte[] {0b01110, 0b10001, 0b10000, 0b10000, 0b10000, 0b10001, 0b01110});
    GLYPHS.put('D', new byte[] {0b11110, 0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b11110});
    GLYPHS.put('E', new byte[] {0b11111, 0b10000, 0b10000, 0b11110, 0b10000, 0b10000, 0b11111});
    GLYPHS.put('F', new byte[] {0b11111, 0b10000, 0b10000, 0b11110, 0b10000, 0b10000, 0b10000});
    GLYPHS.put('G', new byte[] {0b01110, 0b10001, 0b10000, 0b10111, 0b10001, 0b10001, 0b01111});
    GLYPHS.put('H', new byte[] {0b10001, 0b10001, 0b10001, 0b11111, 0b10001, 0b10001, 0b10001});
    GLYPHS.put('I', new byte[] {0b01110, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100, 0b01110});
    GLYPHS.put('J', new byte[] {0b00111, 0b00010, 0b00010, 0b00010, 0b00010, 0b10010, 0b01100});
    GLYPHS.put('K', new byte[] {0b10001, 0b10010, 0b10100, 0b11000, 0b10100, 0b10010, 0b10001});
    GLYPHS.put('L', new byte[] {0b10000, 0b10000, 0b10000, 0b10000, 0b10000, 0b10000, 0b11111});
    GLYPHS.put('M', new byte[] {0b10001, 0b11011, 0b10101, 0b10101, 0b10001, 0b10001, 0b10001});
    GLYPHS.put('N', new byte[] {0b10001, 0b10001, 0b11001, 0b10101, 0b10011, 0b10001, 0b10001});
    GLYPHS.put('O', new byte[] {0b01110, 0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b01110});
    GLYPHS.put('P', new byte[] {0b11110, 0b10001, 0b10001, 0b11110, 0b10000, 0b10000, 0b10000});
    GLYPHS.put('Q', new byte[] {0b01110, 0b10001, 0b10001, 0b10001, 0b10101, 0b10010, 0b01101});
    GLYPHS.put('R', new byte[] {0b11110, 0b10001, 0b10001, 0b11110, 0b10100, 0b10010, 0b10001});
    GLYPHS.put('S', new byte[] {0b01111, 0b10000, 0b10000, 0b01110, 0b00001, 0b00001, 0b11110});
    GLYPHS.put('T', new byte[] {0b11111, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100});
    GLYPHS.put('U', new byte[] {0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b01110});
    GLYPHS.put('V', new byte[] {0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b01010, 0b00100});
    GLYPHS.put('W', new byte[] {0b10001, 0b10001, 0b10001, 0b10101, 0b10101, 0b10101, 0b01010});
    GLYPHS.put('X', new byte[] {0b10001, 0b10001, 0b01010, 0b00100, 0b01010, 0b10001, 0b10001});
    GLYPHS.put('Y', new byte[] {0b10001, 0b10001, 0b01010, 0b00100, 0b00100, 0b00100, 0b00100});
    GLYPHS.put('Z', new byte[] {0b11111, 0b00001, 0b00010, 0b00100, 0b01000, 0b10000, 0b11111});
    GLYPHS.put('0', new byte[] {0b01110, 0b10001, 0b10011, 0b10101, 0b11001, 0b10001, 0b01110});
    GLYPHS.put('1', new byte[] {0b00100, 0b01100, 0b00100, 0b00100, 0b00100, 0b00100, 0b01110});
    GLYPHS.put('2', new byte[] {0b01110, 0b10001, 0b00001, 0b00010, 0b00100, 0b01000, 0b11111});
    GLYPHS.put('3', new byte[] {0b11110, 0b00001, 0b00001, 0b01110, 0b00001, 0b00001, 0b11110});
    GLYPHS.put('4', new byte[] {0b00010, 0b00110, 0b01010, 0b10010, 0b11111, 0b00010, 0b00010});
    GLYPHS.put('5', new byte[] {0b11111, 0b10000, 0b11110, 0b00001, 0b00001, 0b10001, 0b01110});
    GLYPHS.put('6', new byte[] {0b00110, 0b01000, 0b10000, 0b11110, 0b10001, 0b10001, 0b01110});
    GLYPHS.put('7', new byte[] {0b11111, 0b00001, 0b00010, 0b00100, 0b01000, 0b01000, 0b01000});
    GLYPHS.put('8', new byte[] {0b01110, 0b10001, 0b10001, 0b01110, 0b10001, 0b10001, 0b01110});
    GLYPHS.put('9', new byte[] {0b01110, 0b10001, 0b10001, 0b01111, 0b00001, 0b00010, 0b01100});
    GLYPHS.put('.', new byte[] {0b00000, 0b00000, 0b00000, 0b00000, 0b00000, 0b01100, 0b01100});
    GLYPHS.put(',', new byte[] {0b00000, 0b00000, 0b00000, 0b00000, 0b01100, 0b00100, 0b01000});
    GLYPHS.put(':', new byte[] {0b00000, 0b01100, 0b01100, 0b00000, 0b01100, 0b01100, 0b00000});
    GLYPHS.put('-', new byte[] {0b00000, 0b00000, 0b00000, 0b11111, 0b00000, 0b00000, 0b00000});
    GLYPHS.put('_', new byte[] {0b00000, 0b00000, 0b00000, 0b00000, 0b00000, 0b00000, 0b11111});
    GLYPHS.put('=', new byte[] {0b00000, 0b00000, 0b11111, 0b00000, 0b11111, 0b00000, 0b00000});
    GLYPHS.put('+', new byte[] {0b00000, 0b00100, 0b00100, 0b11111, 0b00100, 0b00100, 0b00000});
    GLYPHS.put('/', new byte[] {0b00000, 0b00001, 0b00010, 0b00100, 0b01000, 0b10000, 0b00000});
    GLYPHS.put('(', new byte[] {0b00010, 0b00100, 0b01000, 0b01000, 0b01000, 0b00100, 0b00010});
    GLYPHS.put(')', new byte[] {0b01000, 0b00100, 0b00010, 0b00010, 0b00010, 0b00100, 0b01000});
    GLYPHS.put('#', new byte[] {0b01010, 0b01010, 0b11111, 0b01010, 0b11111, 0b01010, 0b01010});
    GLYPHS.put('%', new byte[] {0b11000, 0b11001, 0b00010, 0b00100, 0b01000, 0b10011, 0b00011});
    GLYPHS.put('?', new byte[] {0b01110, 0b10001, 0b00001, 0b00010, 0b00100, 0b00000, 0b00100});
    GLYPHS.put('!', new byte[] {0b00100, 0b00100, 0b00100, 0b00100, 0b00100, 0b00000, 0b00100});
    GLYPHS.put('\'', new byte[] {0b00100, 0b00100, 0b01000, 0b00000, 0b00000, 0b00000, 0b00000});
    GLYPHS.put('[', new byte[] {0b01110, 0b01000, 0b01000, 0b01000, 0b01000, 0b01000, 0b01110});
    GLYPHS.put(']', new byte[] {0b01110, 0b00010, 0b00010, 0b00010, 0b00010, 0b00010, 0b01110});
    GLYPHS.put('<', new byte[] {0b00010, 0b00100, 0b01000, 0b10000, 0b01000, 0b00100, 0b00010});
    GLYPHS.put('>', new byte[] {0b01000, 0b00100, 0b00010, 0b00001, 0b00010, 0b00100, 0b01000});
    GLYPHS.put('*', new byte[] {0b00000, 0b00100, 0b10101, 0b01110, 0b10101, 0b00100, 0b00000});
    GLYPHS.put('|', new byte[] {0b00100, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100});
  }

  private PixelFont() {}

  /** Width in image pixels of {@code text} at {@code scale} (no trailing spacing). */
  static int width(String text, int scale) {
    return text.isEmpty() ? 0 : (text.length() * ADVANCE - 1) * scale;
  }

  /** Height in image pixels at {@code scale}. */
  static int height(int scale) {
    return GLYPH_HEIGHT * scale;
  }

  /** Draws {@code text} with its top-left corner at {@code (x, y)}, clipped to the image. */
  static void draw(BufferedImage img, String text, int x, int y, int scale, int rgb) {
    String s = text.toUpperCase(Locale.ROOT);
    for (int c = 0; c < s.length(); c++) {
      byte[] g = glyph(s.charAt(c));
      int gx = x + c * ADVANCE * scale;
      for (int row = 0; row < GLYPH_HEIGHT; row++) {
        for (int col = 0; col < GLYPH_WIDTH; col++) {
          if ((g[row] >> (GLYPH_WIDTH - 1 - col) & 1) == 1) {
            fill(img, gx + col * scale, y + row * scale, scale, rgb);
          }
        }
      }
    }
  }

  /** Whether {@code ch} has its own glyph (case-insensitively); otherwise it is drawn as {@code ?}. */
  static boolean covers(char ch) {
    return ch == ' ' || GLYPHS.containsKey(Character.toUpperCase(ch));
  }

  private static byte[] glyph(char ch) {
    if (ch == ' ') {
      return new byte[GLYPH_HEIGHT];
    }
    byte[] g = GLYPHS.get(ch);
    return g != null ? g : GLYPHS.get('?');
  }

  private static void fill(BufferedImage img, int x0, int y0, int size, int rgb) {
    for (int y = Math.max(0, y0); y < Math.min(img.getHeight(), y0 + size); y++) {
      for (int x = Math.max(0, x0); x < Math.min(img.getWidth(), x0 + size); x++) {
        img.setRGB(x, y, rgb);
      }
    }
  }
}
