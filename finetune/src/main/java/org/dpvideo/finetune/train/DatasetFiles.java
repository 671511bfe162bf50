package org.dpvideo.finetune.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files behind a dataset's manifest rows, for the ledger's dataset fingerprint: a row may name one
 * video file or a folder of frame images; a folder contributes every regular file in it, in name order.
 * Stateless.
 */
public final class DatasetFiles {
  private DatasetFiles() {}

  /**
   * Every file of the rows' paths, folders expanded (sorted), in row order.
   *
   * @throws UncheckedIOException if a folder cannot be listed
   */
  public static List<Path> expand(List<Path> paths) {
    List<Path> out = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.walk(p)) {
          s.filter(Files::isRegularFile).sorted().forEach(out::add);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot list the frames folder " + p + ": " + e.getMessage(), e);
        }
      } else {
        out.add(p);
      }
    }
    return out;
  }
}
