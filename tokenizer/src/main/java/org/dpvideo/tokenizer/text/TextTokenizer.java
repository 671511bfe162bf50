package org.dpvideo.tokenizer.text;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Byte-level caption tokenizer: ids {@code [0, S)} are the {@link SpecialToken}s
 * ({@code S = SpecialToken.values().length}), ids {@code [S, S + 256)} are UTF-8 bytes. Captions are
 * normalized (Unicode NFC, whitespace collapsed, trimmed, lower-cased); truncation never splits a
 * multi-byte character.
 *
 * <p>Immutable and thread-safe.
 */
public final class TextTokenizer {
  /** Number of special tokens; the first byte id. */
  public static final int BYTE_OFFSET = SpecialToken.values().length;
  /** The one instance (the tokenizer has no fitted state). */
  public static final TextTokenizer INSTANCE = new TextTokenizer();

  private TextTokenizer() {}

  /** Vocabulary size: special tokens plus 256 byte values. */
  public int vocabSize() {
    return BYTE_OFFSET + 256;
  }

  /** A stable identifier: the special-token list and byte offset, e.g. {@code text-bytes-s19}. */
  public String version() {
    return "text-bytes-s" + BYTE_OFFSET;
  }

  /** The id of a special token. */
  public int id(SpecialToken t) {
    return t.id();
  }

  /** True for special-token ids. */
  public boolean isSpecial(int id) {
    return id >= 0 && id < BYTE_OFFSET;
  }

  /** The normalized form of a caption (what {@link #encode} tokenizes). */
  public static String normalize(String caption) {
    String s = java.text.Normalizer.normalize(caption, java.text.Normalizer.Form.NFC);
    return s.strip().replaceAll("\\s+", " ").toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * The normalized caption's bytes as ids, at most {@code maxTokens} of them (cut at a character
   * boundary), without special tokens.
   *
   * @throws IllegalArgumentException when {@code maxTokens < 0}
   */
  public int[] encode(String caption, int maxTokens) {
    if (maxTokens < 0) {
      throw new IllegalArgumentException("maxTokens must be >= 0, got " + maxTokens + ".");
    }
    byte[] b = normalize(caption).getBytes(StandardCharsets.UTF_8);
    int n = Math.min(b.length, maxTokens);
    // Do not cut inside a UTF-8 sequence: back up over continuation bytes (10xxxxxx).
    if (n < b.length) {
      while (n > 0 && (b[n] & 0xC0) == 0x80) {
        n--;
      }
    }
    int[] ids = new int[n];
    for (int i = 0; i < n; i++) {
      ids[i] = BYTE_OFFSET + (b[i] & 0xFF);
    }
    return ids;
  }

  /**
   * {@code [BOT] caption bytes [EOT]} padded with {@link SpecialToken#PAD} to exactly {@code length}
   * ids (the caption is cut to fit).
   */
  public int[] encodePadded(String caption, int length) {
    if (length < 2) {
      throw new IllegalArgumentException("length must be >= 2 to hold BOT and EOT, got " + length + ".");
    }
    int[] body = encode(caption, length - 2);
    int[] out = new int[length];
    Arrays.fill(out, SpecialToken.PAD.id());
    out[0] = SpecialToken.BOT.id();
    System.arraycopy(body, 0, out, 1, body.length);
    out[1 + body.length] = SpecialToken.EOT.id();
    return out;
  }

  /** The text of byte ids (special tokens are skipped; invalid UTF-8 becomes U+FFFD). */
  public String decode(int[] ids) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(ids.length);
    for (int id : ids) {
      if (id < 0 || id >= vocabSize()) {
        throw new IllegalArgumentException("text token id " + id + " is outside [0, " + vocabSize() + ").");
      }
      if (id >= BYTE_OFFSET) {
        out.write(id - BYTE_OFFSET);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
