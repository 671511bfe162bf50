package org.dpvideo.tokenizer.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.dpvideo.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class VideoDecodingTest {
  private static final String VIDEO_SCRIPT = ".ci/fixtures.d/20-video-samples.sh";
  private static final String EMOJI_SCRIPT = ".ci/fixtures.d/21-fluent-emoji.sh";

  @Test
  void probe_cockatooMp4_matchesIndependentBoxParse() throws IOException {
    Path mp4 = Fixtures.require("video/cockatoo.mp4", VIDEO_SCRIPT);
    JsonNode expected = new ObjectMapper().readTree(
        Fixtures.require("video/cockatoo.expected.json", VIDEO_SCRIPT).toFile());
    VideoInfo info = VideoReader.probe(mp4);
    assertEquals(VideoFormat.MP4, info.format());
    assertEquals(expected.get("frames").asInt(), info.frameCount());
    assertEquals(280, info.frameCount());
    assertEquals(expected.get("width").asInt(), info.width());
    assertEquals(expected.get("height").asInt(), info.height());
    long[] durations = new long[expected.get("frame_durations_us").size()];
    for (int i = 0; i < durations.length; i++) {
      durations[i] = expected.get("frame_durations_us").get(i).asLong();
    }
    assertArrayEquals(durations, info.frameDurationsMicros());
    assertEquals(14_000_000L, info.durationMicros());
  }

  @Test
  void probe_animatedWebp_matchesPilFrameCountSizeAndDurations() throws IOException {
    Path webp = Fixtures.require("fluent-emoji/anim-1/1f385-1f3fb.webp", EMOJI_SCRIPT);
    JsonNode ref = new ObjectMapper().readTree(
        Fixtures.require("fluent-emoji/reference/1f385-1f3fb.json", EMOJI_SCRIPT).toFile());
    VideoInfo info = VideoReader.probe(webp);
    assertEquals(VideoFormat.WEBP, info.format());
    assertEquals(ref.get("frames").asInt(), info.frameCount());
    assertEquals(ref.get("width").asInt(), info.width());
    assertEquals(ref.get("height").asInt(), info.height());
    for (int i = 0; i < info.frameCount(); i++) {
      assertEquals(ref.get("frame_durations_ms").get(i).asLong() * 1000, info.frameDurationsMicros()[i],
          "duration of frame " + i);
    }
    assertTrue(info.hasTransparency());
  }

  @Test
  void webpCompositing_ofPilDecodedFrames_equalsPilAnimDecoder() throws IOException {
    Path webp = Fixtures.require("fluent-emoji/anim-1/1f385-1f3fb.webp", EMOJI_SCRIPT);
    Path refDir = Fixtures.require("fluent-emoji/reference/done", EMOJI_SCRIPT).getParent();
    WebpContainer c = WebpContainer.parse(webp, java.nio.file.Files.readAllBytes(webp));
    int[] canvas = new int[c.canvasWidth * c.canvasHeight];
    WebpContainer.FrameChunk previous = null;
    for (int k = 0; k < 8; k++) {
      BufferedImage alone = ImageIO.read(refDir.resolve("1f385-1f3fb.anmf" + k + ".png").toFile());
      WebpContainer.FrameChunk f = c.frames.get(k);
      WebpFrameSource.paint(canvas, c.canvasWidth, previous, f,
          alone.getRGB(0, 0, f.width(), f.height(), null, 0, f.width()));
      previous = f;
    }
    BufferedImage ref = ImageIO.read(refDir.resolve("1f385-1f3fb.frame7.png").toFile());
    int[] expected = ref.getRGB(0, 0, c.canvasWidth, c.canvasHeight, null, 0, c.canvasWidth);
    int mismatches = 0;
    for (int i = 0; i < canvas.length; i++) {
      // Fully transparent pixels carry no colour; compare them by alpha only.
      boolean same = (expected[i] >>> 24) == 0 ? (canvas[i] >>> 24) == 0 : expected[i] == canvas[i];
      mismatches += same ? 0 : 1;
    }
    assertEquals(0, mismatches, "pixels of frame 7 that differ from PIL's composite");
  }

  @Test
  void compositedWebpFrames_matchPilReference_withinDecoderError() throws IOException {
    Path webp = Fixtures.require("fluent-emoji/anim-1/1f385-1f3fb.webp", EMOJI_SCRIPT);
    Path refDir = Fixtures.require("fluent-emoji/reference/done", EMOJI_SCRIPT).getParent();
    List<VideoFrame> frames = new ArrayList<>();
    try (FrameSource s = VideoReader.open(webp)) {
      VideoFrame f;
      while ((f = s.next()) != null) {
        frames.add(f);
      }
    }
    for (int index : new int[] {0, 1, 7, 40}) {
      BufferedImage ref = ImageIO.read(refDir.resolve("1f385-1f3fb.frame" + index + ".png").toFile());
      int w = ref.getWidth();
      int h = ref.getHeight();
      int[] a = ref.getRGB(0, 0, w, h, null, 0, w);
      int[] b = frames.get(index).argb();
      assertEquals(w, frames.get(index).width());
      double[] full = error(a, b, w, h, 1);
      double[] small = error(a, b, w, h, 4);
      System.out.printf("frame %d: full size mean abs error %.3f levels, PSNR %.2f dB; "
          + "4x4 area-averaged mean abs error %.3f, PSNR %.2f dB%n", index, full[0], full[1], small[0], small[1]);
      // Compositing is exact (test above); the VP8 decoder (TwelveMonkeys) is not bit-exact with libwebp:
      // blocky colour offsets of a few levels (see docs/tokenizers.md for the measured figures).
      assertTrue(full[0] < 8.0 && full[1] > 25.0, "frame " + index + " full-size error " + full[0]);
    }
  }

  /** Mean absolute error (8-bit levels) and PSNR of two ARGB images flattened on white, after f x f box averaging. */
  private static double[] error(int[] a, int[] b, int w, int h, int f) {
    double sum = 0;
    double sq = 0;
    int n = 0;
    for (int y = 0; y + f <= h; y += f) {
      for (int x = 0; x + f <= w; x += f) {
        for (int shift = 0; shift <= 16; shift += 8) {
          double va = 0;
          double vb = 0;
          for (int dy = 0; dy < f; dy++) {
            for (int dx = 0; dx < f; dx++) {
              va += (flattenOnWhite(a[(y + dy) * w + x + dx]) >> shift) & 0xFF;
              vb += (flattenOnWhite(b[(y + dy) * w + x + dx]) >> shift) & 0xFF;
            }
          }
          double d = Math.abs(va - vb) / (f * f);
          sum += d;
          sq += d * d;
          n++;
        }
      }
    }
    return new double[] {sum / n, 10 * Math.log10(255.0 * 255.0 / Math.max(1e-12, sq / n))};
  }

  private static int flattenOnWhite(int argb) {
    double a = (argb >>> 24) / 255.0;
    int r = (int) Math.round(((argb >> 16) & 0xFF) * a + 255 * (1 - a));
    int g = (int) Math.round(((argb >> 8) & 0xFF) * a + 255 * (1 - a));
    int b = (int) Math.round((argb & 0xFF) * a + 255 * (1 - a));
    return r << 16 | g << 8 | b;
  }

  @Test
  void sample_cockatoo_givesClipOfSpec() {
    Path mp4 = Fixtures.require("video/cockatoo.mp4", VIDEO_SCRIPT);
    Clip clip = ClipSampler.sample(mp4, ClipSpec.DEMO, 1.0);
    assertArrayEquals(new long[] {9, 32, 32, 3}, clip.frames().shape());
    INDArray f = clip.frames();
    assertTrue(f.minNumber().doubleValue() >= 0 && f.maxNumber().doubleValue() <= 1);
    // Consecutive frames of a moving camera differ, but not wildly.
    double diff = f.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0))
        .distance1(f.get(org.nd4j.linalg.indexing.NDArrayIndex.point(8))) / (32 * 32 * 3);
    assertTrue(diff > 0.001 && diff < 0.5, "mean frame difference " + diff);
  }

  @Test
  void probe_gifAndAvi_giveFramesSizesAndDurations() {
    VideoInfo gif = VideoReader.probe(Fixtures.require("video/newtonscradle.gif", VIDEO_SCRIPT));
    assertEquals(VideoFormat.GIF, gif.format());
    assertEquals(200, gif.width());
    assertEquals(150, gif.height());
    assertTrue(gif.frameCount() >= 30, "frames " + gif.frameCount());
    VideoInfo avi = VideoReader.probe(Fixtures.require("video/vtest.avi", VIDEO_SCRIPT));
    assertEquals(VideoFormat.AVI, avi.format());
    assertEquals(768, avi.width());
    assertEquals(576, avi.height());
    assertEquals(795, avi.frameCount());
    assertEquals(100_000L, avi.frameDurationsMicros()[10]);
  }

  @Test
  void sample_webpSticker_followsFrameDurations() {
    Path webp = Fixtures.require("fluent-emoji/anim-1/1f385-1f3fb.webp", EMOJI_SCRIPT);
    // At 24 fps with 42 ms frames, output frame k shows source frame floor(k * 41.67 / 42).
    Clip fast = ClipSampler.sample(webp, ClipSpec.DEMO.withFps(1000.0 / 42).withFrames(3));
    Clip slow = ClipSampler.sample(webp, ClipSpec.DEMO.withFps(1000.0 / 84).withFrames(2));
    // Frame 2 of the fast clip and frame 1 of the slow one are both source frame 2 (at 84 ms).
    assertEquals(0.0, fast.frames().get(org.nd4j.linalg.indexing.NDArrayIndex.point(2))
        .distance2(slow.frames().get(org.nd4j.linalg.indexing.NDArrayIndex.point(1))), 1e-6);
  }

  @Test
  void frameFolder_playsPngsInNameOrderAtTheGivenRate(@org.junit.jupiter.api.io.TempDir Path dir)
      throws IOException {
    for (int i = 0; i < 3; i++) {
      BufferedImage img = new BufferedImage(16, 12, BufferedImage.TYPE_INT_RGB);
      img.setRGB(0, 0, 0xFF0000 * (i + 1));
      ImageIO.write(img, "png", dir.resolve(String.format("f%03d.png", i)).toFile());
    }
    VideoInfo info = VideoReader.probe(dir);
    assertEquals(VideoFormat.FRAME_FOLDER, info.format());
    assertEquals(3, info.frameCount());
    assertEquals(125_000L, info.frameDurationsMicros()[0]);
    Clip clip = ClipSampler.sample(dir, ClipSpec.DEMO.withFrames(3).withSize(12, 16));
    assertArrayEquals(new long[] {3, 12, 16, 3}, clip.frames().shape());
  }
}
