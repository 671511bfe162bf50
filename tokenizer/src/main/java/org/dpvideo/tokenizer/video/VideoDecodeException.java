package org.dpvideo.tokenizer.video;

import java.nio.file.Path;

/**
 * A video or image file that cannot be decoded; the message names the file and the problem
 * ({@code cannot read FILE: PROBLEM}). Bad input, so it is an {@link IllegalArgumentException}.
 */
public final class VideoDecodeException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final transient Path file;
  private final String problem;

  /**
   * @param file the file
   * @param problem what is wrong, as a sentence fragment ("is truncated: ...")
   */
  public VideoDecodeException(Path file, String problem) {
    this(file, problem, null);
  }

  /** As {@link #VideoDecodeException(Path, String)} with the underlying cause. */
  public VideoDecodeException(Path file, String problem, Throwable cause) {
    super("cannot read " + file + ": " + problem, cause);
    this.file = file;
    this.problem = problem;
  }

  /** The file that failed. */
  public Path file() {
    return file;
  }

  /** The problem without the file name. */
  public String problem() {
    return problem;
  }
}
