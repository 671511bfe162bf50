package org.dpvideo.tokenizer.lfq;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.dpvideo.testkit.Fixtures;
import org.dpvideo.testkit.Tiers;
import org.dpvideo.tokenizer.VideoTokenizer;
import org.dpvideo.tokenizer.dataset.FluentEmojiCatalog;
import org.dpvideo.tokenizer.dataset.ManifestRow;
import org.dpvideo.tokenizer.dataset.Provenance;
import org.dpvideo.tokenizer.eval.TokenizerEvaluation;
import org.dpvideo.tokenizer.eval.TokenizerEvaluator;
import org.dpvideo.tokenizer.fit.ClipSet;
import org.dpvideo.tokenizer.video.ClipSpec;
import org.dpvideo.tokenizer.vq.PatchVqTokenizer;
import org.dpvideo.tokenizer.vq.VqConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The default LFQ training run (3 minutes) and the VQ on the fixture's public stickers, both evaluated
 * on held-out stickers of the slice. Prints both figures; the full comparison is {@code bench tokenizer}.
 */
@Tag(Tiers.SLOW)
class LfqVersusVqSlowTest {
  @Test
  void defaultTraining_onPublicStickers_reachesUsefulQuality() throws IOException {
    Path folder = Fixtures.require("fluent-emoji/anim-1", ".ci/fixtures.d/21-fluent-emoji.sh");
    List<ManifestRow> rows = FluentEmojiCatalog.rows(folder, true).stream()
        .filter(r -> r.provenance() == Provenance.PUBLIC).toList();
    List<ManifestRow> train = rows.subList(0, 38);
    List<ManifestRow> test = rows.subList(38, rows.size());
    ClipSet trainClips = ClipSet.sample(train, ClipSpec.DEMO, 3, d -> { });
    ClipSet testClips = ClipSet.sample(test, ClipSpec.DEMO, 1, d -> { });
    VideoTokenizer vq = PatchVqTokenizer.fit(trainClips.clips(), VqConfig.DEFAULT);
    VideoTokenizer lfq = LfqTrainer.fit(trainClips.clips(), LfqConfig.DEFAULT, p -> { });
    TokenizerEvaluation ev = TokenizerEvaluator.evaluate(vq, testClips.clips(), null, null);
    TokenizerEvaluation el = TokenizerEvaluator.evaluate(lfq, testClips.clips(), null, null);
    System.out.printf("held-out fixture stickers: VQ PSNR %.2f dB SSIM %.4f; LFQ PSNR %.2f dB SSIM %.4f%n",
        ev.psnrDb(), ev.ssim(), el.psnrDb(), el.ssim());
    assertTrue(ev.psnrDb() > 18, "VQ PSNR " + ev.psnrDb());
    assertTrue(el.psnrDb() > 16, "LFQ PSNR " + el.psnrDb());
  }
}
