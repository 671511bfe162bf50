package org.dpvideo.finetune.demo;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import org.dpvideo.finetune.data.QualityFilter;
import org.dpvideo.finetune.model.FineTuneMode;
import org.dpvideo.tokenizer.vq.VqConfig;

/**
 * The demo's settings; {@link #standard} (under 15 minutes on 2 cores) and {@link #quick} (under 3).
 *
 * @param quick whether these are the quick settings
 * @param data the data settings
 * @param runsDir where {@code runs/<id>/} is created
 * @param layers model depth
 * @param width model width
 * @param heads attention heads
 * @param pretrainSteps steps of base pretraining (cached)
 * @param pretrainBatch video sequences per pretraining step (image steps take four times as many)
 * @param targetEpsilon epsilon of each fine-tuning run, at delta = 1/N^1.1
 * @param expectedBatch expected units per private step (q = expectedBatch / N)
 * @param fineTuneSteps private steps per run
 * @param learningRate Adam's learning rate of the fine-tune
 * @param mode what the fine-tune trains
 * @param seeds fine-tuning runs (each a ledger run; the report gives mean and spread over them)
 * @param samplesPerTone sample animations per skin tone
 */
public record DemoSettings(boolean quick, StickerDataset.Settings data, Path runsDir, int layers, int width, int heads,
    long pretrainSteps, int pretrainBatch, double targetEpsilon, double expectedBatch, long fineTuneSteps,
    double learningRate, FineTuneMode mode, int seeds, int samplesPerTone) {
  public DemoSettings {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(runsDir, "runsDir");
    Objects.requireNonNull(mode, "mode");
    if (seeds < 1 || fineTuneSteps < 1 || pretrainSteps < 1 || samplesPerTone < 0) {
      throw new IllegalArgumentException("seeds, steps must be >= 1 and samples >= 0");
    }
  }

  /**
   * The default demo: sticker package 1 (its public and toned animations) and 600 3-D stills, a 3-block base
   * pretrained for 300 steps, three DPSGD-Global-Adapt fine-tunes of 60 steps at epsilon 8 (mean and
   * spread over the seeds), two samples per tone. Packages 2-4 would add data but not fit 15 minutes on
   * 2 cores (their decoding and tokenization alone take longer).
   */
  public static DemoSettings standard(Path root) {
    StickerDataset.Settings data = new StickerDataset.Settings(root.resolve("data/fluent-emoji"),
        root.resolve("runs/.cache"), Set.of(1), 600, 80, 600, 400, VqConfig.DEFAULT.withIterations(6), "dark", 0.2,
        QualityFilter.STICKERS, 2);
    return new DemoSettings(false, data, root.resolve("runs"), 3, 96, 4, 300, 12, 8.0, 32, 60, 3e-3,
        FineTuneMode.defaultPrivate(), 3, 2);
  }

  /**
   * The quick demo (CI): sticker package 1 with 80 public animations (tokenizer and base) and 60 stills,
   * 80 pretraining steps, one fine-tune of 30 steps on all of the package's private stickers.
   */
  public static DemoSettings quick(Path root) {
    StickerDataset.Settings data = new StickerDataset.Settings(root.resolve("data/fluent-emoji"),
        root.resolve("runs/.cache"), Set.of(1), 80, 20, 60, 80, VqConfig.DEFAULT.withIterations(6), "dark", 0.2,
        QualityFilter.STICKERS, 2);
    return new DemoSettings(true, data, root.resolve("runs"), 3, 96, 4, 80, 8, 8.0, 24, 30, 3e-3,
        FineTuneMode.defaultPrivate(), 1, 1);
  }

  /** The same with other data settings. */
  public DemoSettings withData(StickerDataset.Settings d) {
    return new DemoSettings(quick, d, runsDir, layers, width, heads, pretrainSteps, pretrainBatch, targetEpsilon,
        expectedBatch, fineTuneSteps, learningRate, mode, seeds, samplesPerTone);
  }

  /** The same with another number of seeds. */
  public DemoSettings withSeeds(int n) {
    return new DemoSettings(quick, data, runsDir, layers, width, heads, pretrainSteps, pretrainBatch, targetEpsilon,
        expectedBatch, fineTuneSteps, learningRate, mode, n, samplesPerTone);
  }

  /** The same with other step counts. */
  public DemoSettings withSteps(long pretrain, long fineTune) {
    return new DemoSettings(quick, data, runsDir, layers, width, heads, pretrain, pretrainBatch, targetEpsilon,
        expectedBatch, fineTune, learningRate, mode, seeds, samplesPerTone);
  }

  /** The same with another runs directory. */
  public DemoSettings withRunsDir(Path dir) {
    return new DemoSettings(quick, data, dir, layers, width, heads, pretrainSteps, pretrainBatch, targetEpsilon,
        expectedBatch, fineTuneSteps, learningRate, mode, seeds, samplesPerTone);
  }
}
