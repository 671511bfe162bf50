package org.dpvideo.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.dpvideo.finetune.task.Task;
import org.dpvideo.tokenizer.dataset.Manifest;
import org.dpvideo.tokenizer.dataset.ManifestOptions;
import org.dpvideo.tokenizer.video.Clip;
import org.dpvideo.tokenizer.video.ClipSampler;
import org.dpvideo.tokenizer.video.VideoReader;
import org.dpvideo.tokenizer.video.VideoWriter;

/**
 * A domain fine-tune: in-house fixed-camera footage (OpenCV's {@code vtest.avi}: a static street camera
 * with pedestrians, standing in for CCTV) as private data, cut into windows; public footage (Debian's
 * imageio samples {@code cockatoo.mp4} and {@code realshort.mp4}) for the tokenizer and the base. Task:
 * frame continuation. Each window is its own privacy unit (the footage has no person ids; with them, use
 * the person as the subject).
 */
public final class DomainExample {
  private DomainExample() {}

  /**
   * Runs the domain fine-tune.
   *
   * @param videos the folder with vtest.avi, cockatoo.mp4 and realshort.mp4
   * @param privateWindows windows cut from vtest.avi (the last sixth are held out)
   */
  public static PrivateFineTuneExample.Result runExample(Path work, Path videos, int privateWindows,
      PrivateFineTuneExample.Settings s, Consumer<String> log) throws IOException {
    Path clips = work.resolve("windows");
    Files.createDirectories(clips);
    Path pub = windows(List.of(videos.resolve("cockatoo.mp4"), videos.resolve("realshort.mp4")), 12, "public",
        "a bird on a branch", clips, s, 0);
    int held = Math.max(2, privateWindows / 6);
    Path train = windows(List.of(videos.resolve("vtest.avi")), privateWindows - held, "private",
        "pedestrians on a street from a fixed camera", clips, s, 0);
    Path heldOut = windows(List.of(videos.resolve("vtest.avi")), held, "private-heldout",
        "pedestrians on a street from a fixed camera", clips, s, privateWindows - held);
    return PrivateFineTuneExample.run(work.resolve("domain"), load(pub), load(train), load(heldOut),
        Task.FRAME_CONTINUATION, s, log);
  }

  /** Cuts {@code count} evenly spaced windows (after the first {@code skip}) into GIFs and a manifest. */
  static Path windows(List<Path> sources, int count, String kind, String caption, Path dir,
      PrivateFineTuneExample.Settings s, int skip) throws IOException {
    List<String> lines = new ArrayList<>(List.of("path,caption,subject,split,provenance"));
    int total = count + skip;
    for (int i = skip; i < total; i++) {
      Path src = sources.get(i % sources.size());
      double duration = VideoReader.probe(src).durationMicros() / 1e6;
      double span = Math.max(0, duration - s.spec().durationSeconds());
      int perSource = (total + sources.size() - 1) / sources.size();
      double start = span * (i / sources.size()) / Math.max(1, perSource - 1);
      Clip c = ClipSampler.sample(src, s.spec(), start);
      String name = kind + "-" + i + ".gif";
      VideoWriter.writeGif(c, dir.resolve(name), 1);
      c.frames().close();
      String provenance = kind.startsWith("private") ? "private" : "public";
      String split = kind.endsWith("heldout") ? "test" : "train";
      lines.add(String.format(Locale.ROOT, "%s,%s,%s-%d,%s,%s", name, caption, kind, i, split, provenance));
    }
    Path csv = dir.resolve(kind + ".csv");
    Files.write(csv, lines);
    return csv;
  }

  private static Manifest load(Path csv) {
    return Manifest.load(csv, ManifestOptions.DEFAULT);
  }
}
