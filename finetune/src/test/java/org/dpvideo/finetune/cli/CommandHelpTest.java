package org.dpvideo.finetune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's help renders cleanly: picocli formats descriptions with {@code String.format}, so a
 * stray {@code %} in a description prints a warning on every {@code --help} (it did, once).
 */
class CommandHelpTest {

  @Test
  void help_everyCommand_rendersWithoutPicocliWarnings() {
    List<CommandLine> all = new ArrayList<>();
    collect(DpvideoCli.commandLine(), all);
    assertTrue(all.size() > 10, "expected the whole command tree, found " + all.size() + " commands");
    PrintStream originalErr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    List<String> failures = new ArrayList<>();
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      for (CommandLine cl : all) {
        captured.reset();
        String usage = cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
        String warnings = captured.toString(StandardCharsets.UTF_8);
        if (warnings.contains("picocli WARN") || usage.isBlank()) {
          failures.add(cl.getCommandSpec().qualifiedName() + ": " + warnings.strip());
        }
      }
    } finally {
      System.setErr(originalErr);
    }
    assertEquals(List.of(), failures);
  }

  @Test
  void helpOption_everyCommand_printsUsageAndExitsZero() {
    List<CommandLine> all = new ArrayList<>();
    collect(DpvideoCli.commandLine(), all);
    List<String> failures = new ArrayList<>();
    for (CommandLine cl : all) {
      String name = cl.getCommandSpec().qualifiedName();
      if (name.endsWith(" help")) {
        continue;
      }
      List<String> args = new ArrayList<>(List.of(name.split(" ")).subList(1, name.split(" ").length));
      args.add("--help");
      CliRun run = CliRun.of(args.toArray(String[]::new));
      if (run.exitCode() != 0 || !run.out().startsWith("Usage: " + name)) {
        failures.add(name + " --help: exit " + run.exitCode() + ", " + run.err().strip());
      }
    }
    assertEquals(List.of(), failures);
  }

  @Test
  void help_everyCommand_hasADescription() {
    List<CommandLine> all = new ArrayList<>();
    collect(DpvideoCli.commandLine(), all);
    for (CommandLine cl : all) {
      String[] description = cl.getCommandSpec().usageMessage().description();
      assertFalse(description.length == 0 || description[0].isBlank(),
          cl.getCommandSpec().qualifiedName() + " has no description");
    }
  }

  private static void collect(CommandLine cl, List<CommandLine> into) {
    into.add(cl);
    for (CommandLine sub : cl.getSubcommands().values()) {
      if (!into.contains(sub)) {
        collect(sub, into);
      }
    }
  }
}
