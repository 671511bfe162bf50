package org.dpvideo.finetune.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dpvideo.finetune.TestClips;
import org.dpvideo.tokenizer.GridShape;
import org.dpvideo.tokenizer.VideoTokenizer;
import org.dpvideo.tokenizer.video.Clip;
import org.dpvideo.tokenizer.video.ClipSpec;
import org.dpvideo.tokenizer.video.ClipSampler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleOutputTest {
  private static final TokenRange CODES = TokenRange.videoCodes(275, 4);

  @TempDir
  Path dir;

  @Test
  void decode_samples_giveTheCodebookColours() {
    VideoTokenizer vq = TestClips.flatCodebook(4);
    GridShape shape = new GridShape(2, 1, 2); // 3 frames of 4x8
    GeneratedSample s = new GeneratedSample(0, new int[] {275, 276, 278, 278}, shape, CODES);
    Clip c = SampleOutput.decode(vq, List.of(s), 8.0).get(0);
    assertEquals(3, c.frameCount());
    assertEquals(4, c.height());
    assertEquals(8, c.width());
    // frame 0: code 0 (black) left, code 1 (1/3 grey) right; frames 1-2: code 3 (white)
    assertEquals(0f, c.frames().getFloat(0, 0, 0, 0), 1e-6);
    assertEquals(1f / 3, c.frames().getFloat(0, 0, 7, 0), 1e-6);
    assertEquals(1f, c.frames().getFloat(2, 3, 3, 1), 1e-6);
  }

  @Test
  void decode_codeBeyondTokenizer_isRejected() {
    VideoTokenizer vq = TestClips.flatCodebook(4);
    GeneratedSample s = new GeneratedSample(0, new int[] {275, 285}, new GridShape(1, 1, 2),
        TokenRange.videoCodes(275, 16));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SampleOutput.decode(vq, List.of(s), 8.0));
    assertTrue(e.getMessage().contains("has only 4 codes"), e.getMessage());
  }

  @Test
  void write_gifAndMp4_areReadableWithAContactSheet() throws Exception {
    VideoTokenizer vq = TestClips.flatCodebook(4);
    GridShape shape = new GridShape(3, 2, 2); // 5 frames of 8x8
    List<GeneratedSample> samples = List.of(
        new GeneratedSample(0, new int[] {275, 276, 277, 278, 276, 276, 276, 276, 278, 277, 276, 275}, shape, CODES),
        new GeneratedSample(1, new int[] {278, 278, 278, 278, 275, 275, 275, 275, 277, 277, 277, 277}, shape, CODES));
    List<Clip> clips = SampleOutput.decode(vq, samples, 8.0);
    for (SampleFormat f : SampleFormat.values()) {
      Path out = dir.resolve(f.extension());
      SampleOutput.Files files = SampleOutput.write(out, "sample-", clips, List.of("#0", "#1"), "test", f, 2);
      assertEquals(List.of(out.resolve("sample-0." + f.extension()), out.resolve("sample-1." + f.extension())),
          files.videos());
      assertTrue(Files.size(files.contactSheet()) > 0);
      // GIF delays are whole centiseconds (13 cs at 8 fps): read 50 ms into each frame
      Clip back = ClipSampler.sample(files.videos().get(1), new ClipSpec(5, 8.0, 16, 16, 0xFFFFFF), 0.05);
      assertEquals(5, back.frameCount());
      // sample 1, frame 0 is white (code 3); frames 1-2 are black (code 0)
      assertEquals(1f, back.frames().getFloat(0, 8, 8, 0), 0.05);
      assertEquals(0f, back.frames().getFloat(1, 8, 8, 0), 0.05);
      try (var listing = Files.list(out)) {
        assertEquals(3, listing.count(), "two videos and a contact sheet, no temporary files");
      }
    }
  }
}
