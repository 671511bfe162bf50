package org.dpvideo.tokenizer.dataset;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FluentEmojiFetcherTest {
  @Test
  void fetchPackage_tarballNotMatchingItsIntegrity_isDeletedAndReported(@TempDir Path dir) throws IOException {
    Path cache = Files.createDirectories(dir.resolve(".npm"));
    Path tgz = cache.resolve("lobehub-fluent-emoji-anim-1-1.0.0.tgz");
    Files.write(tgz, new byte[] {1, 2, 3});
    Files.writeString(cache.resolve("lobehub-fluent-emoji-anim-1-1.0.0.tgz.integrity"), "sha512-AAAA\n");
    IOException e = assertThrows(IOException.class, () -> FluentEmojiFetcher.fetchPackage(dir,
        FluentEmojiFetcher.NpmPackage.ANIM_1, line -> { }));
    assertTrue(e.getMessage().contains("integrity check failed"), e.getMessage());
    assertFalse(Files.exists(tgz));
  }

  @Test
  void part_outOfRange_isRejected() {
    assertThrows(IllegalArgumentException.class, () -> FluentEmojiFetcher.NpmPackage.part(5));
  }
}
