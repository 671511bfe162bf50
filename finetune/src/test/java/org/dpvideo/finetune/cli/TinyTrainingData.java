package org.dpvideo.finetune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dpvideo.finetune.demo.DrawnStickers;

/**
 * Tiny training inputs for the pretrain/finetune CLI tests: stickers drawn in Java, a public manifest
 * (untoned shapes), a private manifest (toned people: 4 subjects per tone), a 64-code VQ tokenizer at
 * 5x16x16 and a 1-block base model pretrained for a few steps.
 *
 * @param dir the directory
 * @param publicManifest public train rows
 * @param privateManifest private train rows (20 subjects, one clip each)
 * @param tokenizer the tokenizer file
 * @param base the pretrained base model
 */
record TinyTrainingData(Path dir, Path publicManifest, Path privateManifest, Path tokenizer, Path base) {
  static final String SPEC = "5x16x16@8";

  /** Draws, fits and pretrains into {@code dir}. */
  static TinyTrainingData create(Path dir) throws IOException {
    DrawnStickers.write(dir, line -> { });
    List<String> lines = Files.readAllLines(dir.resolve("manifest.csv"));
    List<String> pub = new ArrayList<>(List.of(lines.get(0)));
    List<String> priv = new ArrayList<>(List.of(lines.get(0)));
    for (String l : lines.subList(1, lines.size())) {
      if (!l.contains(",train,")) {
        continue;
      }
      if (l.contains(",public,") && pub.size() <= 24) {
        pub.add(l);
      } else if (l.contains(",private,") && priv.size() <= 20) {
        priv.add(l);
      }
    }
    Path p = dir.resolve("public.csv");
    Path q = dir.resolve("private.csv");
    Files.write(p, pub);
    Files.write(q, priv);
    Path tok = dir.resolve("tok.vq");
    CliRun fit = CliRun.of("tokenizer", "fit", "--manifest", p.toString(), "--kind", "vq", "--out", tok.toString(),
        "--spec", SPEC, "--vocab", "64", "--max-videos", "24");
    assertEquals(0, fit.exitCode(), fit.err());
    Path base = dir.resolve("base.dpvlm");
    CliRun pre = CliRun.of("pretrain", "--manifest", p.toString(), "--tokenizer", tok.toString(), "--out",
        base.toString(), "--spec", SPEC, "--steps", "4", "--batch", "4", "--layers", "1", "--width", "16", "--heads",
        "2", "--cache", dir.resolve("cache").toString(), "--tasks", "i2v,t2v");
    assertEquals(0, pre.exitCode(), pre.err());
    return new TinyTrainingData(dir, p, q, tok, base);
  }

  /** The finetune arguments of a small seeded run into {@code runDir} recording in {@code ledger}. */
  List<String> finetuneArgs(Path runDir, Path ledger, int steps, int checkpointEvery) {
    return new ArrayList<>(List.of("finetune", "--base", base.toString(), "--tokenizer", tokenizer.toString(),
        "--manifest", privateManifest.toString(), "--run-dir", runDir.toString(), "--ledger", ledger.toString(),
        "--budget-epsilon", "50", "--rule", "dpsgd-global-adapt", "--clip-norm", "1", "--noise-multiplier", "1.1",
        "--delta", "1e-3", "--batch", "5", "--steps", String.valueOf(steps), "--checkpoint-every",
        String.valueOf(checkpointEvery), "--tasks", "i2v=2,fc=1", "--seed", "42", "--micro-batch", "8",
        "--cache", dir.resolve("cache").toString()));
  }
}
