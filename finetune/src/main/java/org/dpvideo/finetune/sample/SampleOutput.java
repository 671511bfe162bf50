package org.dpvideo.finetune.sample;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.dpvideo.tokenizer.GridShape;
import org.dpvideo.tokenizer.TokenGrid;
import org.dpvideo.tokenizer.VideoTokenizer;
import org.dpvideo.tokenizer.video.Clip;
import org.dpvideo.tokenizer.video.VideoWriter;

/**
 * Turns generated samples into files a person can watch: decodes their token grids with the video
 * tokenizer, writes one GIF or MP4 per sample and a labelled {@link ContactSheet} of all of them. Every
 * file is written to a temporary file and renamed, so an interrupted run leaves no half-written file.
 *
 * <p>Stateless and thread-safe (as far as the tokenizer is).
 */
public final class SampleOutput {
  private SampleOutput() {}

  /**
   * The files written for a set of samples.
   *
   * @param videos one file per sample, in sample order
   * @param contactSheet the PNG contact sheet
   */
  public record Files(List<Path> videos, Path contactSheet) {
    /** Copies. */
    public Files {
      videos = List.copyOf(videos);
      Objects.requireNonNull(contactSheet, "contactSheet");
    }
  }

  /**
   * Decodes the samples' grids to clips played at {@code fps} (grids of one shape are decoded in one
   * batch).
   *
   * @throws IllegalStateException when a sample holds an id that is not a video code
   * @throws IllegalArgumentException when a grid holds a code beyond the tokenizer's vocabulary
   */
  public static List<Clip> decode(VideoTokenizer tokenizer, List<GeneratedSample> samples, double fps) {
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("there are no samples to decode.");
    }
    List<TokenGrid> grids = new ArrayList<>(samples.size());
    for (GeneratedSample s : samples) {
      grids.add(s.grid());
    }
    return decodeGrids(tokenizer, grids, fps);
  }

  /** Decodes token grids (codes of the tokenizer's own vocabulary) to clips, batching grids of one shape. */
  public static List<Clip> decodeGrids(VideoTokenizer tokenizer, List<TokenGrid> grids, double fps) {
    for (int i = 0; i < grids.size(); i++) {
      if (grids.get(i).maxIdExclusive() > tokenizer.vocabSize()) {
        throw new IllegalArgumentException("grid " + i + " holds code " + (grids.get(i).maxIdExclusive() - 1)
            + " but the tokenizer " + tokenizer.version() + " has only " + tokenizer.vocabSize() + " codes; decode"
            + " with the tokenizer the model was trained with.");
      }
    }
    Clip[] out = new Clip[grids.size()];
    // Decode runs of one shape together (the tokenizer decodes a batch of one shape).
    int i = 0;
    while (i < grids.size()) {
      GridShape shape = grids.get(i).shape();
      int j = i;
      while (j < grids.size() && grids.get(j).shape().equals(shape)) {
        j++;
      }
      List<Clip> dec = tokenizer.decodeBatch(grids.subList(i, j), fps);
      for (int k = i; k < j; k++) {
        out[k] = dec.get(k - i);
      }
      i = j;
    }
    return List.of(out);
  }

  /**
   * Writes {@code dir/<prefix><i>.<ext>} for every clip and {@code dir/<prefix>contact-sheet.png}.
   *
   * @param clips decoded samples
   * @param labels one label per clip for the contact sheet
   * @param title the contact sheet's title (e.g. the prompt and sampler settings), or empty
   * @param format GIF or MP4
   * @param scale integer upscaling of the frames in [1, 16]
   */
  public static Files write(Path dir, String prefix, List<Clip> clips, List<String> labels, String title,
      SampleFormat format, int scale) throws IOException {
    if (clips.isEmpty()) {
      throw new IllegalArgumentException("there are no clips to write.");
    }
    if (labels.size() != clips.size()) {
      throw new IllegalArgumentException("one label per clip is needed, got " + labels.size() + " labels for "
          + clips.size() + " clips.");
    }
    if (prefix.contains("/") || prefix.contains("\\") || prefix.contains("..")) {
      throw new IllegalArgumentException("file prefix '" + prefix + "' must be a plain file-name prefix, e.g. sample-.");
    }
    List<Path> videos = new ArrayList<>();
    List<ContactSheet.Row> rows = new ArrayList<>();
    for (int i = 0; i < clips.size(); i++) {
      Path p = dir.resolve(prefix + i + "." + format.extension());
      Clip c = clips.get(i);
      if (format == SampleFormat.MP4) {
        int s = (c.width() * scale) % 2 == 0 && (c.height() * scale) % 2 == 0 ? scale : scale * 2;
        VideoWriter.writeMp4(c, p, s);
      } else {
        VideoWriter.writeGif(c, p, scale);
      }
      videos.add(p);
      rows.add(new ContactSheet.Row(labels.get(i), c));
    }
    Path sheet = dir.resolve(prefix + "contact-sheet.png");
    ContactSheet.write(title, rows, Math.min(scale, 16), sheet);
    return new Files(videos, sheet);
  }
}
