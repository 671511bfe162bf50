package org.dpvideo.finetune.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.dpvideo.dpsgd.layers.DpModel;
import org.dpvideo.dpsgd.layers.GradientTape;
import org.dpvideo.dpsgd.layers.Parameter;
import org.dpvideo.dpsgd.layers.ParameterRole;
import org.dpvideo.dpsgd.persample.ExampleLayout;
import org.dpvideo.dpsgd.persample.GradientSums;
import org.dpvideo.dpsgd.persample.MicroBatch;
import org.dpvideo.dpsgd.persample.NormStrategy;
import org.dpvideo.dpsgd.persample.PerSampleEngine;
import org.dpvideo.finetune.sample.AutoregressiveModel;
import org.dpvideo.finetune.task.Task;
import org.dpvideo.finetune.task.TaskLayout;
import org.dpvideo.finetune.task.TaskPrompts;
import org.dpvideo.finetune.train.TaskExamples;
import org.dpvideo.tokenizer.GridShape;
import org.dpvideo.tokenizer.TokenGrid;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class VideoLmTest {
  static final int CODES = 12;
  static final GridShape GRID = new GridShape(3, 2, 2);

  static VideoLmConfig tinyConfig() {
    return VideoLmConfig.tiny(CODES, GRID.t(), GRID.h(), GRID.w());
  }

  static TokenGrid randomGrid(Random r) {
    int[] ids = new int[GRID.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = r.nextInt(CODES);
    }
    return new TokenGrid(GRID, ids);
  }

  /** Gives every LoRA B random values so the adapters change the function (they start at zero). */
  static void perturbAdapters(VideoLm lm, long seed) {
    Random r = new Random(seed);
    for (Parameter p : lm.parameters().all()) {
      if (p.role() == ParameterRole.LORA_B) {
        float[] v = new float[(int) p.length()];
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) (r.nextGaussian() * 0.2);
        }
        p.value().assign(Nd4j.create(v, p.shape(), 'c'));
      }
    }
  }

  static TaskExamples examples(VideoLmConfig c, TaskLayout layout, int n, long seed) {
    Random r = new Random(seed);
    List<int[]> seqs = new ArrayList<>();
    int[] subjects = new int[n];
    for (int i = 0; i < n; i++) {
      seqs.add(TaskPrompts.sequence(layout, c.vocabulary(), randomGrid(r), "clip " + i, randomGrid(r)));
      subjects[i] = i;
    }
    return new TaskExamples(layout, seqs, subjects, new int[n]);
  }

  @Test
  void cachedAndRecomputingDecoders_giveTheSameLogits_withAdapters() {
    VideoLmConfig c = tinyConfig();
    VideoLm lm = VideoLm.create(c, 1);
    lm.addAdapters(2, 4, VideoLm.ADAPTER_TARGETS);
    perturbAdapters(lm, 2);
    TaskLayout layout = new TaskLayout(Task.IMAGE_TO_VIDEO, GRID, 8);
    Random r = new Random(3);
    int[] prefix = TaskPrompts.prefix(layout, c.vocabulary(), randomGrid(r), "wave", null);
    AutoregressiveModel cached = new CachedDecoder(lm, layout.sequenceLength());
    AutoregressiveModel full = new RecomputingDecoder(lm, layout.sequenceLength());
    assertEquals(c.vocabulary().size(), cached.vocabSize());
    try (AutoregressiveModel.DecodingSession a = cached.start(prefix);
        AutoregressiveModel.DecodingSession b = full.start(prefix)) {
      for (int step = 0; step < layout.outputTokens(); step++) {
        float[] la = a.logits();
        float[] lb = b.logits();
        double maxDiff = 0;
        double scale = 0;
        for (int i = 0; i < la.length; i++) {
          maxDiff = Math.max(maxDiff, Math.abs(la[i] - lb[i]));
          scale = Math.max(scale, Math.abs(lb[i]));
        }
        assertTrue(maxDiff <= 1e-4 * Math.max(1, scale), "step " + step + ": logits differ by " + maxDiff);
        int next = c.vocabulary().videoId(r.nextInt(CODES));
        a.append(next);
        b.append(next);
        assertEquals(a.length(), b.length());
      }
      assertThrows(IllegalStateException.class, () -> a.append(c.vocabulary().videoId(0)));
    }
  }

  @Test
  void trainingLoss_isTheMeanNllOfTheOutputTokensOnly() {
    VideoLmConfig c = tinyConfig();
    VideoLm lm = VideoLm.create(c, 5);
    TaskLayout layout = new TaskLayout(Task.IMAGE_TO_VIDEO, GRID, 8);
    TaskExamples ex = examples(c, layout, 3, 6);
    DpModel train = lm.trainingGraph(layout.inputLength(), layout.prefixLength());
    Map<String, INDArray> ph = ex.placeholders(new int[] {0, 1, 2}, c);
    double[] losses = train.output(ph, train.perExampleLoss()).get(train.perExampleLoss()).toDoubleVector();
    VideoLm.Graph full = lm.graph(VideoLm.Kind.LOGITS, layout.inputLength(), layout.prefixLength());
    String name = full.output("logits");
    INDArray logits = full.model().output(Map.of("tokens", ph.get("tokens"), "positions", ph.get("positions")), name)
        .get(name);
    int t = layout.inputLength();
    int p = layout.prefixLength();
    for (int e = 0; e < 3; e++) {
      int[] seq = ex.sequences().get(e);
      double nll = 0;
      for (int pos = p - 1; pos < t; pos++) {
        double[] row = logits.getRow((long) e * t + pos).toDoubleVector();
        double max = java.util.Arrays.stream(row).max().getAsDouble();
        double z = 0;
        for (double x : row) {
          z += Math.exp(x - max);
        }
        nll += -(row[seq[pos + 1]] - max - Math.log(z));
      }
      assertEquals(nll / layout.outputTokens(), losses[e], 1e-4);
    }
  }

  @Test
  void perExampleGradients_ofEveryTrainedParameter_matchBatchOfOneBackward() {
    VideoLmConfig c = tinyConfig();
    for (FineTuneMode mode : List.of(new FineTuneMode.Full(), new FineTuneMode.Lora(2, 4, VideoLm.ADAPTER_TARGETS))) {
      VideoLm lm = VideoLm.create(c, 7);
      mode.apply(lm);
      if (mode instanceof FineTuneMode.Lora) {
        perturbAdapters(lm, 8);
      }
      TaskLayout layout = new TaskLayout(Task.FRAME_CONTINUATION, GRID, 6);
      TaskExamples ex = examples(c, layout, 3, 9);
      DpModel train = lm.trainingGraph(layout.inputLength(), layout.prefixLength());
      PerSampleEngine engine = new PerSampleEngine(train, NormStrategy.AUTO, Long.MAX_VALUE);
      List<String> names = engine.trainable().stream().map(Parameter::name).toList();
      List<Map<String, double[]>> oracle = new ArrayList<>();
      for (int e = 0; e < 3; e++) {
        try (GradientTape tape = train.backward(ex.placeholders(new int[] {e}, c), List.of(), names)) {
          Map<String, double[]> g = new java.util.HashMap<>();
          for (String n : names) {
            g.put(n, tape.gradient(n).castTo(DataType.DOUBLE).dup('c').data().asDouble());
          }
          oracle.add(g);
        }
      }
      try (MicroBatch mb = engine.record(ex.placeholders(new int[] {0, 1, 2}, c), ExampleLayout.of(new int[] {0, 1, 2}))) {
        for (int u = 0; u < 3; u++) {
          GradientSums sums = engine.newSums();
          double[] w = new double[3];
          w[u] = 1;
          mb.addWeightedSum(w, sums);
          double sq = 0;
          for (String n : names) {
            double[] expected = oracle.get(u).get(n);
            double[] actual = sums.get(n).castTo(DataType.DOUBLE).dup('c').data().asDouble();
            double diff = 0;
            double norm = 0;
            for (int i = 0; i < expected.length; i++) {
              diff += (actual[i] - expected[i]) * (actual[i] - expected[i]);
              norm += expected[i] * expected[i];
            }
            sq += norm;
            if (!n.endsWith(".k.bias") && !n.endsWith(".k.lora_b") && norm > 1e-16) {
              assertTrue(Math.sqrt(diff / norm) < 1e-3, mode.label() + ": " + n + " of unit " + u + " differs by "
                  + Math.sqrt(diff / norm));
            }
          }
          assertEquals(sq, mb.unitSquaredNorms()[u], 1e-3 * sq, mode.label() + " squared norm of unit " + u);
        }
      }
      lm.close();
    }
  }

  @Test
  void positions_continueTheConditionRowsForImageToVideo_andRestartOtherwise() {
    VideoLmConfig c = tinyConfig();
    Random r = new Random(1);
    TokenGrid g = randomGrid(r);
    TaskLayout i2v = new TaskLayout(Task.IMAGE_TO_VIDEO, GRID, 4);
    int[] seq = TaskPrompts.sequence(i2v, c.vocabulary(), g, "hi", null);
    int[] pos = TokenPositions.of(seq, c);
    int firstOut = i2v.prefixLength();
    int segmentOffset = c.maxTokenFrames() + c.maxTextPositions() + c.gridHeight() + 1 + c.gridWidth() + 1;
    assertEquals(1, pos[firstOut * 4], "the first output token is in time row 1");
    assertEquals(segmentOffset + TokenPositions.SEGMENT_OUTPUT, pos[firstOut * 4 + 3]);
    int firstCondition = 1 + 4 + 1;
    assertEquals(0, pos[firstCondition * 4]);
    assertEquals(segmentOffset + TokenPositions.SEGMENT_CONDITION, pos[firstCondition * 4 + 3]);
    TaskLayout t2v = new TaskLayout(Task.TEXT_TO_VIDEO, GRID, 4);
    int[] pos2 = TokenPositions.of(TaskPrompts.sequence(t2v, c.vocabulary(), g, "hi", null), c);
    assertEquals(0, pos2[t2v.prefixLength() * 4], "text_to_video output starts at row 0");
    // Text tokens get consecutive 1-D indices after the time rows.
    assertArrayEquals(new int[] {c.maxTokenFrames(), c.maxTokenFrames() + 1}, new int[] {pos2[0], pos2[4]});
  }
}
