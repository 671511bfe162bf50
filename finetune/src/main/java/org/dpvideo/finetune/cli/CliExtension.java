package org.dpvideo.finetune.cli;

import java.util.List;

/**
 * Commands contributed by optional modules that the CLI must not depend on (the Spark module
 * {@code distributed} adds {@code bench distributed}). Implementations are found with
 * {@link java.util.ServiceLoader} (file {@code META-INF/services/org.dpvideo.finetune.cli.CliExtension})
 * when their module is on the classpath; they must not load heavy classes until a command runs.
 */
public interface CliExtension {
  /** New picocli command objects to add under {@code dpvideo}. */
  default List<Object> subcommands() {
    return List.of();
  }

  /** New picocli command objects to add under {@code dpvideo bench}. */
  default List<Object> benchSubcommands() {
    return List.of();
  }
}
