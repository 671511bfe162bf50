package org.dpvideo.distributed.bench;

import java.util.List;
import org.dpvideo.finetune.cli.CliExtension;

/** Adds {@code bench distributed} to the CLI when this module is on the classpath. */
public final class DistributedCliExtension implements CliExtension {
  @Override
  public List<Object> benchSubcommands() {
    return List.of(new DistributedBenchCommand());
  }
}
