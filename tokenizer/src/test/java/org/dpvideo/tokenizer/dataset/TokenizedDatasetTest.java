package org.dpvideo.tokenizer.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dpvideo.testkit.Fixtures;
import org.dpvideo.tokenizer.fit.ClipSet;
import org.dpvideo.tokenizer.video.ClipSpec;
import org.dpvideo.tokenizer.vq.PatchVqTokenizer;
import org.dpvideo.tokenizer.vq.VqConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizedDatasetTest {
  @Test
  void loadOrBuild_secondCall_readsTheCacheWithTheSameTokens(@TempDir Path dir) throws IOException {
    Path folder = Fixtures.require("fluent-emoji/anim-1", ".ci/fixtures.d/21-fluent-emoji.sh");
    List<ManifestRow> rows = FluentEmojiCatalog.rows(folder, true).subList(0, 6);
    Manifest m = Manifest.of(dir.resolve("m.csv"), List.of(FluentEmojiCatalog.SKIN_TONE), rows);
    ClipSpec spec = ClipSpec.DEMO;
    PatchVqTokenizer vq = PatchVqTokenizer.fit(ClipSet.sample(rows, spec, 1, d -> { }).clips(),
        new VqConfig(64, 4, 2, 3, 10_000, 1L));
    List<String> log = new ArrayList<>();
    TokenizedDataset built = TokenizedDataset.loadOrBuild(dir.resolve("cache"), m, spec, vq, 2, log::add);
    assertFalse(built.fromCache());
    assertEquals(12, built.entries().size());
    assertEquals(1, built.entries().get(1).window());
    TokenizedDataset again = TokenizedDataset.loadOrBuild(dir.resolve("cache"), m, spec, vq, 2, log::add);
    assertTrue(again.fromCache());
    for (int i = 0; i < built.entries().size(); i++) {
      assertEquals(built.entries().get(i).grid(), again.entries().get(i).grid());
      assertEquals(built.entries().get(i).row().subject(), again.entries().get(i).row().subject());
    }
    assertTrue(built.file().toString().contains(vq.version()));
    // Another spec or tokenizer never reads this cache.
    assertNotEquals(built.file(), TokenizedDataset.cacheFile(dir.resolve("cache"), m, spec.withFps(4), vq, 2));
    PatchVqTokenizer other = PatchVqTokenizer.fit(ClipSet.sample(rows, spec, 1, d -> { }).clips(),
        new VqConfig(64, 4, 2, 3, 10_000, 2L));
    assertNotEquals(built.file(), TokenizedDataset.cacheFile(dir.resolve("cache"), m, spec, other, 2));
  }
}
