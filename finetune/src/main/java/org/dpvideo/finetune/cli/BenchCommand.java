package org.dpvideo.finetune.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code dpvideo bench ...}: benchmarks that print their figures (and ratios measured in the same run).
 * Each benchmark is a subcommand; figures are recorded in {@code docs/benchmarks.md} with the command
 * that produced them.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Run a benchmark and print its figures.",
    subcommands = {AccountingBenchCommand.class, LedgerBenchCommand.class, DpStepBenchCommand.class,
        MisalignmentBench.class, TokenizerBenchCommand.class, TrainBenchCommand.class, GenerateBenchCommand.class})
public final class BenchCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
