package org.dpvideo.finetune.cli;

/**
 * A failure whose message is complete for the user (what, the value, what was expected, the fix);
 * the CLI prints it without suggesting {@code --verbose}.
 */
public class UserFacingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UserFacingException(String message) {
    super(message);
  }

  public UserFacingException(String message, Throwable cause) {
    super(message, cause);
  }
}
