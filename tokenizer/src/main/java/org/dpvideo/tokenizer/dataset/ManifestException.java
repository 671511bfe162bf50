package org.dpvideo.tokenizer.dataset;

import java.nio.file.Path;
import java.util.List;

/**
 * A manifest with problems: the message lists every problem with its line number (not just the first),
 * and how to skip bad rows. Bad input, so an {@link IllegalArgumentException}.
 */
public final class ManifestException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final List<String> problems;

  /**
   * @param manifest the CSV file
   * @param problems one line per problem, each starting with {@code line N:} where a line is known
   * @param hint what to do about it
   */
  public ManifestException(Path manifest, List<String> problems, String hint) {
    super("manifest " + manifest + " has " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s")
        + ":\n  " + String.join("\n  ", problems) + (hint.isEmpty() ? "" : "\n" + hint));
    this.problems = List.copyOf(problems);
  }

  /** The problems, one per entry. */
  public List<String> problems() {
    return problems;
  }
}
