package org.dpvideo.tokenizer.vq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.dpvideo.tokenizer.GridShape;
import org.dpvideo.tokenizer.SyntheticClips;
import org.dpvideo.tokenizer.TokenGrid;
import org.dpvideo.tokenizer.VideoTokenizer;
import org.dpvideo.tokenizer.eval.ReconstructionMetrics;
import org.dpvideo.tokenizer.fit.TokenizerStore;
import org.dpvideo.tokenizer.video.Clip;
import org.dpvideo.tokenizer.video.ClipSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.indexing.NDArrayIndex;

class PatchVqTokenizerTest {
  private static final VqConfig SMALL = new VqConfig(64, 4, 2, 8, 20_000, 7L);

  @Test
  void fit_movingSquares_reconstructsWellAndRoundTripsTokens() {
    List<Clip> clips = SyntheticClips.movingSquares(24, 9, 16, 1);
    PatchVqTokenizer vq = PatchVqTokenizer.fit(clips, SMALL);
    assertEquals(new GridShape(5, 4, 4), vq.gridShape(ClipSpec.DEMO.withSize(16, 16)));
    List<TokenGrid> grids = vq.encodeBatch(clips);
    List<Clip> rec = vq.decodeBatch(grids, 8.0);
    double psnr = 0;
    for (int i = 0; i < clips.size(); i++) {
      psnr += ReconstructionMetrics.psnr(clips.get(i), rec.get(i)) / clips.size();
    }
    assertTrue(psnr > 20, "PSNR " + psnr);
    // tokens -> clip -> tokens is stable: a decoded clip encodes to the same ids.
    assertEquals(grids, vq.encodeBatch(rec));
    for (TokenGrid g : grids) {
      assertTrue(g.maxIdExclusive() <= vq.vocabSize());
    }
  }

  @Test
  void encode_firstTokenRow_dependsOnTheFirstFrameOnly() {
    List<Clip> clips = SyntheticClips.movingSquares(8, 9, 16, 2);
    PatchVqTokenizer vq = PatchVqTokenizer.fit(clips, SMALL);
    Clip a = clips.get(0);
    Clip b = a.copy();
    b.frames().get(NDArrayIndex.interval(1, 9)).assign(0.25);
    assertEquals(vq.encode(a).firstRows(1), vq.encode(b).firstRows(1));
    // An image is a one-frame video with the same first row.
    assertEquals(vq.encode(a).firstRows(1), vq.encode(a.firstFrames(1)));
  }

  @Test
  void gridShape_wrongFrameCount_explainsTheRule() {
    PatchVqTokenizer vq = PatchVqTokenizer.fit(SyntheticClips.movingSquares(8, 9, 16, 3), SMALL);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> vq.gridShape(ClipSpec.DEMO.withFrames(8)));
    assertTrue(e.getMessage().contains("1 + k*2"), e.getMessage());
  }

  @Test
  void saveLoad_keepsVersionAndTokens(@TempDir Path dir) throws IOException {
    List<Clip> clips = SyntheticClips.movingSquares(8, 9, 16, 4);
    PatchVqTokenizer vq = PatchVqTokenizer.fit(clips, SMALL);
    Path f = dir.resolve("vq.tok");
    vq.save(f);
    VideoTokenizer loaded = TokenizerStore.load(f);
    assertEquals(vq.version(), loaded.version());
    assertEquals(vq.encodeBatch(clips), loaded.encodeBatch(clips));
    // A different seed gives a different codebook and so a different version.
    assertTrue(!vq.version().equals(PatchVqTokenizer.fit(clips, SMALL.withSeed(99)).version()));
  }
}
