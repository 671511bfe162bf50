package org.dpvideo.finetune.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.dpvideo.dpsgd.ledger.LedgerLocation;
import org.dpvideo.finetune.demo.DemoSettings;
import org.dpvideo.finetune.demo.StickerDemo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dpvideo demo}: the whole mission on stickers. Fetches the Fluent Emoji stickers (or draws
 * stickers in Java when that is impossible), fits the tokenizer on public stickers, pretrains a small base
 * on the public part (cached), fine-tunes it with DPSGD-Global-Adapt on the skin-toned stickers as private
 * data (subject-level, epsilon 8 at delta 1/N^1.1, one tone kept at 20%), evaluates every tone against the
 * base model, writes {@code runs/<id>/} with samples, metrics and the privacy/fairness report, and prints a
 * summary.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Run the sticker demo end to end: fetch, tokenize, pretrain a public base (cached),",
        "fine-tune privately on skin-toned stickers, evaluate per skin tone, write runs/<id>/ with samples,",
        "metrics.json and the report. About 15 minutes on 2 cores (--quick: about 4-5 minutes from cold caches)."})
public final class DemoCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--quick", description = "Quick settings (CI): sticker package 1, a short base pretraining,"
      + " one fine-tune of 30 steps.")
  boolean quick;

  @Option(names = "--seeds", paramLabel = "N", description = "Fine-tuning runs (each its own ledger run); the report"
      + " gives mean and spread over them. Default: 3 (1 with --quick).")
  Integer seeds;

  @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "data/fluent-emoji",
      description = "Where the stickers are, or are fetched to (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--runs-dir", paramLabel = "DIR", defaultValue = "runs",
      description = "Where runs/<id>/ and the caches go (default: ${DEFAULT-VALUE}).")
  Path runsDir;

  @Option(names = "--ledger", paramLabel = "PATH_OR_JDBC_URL", description = "Record the runs in this budget ledger"
      + " (SQLite file or PostgreSQL URL). Default: a new ledger in the run directory.")
  String ledger;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path root = Path.of("");
    DemoSettings s = quick ? DemoSettings.quick(root) : DemoSettings.standard(root);
    s = s.withRunsDir(runsDir).withData(new org.dpvideo.finetune.demo.StickerDataset.Settings(dataDir,
        runsDir.resolve(".cache"), s.data().parts(), s.data().maxPublicVideos(), s.data().maxPublicHeldOut(),
        s.data().maxStills(), s.data().tokenizerVideos(), s.data().vq(), s.data().underrepresentedTone(),
        s.data().underrepresentedKeep(), s.data().filter(), s.data().threads()));
    if (seeds != null) {
      if (seeds < 1) {
        throw new IllegalArgumentException("--seeds must be >= 1, got " + seeds);
      }
      s = s.withSeeds(seeds);
    }
    LedgerLocation location = ledger == null ? null : LedgerLocation.parse(ledger);
    StickerDemo.run(s, location, "dpvideo demo" + (quick ? " --quick" : ""), out, System.err);
    return 0;
  }
}
