package org.dpvideo.tokenizer.video;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * One PNG/JPEG image (a one-frame video) or a folder of them played in file-name order at a given frame
 * rate. Decoded with {@link ImageIO}.
 */
final class ImageFrameSource implements FrameSource {
  private final Path path;
  private final VideoFormat format;
  private final List<Path> files;
  private final long periodMicros;
  private int index;

  ImageFrameSource(Path path, VideoFormat format, double folderFps) {
    this.path = path;
    this.format = format;
    if (format == VideoFormat.FRAME_FOLDER) {
      try (Stream<Path> s = Files.list(path)) {
        files = s.filter(p -> {
          String n = p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
          return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
        }).sorted().toList();
      } catch (IOException e) {
        throw new VideoDecodeException(path, "cannot list the frame folder: " + e.getMessage(), e);
      }
      if (files.isEmpty()) {
        throw new VideoDecodeException(path, "is a frame folder without any .png/.jpg/.jpeg file (zero frames).");
      }
      if (!Double.isFinite(folderFps) || folderFps <= 0) {
        throw new IllegalArgumentException("a frame folder needs a frame rate > 0, got " + folderFps + ".");
      }
      periodMicros = Math.round(1e6 / folderFps);
    } else {
      files = List.of(path);
      periodMicros = 0;
    }
  }

  @Override
  public Path path() {
    return path;
  }

  @Override
  public VideoFormat format() {
    return format;
  }

  @Override
  public VideoFrame next() {
    if (index >= files.size()) {
      return null;
    }
    Path file = files.get(index);
    if (format == VideoFormat.FRAME_FOLDER) {
      VideoFormat f = VideoFormat.detect(file);
      if (f != VideoFormat.PNG && f != VideoFormat.JPEG) {
        throw new VideoDecodeException(file, "is a " + f + " file inside frame folder " + path
            + "; a frame folder holds only PNG or JPEG frames.");
      }
      ContainerCheck.check(file, f);
    }
    BufferedImage img;
    try {
      img = ImageIO.read(file.toFile());
    } catch (IOException | RuntimeException e) {
      throw new VideoDecodeException(file, "the image decoder failed: " + e.getMessage(), e);
    }
    if (img == null) {
      throw new VideoDecodeException(file, "no image decoder accepts it (corrupted image data).");
    }
    int w = img.getWidth();
    int h = img.getHeight();
    int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
    VideoFrame out = new VideoFrame(w, h, argb, index * periodMicros, periodMicros);
    index++;
    return out;
  }

  @Override
  public void close() {
    // nothing native
  }
}
