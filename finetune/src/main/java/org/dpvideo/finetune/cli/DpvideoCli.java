package org.dpvideo.finetune.cli;

import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code dpvideo} command. Subcommands are registered in {@link #commandLine()}.
 *
 * <p>Exit codes: 0 success, 1 the job failed (the message says why), 2 bad command-line input.
 */
@Command(
    name = "dpvideo",
    mixinStandardHelpOptions = true,
    versionProvider = DpvideoCli.Version.class,
    description = "Differentially private fine-tuning of video language models, with privacy accounting,"
        + " a budget ledger and per-group fairness reports.",
    subcommands = {
        CommandLine.HelpCommand.class,
        DemoCommand.class,
        PretrainCommand.class,
        FinetuneCommand.class,
        PrivacyCommand.class,
        BenchCommand.class,
        BudgetCommand.class,
        ReportCommand.class,
        DataCommand.class,
        TokenizerCommand.class,
        AuditCommand.class,
        ClassifyCommand.class,
        ClassifyReproduceCommand.class,
        GenerateCommand.class,
    })
public final class DpvideoCli implements Runnable {

  /** Shared by every subcommand: {@code --verbose} prints stack traces of errors. */
  @Option(names = "--verbose", scope = ScopeType.INHERIT,
      description = "Print stack traces of errors and more progress detail.")
  boolean verbose;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The configured command line, with every subcommand and the error handlers. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new DpvideoCli());
    // Optional modules (distributed) contribute commands; added before the handlers so they inherit them.
    for (CliExtension ext : java.util.ServiceLoader.load(CliExtension.class)) {
      ext.subcommands().forEach(cl::addSubcommand);
      ext.benchSubcommands().forEach(cl.getSubcommands().get("bench")::addSubcommand);
    }
    cl.setExecutionExceptionHandler(DpvideoCli::handleExecutionException);
    cl.setParameterExceptionHandler(DpvideoCli::handleParameterException);
    return cl;
  }

  /** Entry point. */
  public static void main(String[] args) {
    QuietLogging.apply();
    Optional<String> backendProblem = BackendCheck.problemWithSelectedBackend(args);
    if (backendProblem.isPresent()) {
      System.err.println("dpvideo: " + backendProblem.get());
      System.exit(1);
    }
    int code = commandLine().execute(args);
    System.exit(code);
  }

  static boolean verboseRequested(CommandLine cl) {
    CommandLine root = cl;
    while (root.getParent() != null) {
      root = root.getParent();
    }
    Object cmd = root.getCommand();
    return cmd instanceof DpvideoCli d && d.verbose;
  }

  private static int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
    PrintWriter err = cl.getErr();
    err.println(cl.getCommandSpec().qualifiedName(" ") + ": " + describe(ex));
    if (verboseRequested(cl)) {
      ex.printStackTrace(err);
    } else if (!(ex instanceof IllegalArgumentException) && !(ex instanceof UserFacingException)) {
      err.println("(run with --verbose for the stack trace)");
    }
    err.flush();
    return ex instanceof IllegalArgumentException ? 2 : 1;
  }

  private static int handleParameterException(CommandLine.ParameterException ex, String[] args) {
    CommandLine cl = ex.getCommandLine();
    PrintWriter err = cl.getErr();
    err.println(cl.getCommandSpec().qualifiedName(" ") + ": " + ex.getMessage());
    if (verboseRequested(cl)) {
      ex.printStackTrace(err);
    }
    err.println("Try '" + cl.getCommandSpec().qualifiedName(" ") + " --help' for the allowed options.");
    err.flush();
    return 2;
  }

  /** A one-line description of an error: its message, or its type when it has none. */
  static String describe(Throwable ex) {
    String msg = ex.getMessage();
    if (msg == null || msg.isBlank()) {
      return ex.getClass().getSimpleName();
    }
    return msg;
  }

  /** Version text from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = DpvideoCli.class.getPackage().getImplementationVersion();
      return new String[] {"dpvideo " + (v == null ? "(development build)" : v)};
    }
  }
}
