package org.dpvideo.finetune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code docs/cli.md} is the usage text of every command, generated from the command tree, so it cannot
 * drift from the code. After changing a command, regenerate it with
 * {@code mvn -B -q -pl finetune -am verify -Dtest=CliReferenceTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Ddpvideo.writeCliReference=true}.
 */
class CliReferenceTest {
  private static final int WIDTH = 100;

  @Test
  void cliReference_inDocs_matchesTheCommands() throws IOException {
    Path doc = repositoryRoot().resolve("docs/cli.md");
    String expected = render();
    if (Boolean.getBoolean("dpvideo.writeCliReference")) {
      Files.writeString(doc, expected, StandardCharsets.UTF_8);
    }
    String actual = Files.exists(doc) ? Files.readString(doc, StandardCharsets.UTF_8) : "";
    assertEquals(expected, actual, "docs/cli.md is out of date; regenerate it (see this test's Javadoc)");
  }

  static String render() {
    List<CommandLine> all = new ArrayList<>();
    collect(DpvideoCli.commandLine(), all);
    StringBuilder b = new StringBuilder();
    b.append("# CLI reference\n\n")
        .append("Every `dpvideo` command with its options, generated from the code by `CliReferenceTest`\n")
        .append("(regenerate: see that test). Errors in bad input exit with code 2 and one sentence naming the\n")
        .append("problem; `--verbose` adds the stack trace. `bench distributed` and `finetune --spark` come from\n")
        .append("the optional `distributed` module ([distributed.md](distributed.md)); the launcher builds it when\n")
        .append("a command needs it.\n\n");
    b.append("| command | what it does |\n|---|---|\n");
    for (CommandLine cl : all.subList(1, all.size())) {
      String[] d = cl.getCommandSpec().usageMessage().description();
      String first = String.join(" ", d).replace("%%", "%").replace("%n", " ");
      int stop = first.indexOf(". ");
      b.append("| `").append(cl.getCommandSpec().qualifiedName()).append("` | ")
          .append((stop > 0 ? first.substring(0, stop + 1) : first).replace("|", "\\|").replace("<", "&lt;")).append(" |\n");
    }
    for (CommandLine cl : all) {
      b.append("\n## ").append(cl.getCommandSpec().qualifiedName()).append("\n\n```\n");
      cl.setUsageHelpWidth(WIDTH);
      b.append(cl.getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing()).append("\n```\n");
    }
    return b.toString();
  }

  private static void collect(CommandLine cl, List<CommandLine> into) {
    into.add(cl);
    for (CommandLine sub : cl.getSubcommands().values()) {
      if (!into.contains(sub) && !sub.getCommandSpec().name().equals("help")) {
        collect(sub, into);
      }
    }
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !(Files.isDirectory(dir.resolve("docs")) && Files.exists(dir.resolve("pom.xml"))
        && Files.exists(dir.resolve("README.md")))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("cannot find the repository root above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }
}
