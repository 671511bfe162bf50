package org.dpvideo.tokenizer.dataset;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.dpvideo.tokenizer.video.Clip;
import org.dpvideo.tokenizer.video.ClipSampler;
import org.dpvideo.tokenizer.video.ClipSpec;
import org.dpvideo.tokenizer.video.VideoInfo;
import org.dpvideo.tokenizer.video.VideoReader;
import org.dpvideo.tokenizer.video.VideoWriter;

/**
 * Counts per split, provenance and group; frame-count, duration and size statistics of (a spread-out
 * sample of) the files; and a contact-sheet PNG of sample frames. Stateless and thread-safe.
 */
public final class DatasetInspector {
  private DatasetInspector() {}

  /**
   * Inspects {@code manifest}.
   *
   * @param probeLimit at most this many files are fully decoded for frame statistics (spread evenly)
   * @param contactSheet where to write the contact sheet PNG, or {@code null} for none
   * @param tiles at most this many tiles on the contact sheet (first frame and middle frame of each video)
   */
  public static DatasetInspection inspect(Manifest manifest, int probeLimit, Path contactSheet, int tiles)
      throws IOException {
    List<ManifestRow> rows = manifest.rows();
    Map<String, Long> perSplit = new TreeMap<>(Manifest.countBy(rows, r -> r.split().label()));
    Map<String, Long> perProv = new TreeMap<>(Manifest.countBy(rows, r -> r.provenance().label()));
    Map<String, Map<String, Long>> perGroup = new LinkedHashMap<>();
    for (String g : manifest.groupNames()) {
      perGroup.put(g, new TreeMap<>(Manifest.countBy(rows, r -> r.group(g))));
    }
    long subjects = rows.stream().map(ManifestRow::subject).distinct().count();
    List<ManifestRow> probe = spread(rows, probeLimit);
    List<Double> frames = new ArrayList<>();
    List<Double> durations = new ArrayList<>();
    List<Double> widths = new ArrayList<>();
    List<Double> heights = new ArrayList<>();
    List<String> bad = new ArrayList<>();
    int alpha = 0;
    for (ManifestRow r : probe) {
      try {
        VideoInfo info = VideoReader.probe(r.path());
        frames.add((double) info.frameCount());
        durations.add(info.durationMicros() / 1e6);
        widths.add((double) info.width());
        heights.add((double) info.height());
        alpha += info.hasTransparency() ? 1 : 0;
      } catch (RuntimeException e) {
        bad.add("line " + r.line() + ": " + e.getMessage());
      }
    }
    String sheet = null;
    if (contactSheet != null) {
      writeContactSheet(spread(rows, Math.max(1, tiles / 2)), contactSheet);
      sheet = contactSheet.toString();
    }
    return new DatasetInspection(manifest.source().toString(), rows.size(), manifest.skippedRows(), (int) subjects,
        perSplit, perProv, perGroup, probe.size(), DatasetInspection.Stats.of(unbox(frames)),
        DatasetInspection.Stats.of(unbox(durations)), DatasetInspection.Stats.of(unbox(widths)),
        DatasetInspection.Stats.of(unbox(heights)), alpha, bad, sheet);
  }

  /** A grid of 64x64 tiles, 8 per line: for each row, its first frame and the frame half a second in. */
  private static void writeContactSheet(List<ManifestRow> rows, Path out) throws IOException {
    int tile = 64;
    int cols = 8;
    ClipSpec spec = new ClipSpec(2, 2.0, tile, tile, 0xFFFFFF); // frames at 0 s and 0.5 s
    List<BufferedImage> images = new ArrayList<>();
    for (ManifestRow r : rows) {
      try {
        Clip c = ClipSampler.sample(r.path(), spec);
        images.add(VideoWriter.image(c, 0, 1));
        images.add(VideoWriter.image(c, 1, 1));
      } catch (RuntimeException e) {
        // undecodable files are listed by the statistics; leave their tiles blank
        images.add(new BufferedImage(tile, tile, BufferedImage.TYPE_INT_RGB));
        images.add(new BufferedImage(tile, tile, BufferedImage.TYPE_INT_RGB));
      }
    }
    int n = Math.max(1, images.size());
    int gridRows = (n + cols - 1) / cols;
    BufferedImage sheet = new BufferedImage(cols * tile, gridRows * tile, BufferedImage.TYPE_INT_RGB);
    var g = sheet.createGraphics();
    g.setColor(java.awt.Color.LIGHT_GRAY);
    g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
    for (int i = 0; i < images.size(); i++) {
      g.drawImage(images.get(i), (i % cols) * tile, (i / cols) * tile, null);
    }
    g.dispose();
    Path dir = out.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + out.getFileName(), ".part");
    try {
      ImageIO.write(sheet, "png", tmp.toFile());
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static List<ManifestRow> spread(List<ManifestRow> rows, int n) {
    if (rows.size() <= n) {
      return rows;
    }
    List<ManifestRow> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(rows.get((int) ((long) i * rows.size() / n)));
    }
    return out;
  }

  private static double[] unbox(List<Double> v) {
    double[] out = new double[v.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = v.get(i);
    }
    return out;
  }
}
