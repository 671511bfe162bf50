package org.dpvideo.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Test fixtures made or fetched by {@code .ci/fixtures.d/*.sh} into {@code .fixtures/} at the
 * repository root (system property {@code dpvideo.fixtures}, or environment {@code DPVIDEO_FIXTURES}).
 *
 * <p>A test that needs a missing fixture is skipped with the command that makes it, except when
 * {@code DPVIDEO_REQUIRE_FIXTURES=1} (set by {@code .ci/run}): then it fails, so CI cannot pass by
 * skipping.
 */
public final class Fixtures {
  private Fixtures() {}

  /** The fixtures directory (may not exist). */
  public static Path root() {
    String dir = System.getProperty("dpvideo.fixtures");
    if (dir == null || dir.isBlank()) {
      dir = System.getenv("DPVIDEO_FIXTURES");
    }
    if (dir == null || dir.isBlank()) {
      dir = ".fixtures";
    }
    return Paths.get(dir).toAbsolutePath().normalize();
  }

  /**
   * The fixture at {@code relative} under {@link #root()}; skips the test (or fails it in CI) when it
   * is missing.
   *
   * @param relative path under the fixtures directory, e.g. {@code "video/cockatoo.mp4"}
   * @param makeItWith the script that makes it, e.g. {@code ".ci/fixtures.d/10-video.sh"}
   */
  public static Path require(String relative, String makeItWith) {
    Path p = root().resolve(relative);
    if (!Files.exists(p)) {
      String msg = "fixture " + p + " is missing; make it with: bash " + makeItWith + " " + root();
      if ("1".equals(System.getenv("DPVIDEO_REQUIRE_FIXTURES"))) {
        Assertions.fail(msg);
      }
      Assumptions.abort(msg);
    }
    return p;
  }

  /** The repository root (system property {@code dpvideo.home}, else the working directory). */
  public static Path repositoryRoot() {
    String home = System.getProperty("dpvideo.home");
    return (home == null || home.isBlank() ? Paths.get("") : Paths.get(home)).toAbsolutePath().normalize();
  }
}
