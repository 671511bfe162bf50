package org.dpvideo.tokenizer.video;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * Writes clips so a person can watch them: a looping GIF (frame delay {@code 1 / fps}, rounded to the
 * GIF's 10 ms unit) or an MP4 (MPEG-4 Part 2, yuv420p, through FFmpeg). Output is written to a temporary
 * file in the same folder and renamed, so a failed write leaves nothing half-written.
 *
 * <p>Stateless and thread-safe.
 */
public final class VideoWriter {
  private VideoWriter() {}

  /** Writes {@code clip} as a GIF that loops forever, each frame upscaled by an integer {@code scale}. */
  public static void writeGif(Clip clip, Path out, int scale) throws IOException {
    checkScale(scale);
    Path tmp = temp(out);
    try {
      ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
      try (ImageOutputStream ios = ImageIO.createImageOutputStream(tmp.toFile())) {
        writer.setOutput(ios);
        writer.prepareWriteSequence(null);
        int delayCs = Math.max(1, (int) Math.round(100.0 / clip.fps()));
        for (int t = 0; t < clip.frameCount(); t++) {
          BufferedImage img = image(clip, t, scale);
          ImageTypeSpecifier type = ImageTypeSpecifier.createFromRenderedImage(img);
          IIOMetadata md = writer.getDefaultImageMetadata(type, writer.getDefaultWriteParam());
          String fmt = md.getNativeMetadataFormatName();
          IIOMetadataNode root = (IIOMetadataNode) md.getAsTree(fmt);
          IIOMetadataNode gce = child(root, "GraphicControlExtension");
          gce.setAttribute("disposalMethod", "none");
          gce.setAttribute("userInputFlag", "FALSE");
          gce.setAttribute("transparentColorFlag", "FALSE");
          gce.setAttribute("delayTime", Integer.toString(delayCs));
          gce.setAttribute("transparentColorIndex", "0");
          if (t == 0) {
            IIOMetadataNode apps = child(root, "ApplicationExtensions");
            IIOMetadataNode app = new IIOMetadataNode("ApplicationExtension");
            app.setAttribute("applicationID", "NETSCAPE");
            app.setAttribute("authenticationCode", "2.0");
            app.setUserObject(new byte[] {1, 0, 0}); // loop forever
            apps.appendChild(app);
          }
          md.setFromTree(fmt, root);
          writer.writeToSequence(new IIOImage(img, null, md), null);
        }
        writer.endWriteSequence();
      } finally {
        writer.dispose();
      }
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Writes {@code clip} as an MP4 (MPEG-4 Part 2) upscaled by an integer {@code scale}. */
  public static void writeMp4(Clip clip, Path out, int scale) throws IOException {
    checkScale(scale);
    int w = clip.width() * scale;
    int h = clip.height() * scale;
    if (w % 2 != 0 || h % 2 != 0) {
      throw new IllegalArgumentException("MP4 (yuv420p) needs even frame sizes, got " + w + "x" + h
          + "; use an even clip size or scale 2.");
    }
    Path tmp = temp(out);
    try {
      FFmpegFrameRecorder rec = new FFmpegFrameRecorder(tmp.toFile(), w, h, 0);
      rec.setFormat("mp4");
      rec.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
      rec.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
      rec.setFrameRate(clip.fps());
      rec.setVideoQuality(2); // qscale: 2 = near lossless for MPEG-4 Part 2
      try {
        rec.start();
        for (int t = 0; t < clip.frameCount(); t++) {
          Frame frame = new Frame(w, h, Frame.DEPTH_UBYTE, 3);
          ByteBuffer buf = (ByteBuffer) frame.image[0];
          int stride = frame.imageStride;
          int[] px = clip.argb(t);
          for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
              int c = px[(y / scale) * clip.width() + x / scale];
              int o = y * stride + 3 * x;
              buf.put(o, (byte) c);             // B
              buf.put(o + 1, (byte) (c >> 8));  // G
              buf.put(o + 2, (byte) (c >> 16)); // R
            }
          }
          rec.record(frame, avutil.AV_PIX_FMT_BGR24);
        }
        rec.stop();
      } catch (FFmpegFrameRecorder.Exception e) {
        throw new IOException("FFmpeg could not write " + out + ": " + e.getMessage(), e);
      } finally {
        try {
          rec.release();
        } catch (FFmpegFrameRecorder.Exception ignored) {
          // already failed or finished
        }
      }
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Writes by file extension: {@code .gif} or {@code .mp4}. */
  public static void write(Clip clip, Path out, int scale) throws IOException {
    String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".gif")) {
      writeGif(clip, out, scale);
    } else if (name.endsWith(".mp4")) {
      writeMp4(clip, out, scale);
    } else {
      throw new IllegalArgumentException("output " + out + " must end in .gif or .mp4.");
    }
  }

  /** Frame {@code t} of {@code clip} as an opaque RGB image, nearest-neighbour upscaled. */
  public static BufferedImage image(Clip clip, int t, int scale) {
    int[] px = clip.argb(t);
    int w = clip.width();
    int h = clip.height();
    BufferedImage img = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h * scale; y++) {
      for (int x = 0; x < w * scale; x++) {
        img.setRGB(x, y, px[(y / scale) * w + x / scale]);
      }
    }
    return img;
  }

  private static void checkScale(int scale) {
    if (scale < 1 || scale > 64) {
      throw new IllegalArgumentException("scale must be in [1, 64], got " + scale + ".");
    }
  }

  private static Path temp(Path out) throws IOException {
    Path dir = out.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    return Files.createTempFile(dir, "." + out.getFileName(), ".part");
  }

  private static IIOMetadataNode child(IIOMetadataNode root, String name) {
    for (int i = 0; i < root.getLength(); i++) {
      if (root.item(i).getNodeName().equalsIgnoreCase(name)) {
        return (IIOMetadataNode) root.item(i);
      }
    }
    IIOMetadataNode n = new IIOMetadataNode(name);
    root.appendChild(n);
    return n;
  }
}
