package org.dpvideo.finetune.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.dpvideo.dpsgd.noise.RandomnessLabel;
import org.dpvideo.tokenizer.GridShape;
import org.dpvideo.tokenizer.TokenGrid;
import org.junit.jupiter.api.Test;

class GridSamplerTest {
  /** Vocabulary: 0 = task token, 1 = null-condition token, 2..5 = four video codes. */
  private static final TokenRange CODES = TokenRange.videoCodes(2, 4);
  private static final int[] PROMPT = {0};
  private static final int[] NULL_PROMPT = {1};

  /** Bigram logits; the text ids 0 and 1 are always the most likely, so the code restriction matters. */
  private static final float[][] BIGRAM = {
      {5f, 5f, 0.0f, 1.0f, -1.0f, 0.5f},
      {5f, 5f, 1.0f, 0.0f, 0.0f, 0.0f},
      {5f, 5f, 2.0f, 0.0f, 1.0f, -0.5f},
      {5f, 5f, -1.0f, 1.5f, 0.0f, 0.5f},
      {5f, 5f, 0.3f, 0.3f, 1.2f, 0.0f},
      {5f, 5f, 1.0f, 1.0f, 1.0f, 1.0f},
  };

  private static double[] restrictedSoftmax(float[] row, double t) {
    double[] p = new double[row.length];
    double z = 0;
    for (int i = CODES.start(); i < CODES.end(); i++) {
      z += Math.exp(row[i] / t);
    }
    for (int i = CODES.start(); i < CODES.end(); i++) {
      p[i] = Math.exp(row[i] / t) / z;
    }
    return p;
  }

  private static GenerationRequest request(GridShape shape) {
    return new GenerationRequest(PROMPT, NULL_PROMPT, shape, CODES);
  }

  @Test
  void generate_bigramModel_transitionFrequenciesMatchModel() {
    TableModel model = TableModel.bigram(BIGRAM, 64);
    double t = 0.9;
    GridSampler sampler = new GridSampler(model, SamplingConfig.DEFAULT.withTemperature(t).withAllowed(CODES));
    List<GeneratedSample> samples = sampler.generate(request(new GridShape(2, 3, 4)), 600,
        SamplingRandomness.seeded(11));
    long[][] counts = new long[6][6];
    for (GeneratedSample s : samples) {
      int prev = PROMPT[0];
      for (int tok : s.tokens()) {
        assertTrue(CODES.contains(tok), "token " + tok + " outside the codes");
        counts[prev][tok]++;
        prev = tok;
      }
    }
    for (int a : new int[] {0, 2, 3, 4, 5}) {
      long row = 0;
      for (long c : counts[a]) {
        row += c;
      }
      double[] p = restrictedSoftmax(BIGRAM[a], t);
      for (int b = CODES.start(); b < CODES.end(); b++) {
        double sd = Math.sqrt(row * p[b] * (1 - p[b]));
        // fixed seed; tolerance 4.5 standard deviations of the transition count
        assertTrue(Math.abs(counts[a][b] - row * p[b]) <= 4.5 * sd, "transition " + a + "->" + b + ": " + counts[a][b]
            + " of " + row + ", expected " + row * p[b] + " +- " + 4.5 * sd);
      }
    }
  }

  @Test
  void generate_greedy_followsArgmaxChain() {
    TableModel model = TableModel.bigram(BIGRAM, 64);
    GridSampler sampler = new GridSampler(model, SamplingConfig.greedy().withAllowed(CODES));
    GeneratedSample s = sampler.generate(request(new GridShape(1, 2, 3)), 1, SamplingRandomness.seeded(1)).get(0);
    // from 0: codes argmax is 3 (1.0); from 3: 3 (1.5); stays 3
    assertArrayEquals(new int[] {3, 3, 3, 3, 3, 3}, s.tokens());
    TableModel other = TableModel.bigram(BIGRAM, 64);
    GeneratedSample viaTopK = new GridSampler(other, SamplingConfig.DEFAULT.withTopK(1).withAllowed(CODES))
        .generate(request(new GridShape(1, 2, 3)), 1, SamplingRandomness.secure()).get(0);
    assertArrayEquals(s.tokens(), viaTopK.tokens());
  }

  @Test
  void generate_withoutRestriction_drawsTextIdsTheModelPrefers() {
    TableModel model = TableModel.bigram(BIGRAM, 64);
    GeneratedSample s = new GridSampler(model, SamplingConfig.greedy())
        .generate(request(new GridShape(1, 1, 3)), 1, SamplingRandomness.seeded(1)).get(0);
    assertArrayEquals(new int[] {0, 0, 0}, s.tokens());
    assertFalse(s.isDecodable());
    IllegalStateException e = assertThrows(IllegalStateException.class, s::grid);
    assertTrue(e.getMessage().contains("not a video code"), e.getMessage());
  }

