package org.dpvideo.tokenizer.video;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.dpvideo.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad files give a clear error naming the file and the problem, and never crash the JVM. */
class VideoErrorsTest {
  @TempDir
  Path dir;

  private static VideoDecodeException failsToDecode(Path p) {
    VideoDecodeException e = assertThrows(VideoDecodeException.class, () -> {
      VideoReader.probe(p);
    });
    assertTrue(e.getMessage().contains(p.toString()), "message names the file: " + e.getMessage());
    return e;
  }

  private static void assertMentions(VideoDecodeException e, String word) {
    assertTrue(e.getMessage().toLowerCase(java.util.Locale.ROOT).contains(word),
        "message should mention '" + word + "': " + e.getMessage());
  }

  @Test
  void truncatedMp4_isReportedAsTruncated() throws IOException {
    byte[] all = Files.readAllBytes(Fixtures.require("video/cockatoo.mp4", ".ci/fixtures.d/20-video-samples.sh"));
    Path p = dir.resolve("half.mp4");
    Files.write(p, Arrays.copyOf(all, all.length / 2));
    assertMentions(failsToDecode(p), "truncated");
  }

  @Test
  void truncatedWebp_isReportedAsTruncated() throws IOException {
    byte[] all = Files.readAllBytes(
        Fixtures.require("fluent-emoji/anim-1/1f385-1f3fb.webp", ".ci/fixtures.d/21-fluent-emoji.sh"));
    Path p = dir.resolve("cut.webp");
    Files.write(p, Arrays.copyOf(all, all.length - 1000));
    assertMentions(failsToDecode(p), "truncated");
  }

  @Test
  void corruptedMp4Index_isReportedByFfmpegWithFileName() throws IOException {
    Path src = Fixtures.require("video/cockatoo.mp4", ".ci/fixtures.d/20-video-samples.sh");
    byte[] all = Files.readAllBytes(src);
    // Overwrite the inside of the 'moov' box (the index) with a fixed pattern; box sizes stay valid.
    int moov = indexOf(all, "moov".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    for (int i = moov + 4; i < Math.min(all.length, moov + 2000); i++) {
      all[i] = (byte) (i * 31 + 7);
    }
    Path p = dir.resolve("corrupted.mp4");
    Files.write(p, all);
    failsToDecode(p);
  }

  @Test
  void corruptedWebpFrameHeader_isReported() throws IOException {
    byte[] all = Files.readAllBytes(
        Fixtures.require("fluent-emoji/anim-1/1f385-1f3fb.webp", ".ci/fixtures.d/21-fluent-emoji.sh"));
    int anmf = indexOf(all, "ANMF".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    all[anmf + 8] = (byte) 0xFF; // x offset far outside the canvas
    all[anmf + 9] = (byte) 0xFF;
    Path p = dir.resolve("corrupted.webp");
    Files.write(p, all);
    assertMentions(failsToDecode(p), "frame 0");
  }

  @Test
  void garbageBytes_areReportedAsUnrecognised() throws IOException {
    Path p = dir.resolve("noise.mp4");
    byte[] b = new byte[4096];
    new java.util.Random(1).nextBytes(b);
    Files.write(p, b);
    assertMentions(failsToDecode(p), "not a recognised");
  }

  @Test
  void zeroFrameAnimatedWebp_isReportedAsZeroFrames() throws IOException {
    // VP8X with the animation flag, an ANIM chunk, and no ANMF frame.
    byte[] vp8x = {'V', 'P', '8', 'X', 10, 0, 0, 0, 0x12, 0, 0, 0, 63, 0, 0, 63, 0, 0};
    byte[] anim = {'A', 'N', 'I', 'M', 6, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    byte[] body = new byte[4 + vp8x.length + anim.length];
    System.arraycopy("WEBP".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, body, 0, 4);
    System.arraycopy(vp8x, 0, body, 4, vp8x.length);
    System.arraycopy(anim, 0, body, 4 + vp8x.length, anim.length);
    byte[] file = new byte[8 + body.length];
    System.arraycopy("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, file, 0, 4);
    file[4] = (byte) body.length;
    System.arraycopy(body, 0, file, 8, body.length);
    Path p = dir.resolve("empty.webp");
    Files.write(p, file);
    assertMentions(failsToDecode(p), "zero frames");
  }

  @Test
  void emptyFrameFolder_isReportedAsZeroFrames() throws IOException {
    Path p = Files.createDirectory(dir.resolve("frames"));
    assertMentions(failsToDecode(p), "zero frames");
  }

  @Test
  void emptyFile_isReported() throws IOException {
    Path p = Files.createFile(dir.resolve("empty.gif"));
    assertMentions(failsToDecode(p), "empty");
  }

  @Test
  void onePixelImage_isRefusedWithItsSize() throws IOException {
    Path p = dir.resolve("dot.png");
    ImageIO.write(new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB), "png", p.toFile());
    assertMentions(failsToDecode(p), "1x1");
  }

  @Test
  void missingFile_isReported() {
    assertMentions(failsToDecode(dir.resolve("nope.mp4")), "does not exist");
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }
}
