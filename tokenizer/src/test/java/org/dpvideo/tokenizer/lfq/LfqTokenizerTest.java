package org.dpvideo.tokenizer.lfq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.dpvideo.tokenizer.GridShape;
import org.dpvideo.tokenizer.SyntheticClips;
import org.dpvideo.tokenizer.TokenGrid;
import org.dpvideo.tokenizer.VideoTokenizer;
import org.dpvideo.tokenizer.eval.ReconstructionMetrics;
import org.dpvideo.tokenizer.fit.TokenizerStore;
import org.dpvideo.tokenizer.video.Clip;
import org.dpvideo.tokenizer.video.ClipSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** A small real training run (seconds) and the properties every LFQ tokenizer must have. */
class LfqTokenizerTest {
  private static final LfqConfig TINY = new LfqConfig(6, 32, 0, 4, 2, 0.1, 0.25, 5e-3, 8, 150,
      Duration.ofMinutes(2), 11L);
  private static List<Clip> clips;
  private static LfqTokenizer trained;
  private static final List<TrainingProgress> progress = new ArrayList<>();

  @BeforeAll
  static void train() {
    clips = SyntheticClips.movingSquares(32, 9, 16, 5);
    trained = LfqTrainer.fit(clips, TINY, progress::add);
  }

  @Test
  void training_reducesReconstructionError() {
    TrainingProgress first = progress.get(0);
    TrainingProgress last = progress.get(progress.size() - 1);
    assertEquals(TINY.maxSteps(), last.step());
    assertTrue(last.mse() < first.mse(), "mse " + first.mse() + " -> " + last.mse());
    double psnr = 0;
    List<Clip> rec = trained.reconstruct(clips);
    for (int i = 0; i < clips.size(); i++) {
      psnr += ReconstructionMetrics.psnr(clips.get(i), rec.get(i)) / clips.size();
    }
    assertTrue(psnr > 15, "PSNR " + psnr);
  }

  @Test
  void encode_givesIdsInVocabularyOnTheCausalGrid() {
    assertEquals(64, trained.vocabSize());
    assertEquals(new GridShape(5, 4, 4), trained.gridShape(ClipSpec.DEMO.withSize(16, 16)));
    for (TokenGrid g : trained.encodeBatch(clips)) {
      assertEquals(new GridShape(5, 4, 4), g.shape());
      assertTrue(g.maxIdExclusive() <= 64);
    }
  }

  @Test
  void encode_firstRowDependsOnFirstFrameOnly_andImageIsOneRow() {
    Clip a = clips.get(0);
    Clip b = a.copy();
    b.frames().get(NDArrayIndex.interval(1, 9)).assign(0.5);
    assertEquals(trained.encode(a).firstRows(1), trained.encode(b).firstRows(1));
    assertEquals(trained.encode(a).firstRows(1), trained.encode(a.firstFrames(1)));
  }

  @Test
  void decode_ofFirstRow_dependsOnFirstRowOnly() {
    TokenGrid g = trained.encode(clips.get(1));
    Clip full = trained.decode(g, 8.0);
    Clip image = trained.decode(g.firstRows(1), 8.0);
    assertEquals(0.0, full.frames().get(NDArrayIndex.point(0)).distance2(image.frames().get(NDArrayIndex.point(0))),
        1e-5);
  }

  @Test
  void roundTrip_tokensToClipToTokens_isMostlyStable() {
    List<TokenGrid> grids = trained.encodeBatch(clips);
    List<TokenGrid> again = trained.encodeBatch(trained.decodeBatch(grids, 8.0));
    int same = 0;
    int total = 0;
    for (int i = 0; i < grids.size(); i++) {
      int[] a = grids.get(i).ids();
      int[] b = again.get(i).ids();
      for (int j = 0; j < a.length; j++) {
        same += a[j] == b[j] ? 1 : 0;
        total++;
      }
    }
    System.out.printf("LFQ tokens -> clip -> tokens: %d of %d ids kept%n", same, total);
    assertTrue(same > 0.8 * total, same + " of " + total + " ids kept");
  }

  @Test
  void saveLoad_keepsVersionAndTokens(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("lfq.tok");
    trained.save(f);
    VideoTokenizer loaded = TokenizerStore.load(f);
    assertEquals(trained.version(), loaded.version());
    assertEquals(trained.encodeBatch(clips.subList(0, 4)), loaded.encodeBatch(clips.subList(0, 4)));
  }
}