  @Test
  void grid_subtractsTheCodeOffset() {
    GeneratedSample s = new GeneratedSample(0, new int[] {2, 5, 3, 4}, new GridShape(1, 2, 2), CODES);
    assertEquals(new TokenGrid(new GridShape(1, 2, 2), new int[] {0, 3, 1, 2}), s.grid());
  }

  /** Conditional prompt (first token 0) and null prompt (first token 1) give different logits. */
  private static TableModel guidedModel() {
    float[] c = {0f, 0f, 3.0f, 2.9f, 0.0f, -1.0f};
    float[] u = {0f, 0f, 3.0f, 1.0f, 0.5f, -1.0f};
    return new TableModel(6, 64, seq -> (seq[0] == 0 ? c : u).clone());
  }

  @Test
  void generate_guidance_greedyPicksArgmaxOfGuidedLogits() {
    SamplingConfig greedy = SamplingConfig.greedy().withAllowed(CODES);
    GridShape shape = new GridShape(1, 1, 4);
    GeneratedSample plain = new GridSampler(guidedModel(), greedy).generate(request(shape), 1,
        SamplingRandomness.seeded(3)).get(0);
    assertArrayEquals(new int[] {2, 2, 2, 2}, plain.tokens());
    // u + 3 (c - u): id 2 -> 3.0, id 3 -> 1 + 3 * 1.9 = 6.7, id 4 -> 0.5 - 1.5 = -1.0
    GeneratedSample guided = new GridSampler(guidedModel(), greedy.withCfgScale(3)).generate(request(shape), 1,
        SamplingRandomness.seeded(3)).get(0);
    assertArrayEquals(new int[] {3, 3, 3, 3}, guided.tokens());
  }

  @Test
  void generate_guidance_drawsFromSoftmaxOfGuidedLogits() {
    TableModel model = guidedModel();
    double s = 2.0;
    GridSampler sampler = new GridSampler(model, SamplingConfig.DEFAULT.withCfgScale(s).withAllowed(CODES));
    List<GeneratedSample> samples = sampler.generate(request(new GridShape(1, 1, 8)), 500,
        SamplingRandomness.seeded(5));
    float[] c = {0f, 0f, 3.0f, 2.9f, 0.0f, -1.0f};
    float[] u = {0f, 0f, 3.0f, 1.0f, 0.5f, -1.0f};
    double[] p = restrictedSoftmax(ClassifierFreeGuidance.combine(c, u, s), 1.0);
    long[] counts = new long[6];
    for (GeneratedSample g : samples) {
      for (int tok : g.tokens()) {
        counts[tok]++;
      }
    }
    long n = 500L * 8;
    for (int b = CODES.start(); b < CODES.end(); b++) {
      double sd = Math.sqrt(n * p[b] * (1 - p[b]));
      assertTrue(Math.abs(counts[b] - n * p[b]) <= 4.5 * sd, "id " + b + ": " + counts[b] + ", expected " + n * p[b]);
    }
  }

  @Test
  void generate_guidance_runsBothBranchesOnTheSameTokensAndClosesThem() {
    TableModel model = guidedModel();
    GeneratedSample s = new GridSampler(model, SamplingConfig.DEFAULT.withCfgScale(2.5).withAllowed(CODES))
        .generate(request(new GridShape(1, 2, 2)), 1, SamplingRandomness.seeded(9)).get(0);
    assertEquals(2, model.sessions.size());
    TableModel.Session cond = model.sessions.get(0);
    TableModel.Session uncond = model.sessions.get(1);
    assertArrayEquals(PROMPT, cond.prefix);
    assertArrayEquals(NULL_PROMPT, uncond.prefix);
    assertEquals(cond.appended, uncond.appended);
    // every generated token but the last is appended (the last needs no further logits)
    int[] t = s.tokens();
    assertEquals(List.of(t[0], t[1], t[2]), cond.appended);
    assertTrue(cond.closed && uncond.closed);
  }

  @Test
  void generate_scaleOne_opensNoNullBranch() {
    TableModel model = guidedModel();
    new GridSampler(model, SamplingConfig.DEFAULT.withAllowed(CODES))
        .generate(new GenerationRequest(PROMPT, null, new GridShape(1, 2, 2), CODES), 2, SamplingRandomness.seeded(9));
    assertEquals(2, model.sessions.size()); // one per sample, both conditional
    assertTrue(model.sessions.stream().allMatch(x -> x.prefix[0] == 0));
  }

