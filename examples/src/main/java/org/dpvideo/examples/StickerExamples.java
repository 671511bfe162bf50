package org.dpvideo.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.dpvideo.finetune.demo.DrawnStickers;
import org.dpvideo.finetune.task.Task;
import org.dpvideo.tokenizer.dataset.Manifest;
import org.dpvideo.tokenizer.dataset.ManifestOptions;
import org.dpvideo.tokenizer.dataset.ManifestRow;
import org.dpvideo.tokenizer.dataset.Provenance;
import org.dpvideo.tokenizer.dataset.Split;

/**
 * Two sticker fine-tunes on stickers drawn in Java (offline): {@link #animation} (sticker animation:
 * caption + first frame, the demo's task) and {@link #personalization} (the subject's reference image in
 * the prefix). Public: untoned shapes; private: toned people and gestures, one subject per animation.
 */
public final class StickerExamples {
  private StickerExamples() {}

  /** The sticker-animation fine-tune. */
  public static PrivateFineTuneExample.Result animation(Path work, PrivateFineTuneExample.Settings s,
      Consumer<String> log) throws IOException {
    return runExample(work, Task.IMAGE_TO_VIDEO, s, log);
  }

  /** The personalization fine-tune. */
  public static PrivateFineTuneExample.Result personalization(Path work, PrivateFineTuneExample.Settings s,
      Consumer<String> log) throws IOException {
    return runExample(work, Task.PERSONALIZATION, s, log);
  }

  /** Draws the stickers (once per work directory) and runs the recipe on {@code task}. */
  public static PrivateFineTuneExample.Result runExample(Path work, Task task, PrivateFineTuneExample.Settings s,
      Consumer<String> log) throws IOException {
    Path stickers = work.resolve("stickers");
    if (!Files.isRegularFile(stickers.resolve(DrawnStickers.MARKER))) {
      DrawnStickers.write(stickers, log);
    }
    Manifest all = Manifest.load(stickers.resolve("manifest.csv"), ManifestOptions.DEFAULT);
    Manifest pub = subset(all, r -> r.provenance() == Provenance.PUBLIC && r.split() == Split.TRAIN, 32, "public");
    Manifest train = subset(all, r -> r.provenance() != Provenance.PUBLIC && r.split() == Split.TRAIN, 40,
        "private-train");
    Manifest held = subset(all, r -> r.provenance() != Provenance.PUBLIC && r.split() != Split.TRAIN, 12,
        "private-heldout");
    return PrivateFineTuneExample.run(work.resolve(task.label()), pub, train, held, task, s, log);
  }

  static Manifest subset(Manifest all, Predicate<ManifestRow> keep, int max, String name) throws IOException {
    List<ManifestRow> rows = new ArrayList<>();
    for (ManifestRow r : all.rows()) {
      if (keep.test(r) && rows.size() < max) {
        rows.add(r);
      }
    }
    Manifest m = Manifest.of(all.source().resolveSibling(name + ".csv"), all.groupNames(), rows);
    m.write(m.source());
    return m;
  }
}
