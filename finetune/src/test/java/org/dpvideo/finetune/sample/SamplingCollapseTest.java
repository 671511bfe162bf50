package org.dpvideo.finetune.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.dpvideo.fairness.Provenance;
import org.dpvideo.fairness.group.GroupAssignment;
import org.dpvideo.fairness.metrics.GroupMetricsOptions;
import org.dpvideo.finetune.metrics.CollapseEvaluation;
import org.dpvideo.finetune.metrics.CollapseOptions;
import org.dpvideo.finetune.metrics.CollapseReport;
import org.dpvideo.finetune.metrics.VideoSet;
import org.dpvideo.tokenizer.GridShape;
import org.dpvideo.tokenizer.TokenGrid;
import org.junit.jupiter.api.Test;

/**
 * The sampler and the collapse statistics together: "real" grids come from a known Markov chain; a
 * model that knows the chain sampled at T = 1 reproduces the real statistics, while greedy decoding of
 * the same model collapses, and the statistics say so.
 */
class SamplingCollapseTest {
  private static final int CODES = 16;
  private static final int OFFSET = 2;
  private static final GridShape SHAPE = new GridShape(3, 4, 4);

  @Test
  void greedyDecoding_collapses_temperatureOne_matchesRealClips() {
    Random rng = new Random(17);
    float[][] logits = new float[OFFSET + CODES][OFFSET + CODES];
    for (float[] row : logits) {
      row[0] = -50f; // text ids: never drawn by the chain
      row[1] = -50f;
      for (int j = OFFSET; j < row.length; j++) {
        row[j] = (float) (1.5 * rng.nextGaussian());
      }
    }
    TableModel chain = TableModel.bigram(logits, 64);
    TokenRange codes = TokenRange.videoCodes(OFFSET, CODES);
    GenerationRequest req = new GenerationRequest(new int[] {0}, null, SHAPE, codes);
    int n = 60;
    // "real" clips: the chain itself, sampled exactly (full vocabulary, T = 1)
    List<TokenGrid> real = grids(new GridSampler(chain, SamplingConfig.DEFAULT).generate(req, n,
        SamplingRandomness.seeded(1)));
    List<TokenGrid> sampled = grids(new GridSampler(chain, SamplingConfig.DEFAULT.withAllowed(codes))
        .generate(req, n, SamplingRandomness.seeded(2)));
    List<TokenGrid> greedy = grids(new GridSampler(chain, SamplingConfig.greedy().withAllowed(codes))
        .generate(req, n, SamplingRandomness.seeded(3)));
    GroupAssignment groups = GroupAssignment.ofColumn("g", repeat("all", n));
    GroupMetricsOptions opts = GroupMetricsOptions.of(Provenance.EVAL_PUBLIC);
    VideoSet realSet = new VideoSet("chain", real, null, groups, Provenance.EVAL_PUBLIC);
    CollapseReport ok = CollapseEvaluation.evaluate(new VideoSet("T=1", sampled, null, groups, Provenance.EVAL_PUBLIC),
        realSet, CODES, CollapseOptions.DEFAULT, opts);
    CollapseReport collapsed = CollapseEvaluation.evaluate(new VideoSet("greedy", greedy, null, groups,
        Provenance.EVAL_PUBLIC), realSet, CODES, CollapseOptions.DEFAULT, opts);

    // T = 1 from the true chain: within sampling noise of the real statistics
    assertEquals(ok.overall("token_entropy_bits").baseline(), ok.overall("token_entropy_bits").value(), 0.2);
    assertEquals(ok.overall("distinct_4").baseline(), ok.overall("distinct_4").value(), 0.05);
    assertEquals(ok.overall("seq_rep_4").baseline(), ok.overall("seq_rep_4").value(), 0.05);
    // greedy: every sample is the same deterministic chain walk, ending in a cycle
    assertTrue(collapsed.overall("distinct_4").value() < 0.1 * collapsed.overall("distinct_4").baseline(),
        collapsed.overall("distinct_4").toString());
    assertTrue(collapsed.overall("token_entropy_bits").value() < collapsed.overall("token_entropy_bits").baseline() - 1,
        collapsed.overall("token_entropy_bits").toString());
    assertTrue(collapsed.overall("seq_rep_4").value() > collapsed.overall("seq_rep_4").baseline() + 0.3,
        collapsed.overall("seq_rep_4").toString());
    assertTrue(collapsed.overall("code_usage").value() < collapsed.overall("code_usage").baseline(),
        collapsed.overall("code_usage").toString());
  }

  private static List<TokenGrid> grids(List<GeneratedSample> samples) {
    List<TokenGrid> out = new ArrayList<>();
    for (GeneratedSample s : samples) {
      out.add(s.grid());
    }
    return out;
  }

  private static String[] repeat(String v, int n) {
    String[] a = new String[n];
    java.util.Arrays.fill(a, v);
    return a;
  }
}
