package org.dpvideo.tokenizer.fit;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.dpvideo.tokenizer.dataset.ManifestRow;
import org.dpvideo.tokenizer.video.Clip;
import org.dpvideo.tokenizer.video.ClipSampler;
import org.dpvideo.tokenizer.video.ClipSpec;
import org.dpvideo.tokenizer.video.VideoInfo;
import org.dpvideo.tokenizer.video.VideoReader;

/**
 * Clips cut from manifest rows, each remembering its row: {@code clipsPerVideo} windows of the spec's
 * duration, spread evenly over the video (all windows of a video share its row's subject).
 *
 * @param rows the row of each clip
 * @param clips the clips, same order
 */
public record ClipSet(List<ManifestRow> rows, List<Clip> clips) {

  /** Validates. */
  public ClipSet {
    if (rows.size() != clips.size()) {
      throw new IllegalArgumentException("ClipSet needs one row per clip, got " + rows.size() + " rows and "
          + clips.size() + " clips.");
    }
    rows = List.copyOf(rows);
    clips = List.copyOf(clips);
  }

  /** Number of clips. */
  public int size() {
    return clips.size();
  }

  /**
   * Samples clips from {@code rows}.
   *
   * @param clipsPerVideo windows per video, at least 1; with 1 the window starts at the first frame
   * @param progress receives the number of rows done after each row (may be a no-op)
   */
  public static ClipSet sample(List<ManifestRow> rows, ClipSpec spec, int clipsPerVideo, Consumer<Integer> progress) {
    if (clipsPerVideo < 1 || clipsPerVideo > 1000) {
      throw new IllegalArgumentException("clipsPerVideo must be in [1, 1000], got " + clipsPerVideo + ".");
    }
    List<ManifestRow> outRows = new ArrayList<>();
    List<Clip> out = new ArrayList<>();
    int done = 0;
    for (ManifestRow r : rows) {
      double[] starts = {0.0};
      if (clipsPerVideo > 1) {
        VideoInfo info = VideoReader.probe(r.path());
        double free = Math.max(0, info.durationMicros() / 1e6 - spec.durationSeconds());
        starts = new double[clipsPerVideo];
        for (int i = 0; i < clipsPerVideo; i++) {
          starts[i] = free * i / (clipsPerVideo - 1);
        }
      }
      for (double s : starts) {
        out.add(ClipSampler.sample(r.path(), spec, s));
        outRows.add(r);
      }
      progress.accept(++done);
    }
    return new ClipSet(outRows, out);
  }
}
