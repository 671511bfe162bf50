package org.dpvideo.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README and every page under {@code docs/} link only to files and headings that exist, so a renamed
 * page or section cannot leave a reader at a dead link.
 */
class DocumentationLinksTest {
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*)$", Pattern.MULTILINE);

  @Test
  void links_inReadmeAndDocs_pointToExistingFilesAndHeadings() throws IOException {
    Path root = repositoryRoot();
    List<Path> pages = new ArrayList<>();
    pages.add(root.resolve("README.md"));
    try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    assertTrue(pages.size() > 10, "expected the docs pages, found " + pages);
    List<String> broken = new ArrayList<>();
    for (Path page : pages) {
      String text = Files.readString(page, StandardCharsets.UTF_8);
      Matcher m = LINK.matcher(text);
      while (m.find()) {
        String target = m.group(1);
        if (target.matches("^[a-z]+:.*")) {
          continue; // absolute URLs are not checked (no network in tests)
        }
        String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
        String anchor = target.contains("#") ? target.substring(target.indexOf('#') + 1) : null;
        Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
        String where = root.relativize(page) + " -> " + target;
        if (!Files.exists(resolved)) {
          broken.add(where + " (no such file)");
        } else if (anchor != null && resolved.toString().endsWith(".md")
            && !anchors(Files.readString(resolved, StandardCharsets.UTF_8)).contains(anchor)) {
          broken.add(where + " (no such heading)");
        }
      }
    }
    assertEquals(List.of(), broken);
  }

  @Test
  void anchors_followGithubRules() {
    assertEquals(List.of("the-noise-generator-and-floating-point-attacks", "samediff-100-m21-pitfalls"),
        anchors("## The noise generator and floating-point attacks\n### SameDiff 1.0.0-M2.1 pitfalls\n"));
  }

  /** GitHub's heading anchors: lower case, punctuation except '-' and '_' removed, spaces to '-'. */
  static List<String> anchors(String markdown) {
    List<String> out = new ArrayList<>();
    Matcher m = HEADING.matcher(markdown.replaceAll("(?s)```.*?```", ""));
    while (m.find()) {
      String slug = m.group(1).strip().toLowerCase(Locale.ROOT)
          .replaceAll("[`*]", "")
          .replaceAll("[^\\p{L}\\p{N} _-]", "")
          .replace(' ', '-');
      out.add(slug);
    }
    return out;
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !(Files.isDirectory(dir.resolve("docs")) && Files.exists(dir.resolve("README.md")))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("cannot find the repository root (README.md and docs/) above "
          + Path.of("").toAbsolutePath());
    }
    return dir;
  }
}
