package org.dpvideo.tokenizer.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.dpvideo.testkit.Fixtures;
import org.junit.jupiter.api.Test;

class FluentEmojiCatalogTest {
  @Test
  void parse_tonedId_givesToneBaseAndCaption() {
    FluentEmojiCatalog.EmojiId id = FluentEmojiCatalog.parse("1f468-1f3fe-200d-1f9bd.webp");
    assertEquals(SkinTone.MEDIUM_DARK, id.tone());
    assertEquals("1f468-200d-1f9bd", id.baseId());
    assertEquals("1f468-1f3fe-200d-1f9bd", id.id());
    assertEquals("man manual wheelchair", FluentEmojiCatalog.caption(id.codePoints()));
  }

  @Test
  void caption_flagsAndKeycaps_areReadable() {
    assertEquals("flag AC", FluentEmojiCatalog.caption(FluentEmojiCatalog.parse("1f1e6-1f1e8.webp").codePoints()));
    assertEquals("digit zero keycap",
        FluentEmojiCatalog.caption(FluentEmojiCatalog.parse("0030-fe0f-20e3.webp").codePoints()));
    assertNull(FluentEmojiCatalog.parse("README.md"));
  }

  @Test
  void splitOf_isSharedByAllTonesOfAGesture() {
    Split s = FluentEmojiCatalog.splitOf(FluentEmojiCatalog.parse("1f44b-1f3fb.webp").baseId());
    for (String t : new String[] {"1f3fc", "1f3fd", "1f3fe", "1f3ff"}) {
      assertEquals(s, FluentEmojiCatalog.splitOf(FluentEmojiCatalog.parse("1f44b-" + t + ".webp").baseId()));
    }
  }

  @Test
  void rows_fixtureSlice_markTonedPrivateAndSubjectsWithTone() throws IOException {
    Path folder = Fixtures.require("fluent-emoji/anim-1", ".ci/fixtures.d/21-fluent-emoji.sh");
    List<ManifestRow> rows = FluentEmojiCatalog.rows(folder, true);
    assertEquals(53, rows.size()); // 48 untoned + 5 tones of father christmas; the 2 stills are left out
    List<ManifestRow> santa = rows.stream().filter(r -> r.subject().startsWith("1f385-")).toList();
    assertEquals(5, santa.size());
    assertTrue(santa.stream().allMatch(r -> r.provenance() == Provenance.PRIVATE));
    assertEquals(5, santa.stream().map(ManifestRow::subject).distinct().count());
    assertEquals(1, santa.stream().map(ManifestRow::split).distinct().count());
    assertTrue(santa.stream().allMatch(r -> r.caption().equals("father christmas")));
    assertEquals(48, rows.stream().filter(r -> r.provenance() == Provenance.PUBLIC
        && r.group(FluentEmojiCatalog.SKIN_TONE).equals("unspecified")).count());
    assertEquals(2, FluentEmojiCatalog.rows(folder, false).size());
  }
}
