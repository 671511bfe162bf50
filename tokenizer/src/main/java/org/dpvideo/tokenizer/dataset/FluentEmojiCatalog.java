package org.dpvideo.tokenizer.dataset;

import com.google.common.hash.Hashing;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Builds manifest rows for Fluent Emoji sticker files. A file is named by its code points in hex joined
 * by {@code -} (e.g. {@code 1f44b-1f3fd.webp}, waving hand, medium skin tone).
 *
 * <ul>
 *   <li><b>caption</b>: the Unicode character names of the code points, lower case, without joiners,
 *       variation selectors and skin-tone modifiers ({@code "waving hand sign"}); regional-indicator
 *       pairs become {@code "flag XY"}; names unknown to this JDK become {@code "emoji U+XXXX"}.</li>
 *   <li><b>group:skin_tone</b>: the modifier (five tones) or {@code unspecified}; these stand in for
 *       demographic groups.</li>
 *   <li><b>subject</b>: the whole emoji id including its tone (each toned animation plays one person).</li>
 *   <li><b>split</b>: from a hash of the id <em>without</em> tone, so the five tones of one gesture are
 *       in the same split (80% train, 10% val, 10% test).</li>
 *   <li><b>provenance</b>: toned emoji are {@code private} (the demo's stand-in for private footage of
 *       people), untoned ones {@code public}.</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class FluentEmojiCatalog {
  /** The group column this catalog fills. */
  public static final String SKIN_TONE = "skin_tone";

  private FluentEmojiCatalog() {}

  /** Parsed file name. */
  public record EmojiId(String id, int[] codePoints, SkinTone tone, String baseId) {}

  /** Parses a file name such as {@code 1f44b-1f3fd.webp}; {@code null} when it is not one. */
  public static EmojiId parse(String fileName) {
    String stem = fileName.endsWith(".webp") ? fileName.substring(0, fileName.length() - 5) : fileName;
    if (!stem.matches("[0-9a-f]{2,6}(-[0-9a-f]{2,6})*")) {
      return null;
    }
    String[] parts = stem.split("-");
    int[] cps = new int[parts.length];
    SkinTone tone = SkinTone.UNSPECIFIED;
    List<String> base = new ArrayList<>();
    for (int i = 0; i < parts.length; i++) {
      cps[i] = Integer.parseInt(parts[i], 16);
      SkinTone t = SkinTone.ofModifier(cps[i]);
      if (t != null) {
        tone = t;
      } else {
        base.add(parts[i]);
      }
    }
    return new EmojiId(stem, cps, tone, String.join("-", base));
  }

  /** The caption of an emoji from the Unicode names of its code points. */
  public static String caption(int[] codePoints) {
    StringBuilder flag = new StringBuilder();
    List<String> words = new ArrayList<>();
    for (int cp : codePoints) {
      if (cp == 0x200D || cp == 0xFE0F || cp == 0xFE0E || SkinTone.ofModifier(cp) != null) {
        continue;
      }
      if (cp >= 0x1F1E6 && cp <= 0x1F1FF) {
        flag.append((char) ('A' + cp - 0x1F1E6));
        continue;
      }
      if (cp == 0x20E3) {
        words.add("keycap");
        continue;
      }
      String name = Character.isValidCodePoint(cp) ? Character.getName(cp) : null;
      words.add(name == null ? String.format(Locale.ROOT, "emoji U+%04X", cp) : name.toLowerCase(Locale.ROOT));
    }
    if (flag.length() > 0) {
      words.add(0, "flag " + flag);
    }
    return String.join(" ", words);
  }

  /** {@code train}, {@code val} or {@code test} from a hash of {@code baseId} (80/10/10). */
  public static Split splitOf(String baseId) {
    int bucket = Math.floorMod(Hashing.sha256().hashString(baseId, StandardCharsets.UTF_8).asInt(), 100);
    return bucket < 80 ? Split.TRAIN : bucket < 90 ? Split.VAL : Split.TEST;
  }

  /** True when the WebP file at {@code path} is animated (VP8X header with the animation flag). */
  public static boolean isAnimated(Path path) throws IOException {
    byte[] head = new byte[21];
    try (InputStream in = Files.newInputStream(path)) {
      if (in.readNBytes(head, 0, head.length) < head.length) {
        return false;
      }
    }
    return head[12] == 'V' && head[13] == 'P' && head[14] == '8' && head[15] == 'X' && (head[20] & 0x02) != 0;
  }

  /**
   * Rows for the WebP files in {@code folder} (sorted by name), keeping animated ones when
   * {@code animated} is true, else still ones.
   */
  public static List<ManifestRow> rows(Path folder, boolean animated) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(folder)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".webp")).sorted().toList();
    }
    List<ManifestRow> out = new ArrayList<>();
    for (Path f : files) {
      EmojiId id = parse(f.getFileName().toString());
      if (id == null || isAnimated(f) != animated) {
        continue;
      }
      Map<String, String> groups = new LinkedHashMap<>();
      groups.put(SKIN_TONE, id.tone().label());
      Provenance prov = id.tone() == SkinTone.UNSPECIFIED ? Provenance.PUBLIC : Provenance.PRIVATE;
      out.add(new ManifestRow(0, f.toAbsolutePath(), caption(id.codePoints()), id.id(), splitOf(id.baseId()),
          prov, groups));
    }
    return out;
  }
}
