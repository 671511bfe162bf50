package org.dpvideo.finetune.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.dpvideo.dpsgd.layers.DpModel;
import org.dpvideo.fairness.Provenance;
import org.dpvideo.fairness.group.GroupKey;
import org.dpvideo.fairness.report.ReportJson;
import org.dpvideo.finetune.TestClips;
import org.dpvideo.finetune.metrics.QualityEvaluation;
import org.dpvideo.finetune.metrics.TokenStatistics;
import org.dpvideo.finetune.model.VideoLm;
import org.dpvideo.finetune.model.VideoLmConfig;
import org.dpvideo.finetune.model.Vocabulary;
import org.dpvideo.finetune.sample.AutoregressiveModel;
import org.dpvideo.finetune.sample.SamplingConfig;
import org.dpvideo.finetune.task.Task;
import org.dpvideo.finetune.task.TaskLayout;
import org.dpvideo.finetune.task.TaskPrompts;
import org.dpvideo.finetune.train.TaskExamples;
import org.dpvideo.tokenizer.GridShape;
import org.dpvideo.tokenizer.TokenGrid;
import org.dpvideo.tokenizer.VideoTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class ModelEvaluationTest {
  static final int CODES = 12;
  static final GridShape GRID = new GridShape(3, 2, 2); // 5 frames of 8x8 pixels with the test VQ
  static final TaskLayout I2V = new TaskLayout(Task.IMAGE_TO_VIDEO, GRID, 8);
  static final GroupKey A = GroupKey.of("tone", "a");
  static final GroupKey B = GroupKey.of("tone", "b");

  @TempDir
  Path dir;

  static List<HeldOutClip> clips(int perGroup, long seed) {
    Random r = new Random(seed);
    List<HeldOutClip> out = new ArrayList<>();
    for (int i = 0; i < 2 * perGroup; i++) {
      int[] ids = new int[GRID.size()];
      for (int j = 0; j < ids.length; j++) {
        ids[j] = r.nextInt(CODES);
      }
      out.add(new HeldOutClip(new TokenGrid(GRID, ids), "clip " + i, i % 2 == 0 ? A : B));
    }
    return out;
  }

  @Test
  void evaluate_videoLm_writesSamplesAndScoresLikeTheTrainingGraph() throws Exception {
    VideoTokenizer tok = TestClips.flatCodebook(CODES);
    List<HeldOutClip> held = clips(3, 1);
    EvaluationSettings s = EvaluationSettings.of(I2V, Provenance.EVAL_PUBLIC).withSamplesPerGroup(2).withBatchSize(4)
        .withSampling(SamplingConfig.DEFAULT.withTopK(5));
    try (VideoLm lm = VideoLm.create(VideoLmConfig.tiny(CODES, GRID.t(), GRID.h(), GRID.w()), 3)) {
      EvaluationResult r = ModelEvaluation.evaluate(lm, tok, held, s, dir);

      // Held-out NLL equals the training graph's loss (per-token mean per clip; equal lengths, so the mean).
      Vocabulary v = lm.vocabulary();
      List<int[]> seqs = held.stream().map(c -> TaskPrompts.sequence(I2V, v, c.grid(), c.caption(), null)).toList();
      TaskExamples ex = new TaskExamples(I2V, seqs, new int[seqs.size()], new int[seqs.size()]);
      DpModel train = lm.trainingGraph(I2V.inputLength(), I2V.prefixLength());
      Map<String, INDArray> ph = ex.placeholders(new int[] {0, 1, 2, 3, 4, 5}, lm.config());
      double oracle = train.output(ph, train.perExampleLoss()).get(train.perExampleLoss()).meanNumber().doubleValue();
      assertEquals(oracle, r.overall(QualityEvaluation.NLL).value(), 1e-4);
      assertTrue(r.overall(QualityEvaluation.NLL).baseline() != r.overall(QualityEvaluation.NLL).baseline(),
          "the likelihood has no real-clip baseline (NaN)");

      // Files: 2 GIFs per group, contact sheets, the JSON.
      assertEquals(List.of("tone=a", "tone=b"), List.copyOf(r.sampleFiles().keySet()));
      for (List<String> files : r.sampleFiles().values()) {
        assertEquals(2, files.size());
        for (String f : files) {
          assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
      }
      assertTrue(Files.size(dir.resolve(r.contactSheet())) > 0);
      assertTrue(Files.exists(dir.resolve("samples/tone=a/sample-contact-sheet.png")));
      assertEquals(2, r.sampleSets().size());
      assertEquals(4, r.samples());

      // Baselines are the real clips' statistics, computed independently here.
      double seqRep = held.stream().mapToDouble(c -> TokenStatistics.seqRep(c.grid().ids(), 4)).average().orElseThrow();
      assertEquals(seqRep, r.overall("seq_rep_4").baseline(), 1e-12);
      double copyA = held.stream().filter(c -> c.group().equals(A))
          .mapToDouble(c -> TokenStatistics.previousFrameCopyShare(c.grid())).average().orElseThrow();
      assertEquals(copyA, r.group("tone=a", "previous_frame_copy_share").baseline(), 1e-12);
      // i2v fixes the clip: PSNR against the prompt's held-out clip exists; the first frame is the prompt's.
      assertTrue(Double.isFinite(r.overall(QualityEvaluation.PSNR).value()));

      JsonNode json = ReportJson.mapper().readTree(Files.readString(dir.resolve("samples/evaluation.json")));
      assertEquals("image_to_video@3x2x2", json.get("task").asText());
      assertEquals(6, json.get("held_out_clips").asInt());
      assertTrue(json.get("groups").has("tone=b"));
      assertTrue(json.get("overall").isArray());
      assertFalse(json.has("likelihood"), "report objects stay out of the JSON");
      assertTrue(json.get("privacy").asText().contains("post-processing"), json.get("privacy").asText());
      boolean listed = false;
      for (JsonNode m : json.get("overall")) {
        listed |= m.get("metric").asText().equals("code_usage") && m.get("value").asDouble() > 0;
      }
      assertTrue(listed, "code_usage in the JSON's overall figures");
    }
  }

  @Test
  void evaluate_withoutKvCache_givesTheSameLikelihoodAndGreedySamples() throws Exception {
    VideoTokenizer tok = TestClips.flatCodebook(CODES);
    List<HeldOutClip> held = clips(1, 2);
    EvaluationSettings s = EvaluationSettings.of(I2V, Provenance.EVAL_PUBLIC).withSamplesPerGroup(1)
        .withSampling(SamplingConfig.greedy());
    try (VideoLm lm = VideoLm.create(VideoLmConfig.tiny(CODES, GRID.t(), GRID.h(), GRID.w()), 5)) {
      EvaluationResult cached = ModelEvaluation.evaluate(lm, tok, held, s, dir);
      EvaluationResult recomputed = ModelEvaluation.evaluate(lm, tok, held, s.withKvCache(false).withName("recompute"),
          dir);
      assertEquals("kv_cache", cached.decoder());
      assertEquals("recompute", recomputed.decoder());
      assertEquals(cached.overall(QualityEvaluation.NLL).value(), recomputed.overall(QualityEvaluation.NLL).value(),
          1e-4);
      for (String m : List.of("seq_rep_4", "token_entropy_bits", "previous_frame_copy_share", "psnr_db")) {
        assertEquals(cached.overall(m).value(), recomputed.overall(m).value(), 1e-9, m);
      }
    }
  }

  /** Greedily copies the token one latent frame back (and the first output token's prompt frame). */
  static AutoregressiveModel copyingModel(Vocabulary v, int frameTokens, int maxLength) {
    return new AutoregressiveModel() {
      @Override
      public int vocabSize() {
        return v.size();
      }

      @Override
      public int maxSequenceLength() {
        return maxLength;
      }

      @Override
      public DecodingSession start(int[] prefix) {
        List<Integer> seq = new ArrayList<>();
        for (int t : prefix) {
          seq.add(t);
        }
        return new DecodingSession() {
          @Override
          public float[] logits() {
            float[] l = new float[v.size()];
            // The prefix ends with [EOC][BOO]: one frame back of the next token is frameTokens + 2 back at
            // the first output row and frameTokens back after it.
            int generated = seq.size() - prefix.length;
            int back = generated < frameTokens ? frameTokens + 2 : frameTokens;
            l[seq.get(seq.size() - back)] = 10;
            return l;
          }

          @Override
          public void append(int token) {
            seq.add(token);
          }

          @Override
          public int length() {
            return seq.size();
          }

          @Override
          public void close() {}
        };
      }
    };
  }

  @Test
  void evaluate_copyingModel_showsCollapseAboveTheRealBaseline() throws Exception {
    VideoTokenizer tok = TestClips.flatCodebook(CODES);
    List<HeldOutClip> held = clips(4, 3);
    Vocabulary v = Vocabulary.withVideoCodes(CODES);
    EvaluationResult r = ModelEvaluation.evaluate(copyingModel(v, GRID.h() * GRID.w(), I2V.sequenceLength()), v, tok,
        held, EvaluationSettings.of(I2V, Provenance.EVAL_PUBLIC).withSamplesPerGroup(3)
            .withSampling(SamplingConfig.greedy()), dir);
    assertEquals(1.0, r.overall("previous_frame_copy_share").value(), 1e-12);
    assertTrue(r.overall("previous_frame_copy_share").baseline() < 0.3, r.overall("previous_frame_copy_share")
        .toString());
    assertEquals(1.0, r.overall("frozen_frame_ratio").value(), 1e-12);
    // the test VQ codes 2 frames per token row, so real clips freeze within rows: 2 of 4 transitions
    assertTrue(r.overall("frozen_frame_ratio").baseline() < 0.6, r.overall("frozen_frame_ratio").toString());
    assertEquals(0.0, r.overall(QualityEvaluation.MOTION).value(), 1e-12);
    assertTrue(r.overall(QualityEvaluation.MOTION).baseline() > 0);
    for (String g : List.of("tone=a", "tone=b")) {
      assertEquals(1.0, r.group(g, "previous_frame_copy_share").value(), 1e-12);
    }
  }

  @Test
  void evaluate_badClips_listsEveryBadClip() {
    VideoTokenizer tok = TestClips.flatCodebook(CODES);
    List<HeldOutClip> held = new ArrayList<>(clips(1, 4));
    held.add(new HeldOutClip(new TokenGrid(new GridShape(2, 2, 2), new int[8]), "", A));
    held.add(new HeldOutClip(new TokenGrid(GRID, new int[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 40}), "", B));
    Vocabulary v = Vocabulary.withVideoCodes(CODES);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelEvaluation.evaluate(
        copyingModel(v, 4, I2V.sequenceLength()), v, tok, held, EvaluationSettings.of(I2V, Provenance.EVAL_PUBLIC),
        dir));
    assertTrue(e.getMessage().contains("clip 2 has grid") && e.getMessage().contains("clip 3 holds code 40"),
        e.getMessage());
  }

  @Test
  void evaluate_tokenizerOfAnotherCodebook_isRejected() {
    Vocabulary v = Vocabulary.withVideoCodes(CODES);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelEvaluation.evaluate(
        copyingModel(v, 4, I2V.sequenceLength()), v, TestClips.flatCodebook(8), clips(1, 5),
        EvaluationSettings.of(I2V, Provenance.EVAL_PUBLIC), dir));
    assertTrue(e.getMessage().contains("8 codes"), e.getMessage());
  }

  @Test
  void settings_badValues_areRejected() {
    EvaluationSettings s = EvaluationSettings.of(I2V, Provenance.EVAL_PUBLIC);
    assertThrows(IllegalArgumentException.class, () -> s.withSamplesPerGroup(0));
    assertThrows(IllegalArgumentException.class, () -> s.withName("../x"));
    assertThrows(IllegalArgumentException.class, () -> s.withVideo(0, 4));
    assertThrows(IllegalArgumentException.class, () -> s.withMinGroupSize(0));
  }
}