  @Test
  void generate_seeded_isReproducibleAndIndependentOfBatchSize() {
    SamplingConfig c = SamplingConfig.DEFAULT.withAllowed(CODES);
    GridShape shape = new GridShape(2, 2, 2);
    List<GeneratedSample> a = new GridSampler(TableModel.bigram(BIGRAM, 64), c).generate(request(shape), 5,
        SamplingRandomness.seeded(42));
    List<GeneratedSample> b = new GridSampler(TableModel.bigram(BIGRAM, 64), c).generate(request(shape), 3,
        SamplingRandomness.seeded(42));
    assertEquals(a.subList(0, 3), b);
    List<GeneratedSample> other = new GridSampler(TableModel.bigram(BIGRAM, 64), c).generate(request(shape), 5,
        SamplingRandomness.seeded(43));
    assertNotEquals(a, other);
    assertEquals(RandomnessLabel.SEEDED, SamplingRandomness.seeded(42).label());
    assertEquals(RandomnessLabel.SECURE, SamplingRandomness.secure().label());
  }

  @Test
  void generate_batched_equalsOneByOne_andRunsOneBatchPerChunk() {
    SamplingConfig c = SamplingConfig.DEFAULT.withCfgScale(2).withAllowed(CODES);
    GridShape shape = new GridShape(2, 2, 2);
    List<GeneratedSample> single = new GridSampler(guidedModel(), c).generate(request(shape), 7,
        SamplingRandomness.seeded(4));
    TableModel model = guidedModel();
    int[] starts = {0};
    List<Integer> rows = new java.util.ArrayList<>();
    BatchDecoding inner = BatchDecoding.sequential(model);
    BatchDecoding counting = new BatchDecoding() {
      @Override
      public int vocabSize() {
        return inner.vocabSize();
      }

      @Override
      public int maxSequenceLength() {
        return inner.maxSequenceLength();
      }

      @Override
      public Batch start(int[][] prefixes) {
        starts[0]++;
        rows.add(prefixes.length);
        return inner.start(prefixes);
      }
    };
    List<GeneratedSample> batched = new GridSampler(counting, c, 3).generate(request(shape), 7,
        SamplingRandomness.seeded(4));
    assertEquals(single, batched);
    assertEquals(3, starts[0]);
    assertEquals(List.of(6, 6, 2), rows); // conditional and null rows of 3, 3 and 1 samples
    assertTrue(model.sessions.stream().allMatch(x -> x.closed));
  }

  @Test
  void generate_requestTooLongOrUnguided_isRejectedClearly() {
    TableModel model = TableModel.bigram(BIGRAM, 10);
    GridSampler sampler = new GridSampler(model, SamplingConfig.DEFAULT.withAllowed(CODES));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> sampler.generate(request(new GridShape(2, 2, 3)), 1, SamplingRandomness.seeded(1)));
    assertTrue(e.getMessage().contains("maximum sequence length 10"), e.getMessage());
    GridSampler guided = new GridSampler(model, SamplingConfig.DEFAULT.withCfgScale(2).withAllowed(CODES));
    IllegalArgumentException noNull = assertThrows(IllegalArgumentException.class, () -> guided.generate(
        new GenerationRequest(PROMPT, null, new GridShape(1, 1, 2), CODES), 1, SamplingRandomness.seeded(1)));
    assertTrue(noNull.getMessage().contains("null-condition prompt"), noNull.getMessage());
    assertThrows(IllegalArgumentException.class, () -> sampler.generate(
        new GenerationRequest(new int[] {7}, null, new GridShape(1, 1, 2), CODES), 1, SamplingRandomness.seeded(1)));
    assertThrows(IllegalArgumentException.class,
        () -> new GridSampler(model, SamplingConfig.DEFAULT.withAllowed(new TokenRange(2, 9))));
    assertTrue(model.sessions.isEmpty(), "no session may be opened for a rejected request");
  }

  @Test
  void samplingConfig_badValues_areRejected() {
    assertThrows(IllegalArgumentException.class, () -> SamplingConfig.DEFAULT.withTemperature(-0.1));
    assertThrows(IllegalArgumentException.class, () -> SamplingConfig.DEFAULT.withTopK(-1));
    assertThrows(IllegalArgumentException.class, () -> SamplingConfig.DEFAULT.withTopP(0));
    assertThrows(IllegalArgumentException.class, () -> SamplingConfig.DEFAULT.withTopP(1.5));
    assertThrows(IllegalArgumentException.class, () -> SamplingConfig.DEFAULT.withCfgScale(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> new TokenRange(5, 5));
    assertEquals("T=1 top-k=40 top-p=off cfg=3 ids [275, 1299)",
        SamplingConfig.DEFAULT.withTopK(40).withCfgScale(3).withAllowed(TokenRange.videoCodes(275, 1024)).describe());
  }
}
