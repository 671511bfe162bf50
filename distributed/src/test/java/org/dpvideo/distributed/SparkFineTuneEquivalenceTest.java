package org.dpvideo.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Random;
import org.dpvideo.dpsgd.accounting.AccountantKind;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.accounting.PldAccountant;
import org.dpvideo.dpsgd.accounting.PrivacyAccountant;
import org.dpvideo.dpsgd.clipping.DpsgdGlobalAdapt;
import org.dpvideo.dpsgd.layers.Parameter;
import org.dpvideo.dpsgd.noise.Randomness;
import org.dpvideo.dpsgd.optim.OptimizerConfig;
import org.dpvideo.dpsgd.sampling.PrivacyUnit;
import org.dpvideo.finetune.checkpoint.ModelFile;
import org.dpvideo.finetune.model.FineTuneMode;
import org.dpvideo.finetune.model.VideoLm;
import org.dpvideo.finetune.model.VideoLmConfig;
import org.dpvideo.finetune.task.Task;
import org.dpvideo.finetune.task.TaskLayout;
import org.dpvideo.finetune.task.TaskPrompts;
import org.dpvideo.finetune.train.PrivacySettings;
import org.dpvideo.finetune.train.PrivateFineTune;
import org.dpvideo.finetune.train.PrivatePlan;
import org.dpvideo.finetune.train.SparkFineTune;
import org.dpvideo.finetune.train.TaskExamples;
import org.dpvideo.tokenizer.GridShape;
import org.dpvideo.tokenizer.TokenGrid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The video LM fine-tune on Spark ({@link SparkFineTune}, {@code local[2]}, 2 partitions) against the
 * single-process {@link PrivateFineTune} with keyed sampling and the same seed as oracle: subject-level
 * units with two clips each, Global-Adapt (a noisy count each step), LoRA, condition dropout. Same spent
 * event and ε, same ledger records, same clipping state, trained parameters equal up to float summation
 * order.
 */
class SparkFineTuneEquivalenceTest {
  private static final int CODES = 12;
  private static final GridShape GRID = new GridShape(3, 2, 2);
  private static final double PARAMETER_TOLERANCE = 1e-4;

  @TempDir
  Path dir;

  /** Ledger records of a run, in order. */
  private static final class Recorded implements PrivateFineTune.LedgerRecorder {
    final List<DpEvent> progress = new ArrayList<>();
    DpEvent completed;

    @Override
    public String runId() {
      return "test-run";
    }

    @Override
    public void progress(DpEvent spentSoFar) {
      progress.add(spentSoFar);
    }

    @Override
    public void complete(DpEvent finalEvent) {
      completed = finalEvent;
    }
  }

  private static TaskExamples examples(VideoLmConfig c, TaskLayout layout, int subjects, long seed) {
    Random r = new Random(seed);
    List<int[]> seqs = new ArrayList<>();
    int n = 2 * subjects;
    int[] subject = new int[n];
    for (int i = 0; i < n; i++) {
      seqs.add(TaskPrompts.sequence(layout, c.vocabulary(), grid(r), "clip " + i, grid(r)));
      subject[i] = i % subjects;   // two clips per subject, interleaved: a unit's examples are not contiguous
    }
    return new TaskExamples(layout, seqs, subject, new int[n]);
  }

  private static TokenGrid grid(Random r) {
    int[] ids = new int[GRID.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = r.nextInt(CODES);
    }
    return new TokenGrid(GRID, ids);
  }

  private static Map<String, float[]> trained(VideoLm lm) {
    Map<String, float[]> out = new HashMap<>();
    for (Parameter p : lm.parameters().trainable()) {
      out.put(p.name(), p.value().dup('c').data().asFloat());
    }
    return out;
  }

  @Test
  void sparkFineTune_sameSeedAsKeyedSingleProcess_spendsTheSameAndTrainsTheSameParameters() throws IOException {
    VideoLmConfig cfg = VideoLmConfig.tiny(CODES, GRID.t(), GRID.h(), GRID.w());
    Path base = dir.resolve("base.dpvlm");
    try (VideoLm lm = VideoLm.create(cfg, 3)) {
      ModelFile.save(lm, new ModelFile.Info("test-tokenizer", null), base);
    }
    TaskLayout layout = new TaskLayout(Task.IMAGE_TO_VIDEO, GRID, 4);
    TaskExamples ex = examples(cfg, layout, 8, 11);
    PrivacyAccountant acc = new PldAccountant();
    PrivacySettings settings = new PrivacySettings(OptionalDouble.empty(), OptionalDouble.of(1.1), 1e-3,
        PrivacyUnit.SUBJECT, DpsgdGlobalAdapt.withDefaults(1.0), 0.5, 4, 2, AccountantKind.PLD);
    PrivatePlan plan = PrivatePlan.of(settings, List.of("i2v"), new double[] {1}, acc);
    PrivateFineTune.Options options = new PrivateFineTune.Options(OptimizerConfig.adam(0.05),
        new FineTuneMode.Lora(2, 4.0), 0.5, 7, 2, 4, false);

    Recorded singleLedger = new Recorded();
    Map<String, float[]> before;
    Map<String, float[]> single;
    PrivateFineTune.Result a;
    try (VideoLm lm = ModelFile.load(base).model()) {
      options.mode().apply(lm);
      before = trained(lm);
      a = PrivateFineTune.train(lm, plan, List.of(ex), options.withKeyedSampling(), dir.resolve("single"), singleLedger,
          null, Randomness.seeded(42), null, null, acc);
      single = trained(lm);
    }
    Recorded sparkLedger = new Recorded();
    Map<String, float[]> spark;
    PrivateFineTune.Result b;
    try (VideoLm lm = ModelFile.load(base).model()) {
      b = SparkFineTune.train(lm, base, plan, List.of(ex), options, new SparkFineTune.Cluster("local[2]", 2),
          sparkLedger, Randomness.seeded(42), null, acc);
      spark = trained(lm);
    }

    assertEquals(4, b.steps());
    assertEquals(a.spent(), b.spent());
    assertEquals(a.guarantee().epsilon(), b.guarantee().epsilon(), 0.0);
    assertEquals(singleLedger.progress, sparkLedger.progress, "ledger progress records");
    assertEquals(1, sparkLedger.progress.size(), "one progress record at step 2 of 4");
    assertEquals(b.spent(), sparkLedger.completed);
    assertEquals(a.clipping().toString(), b.clipping().toString());
    assertEquals(single.keySet(), spark.keySet());
    double moved = 0;
    for (Map.Entry<String, float[]> e : single.entrySet()) {
      float[] s = e.getValue();
      float[] d = spark.get(e.getKey());
      float[] b0 = before.get(e.getKey());
      for (int i = 0; i < s.length; i++) {
        assertEquals(s[i], d[i], PARAMETER_TOLERANCE, e.getKey() + "[" + i + "]");
        moved = Math.max(moved, Math.abs(s[i] - b0[i]));
      }
    }
    assertTrue(moved > 1e-3, "training changed the parameters (max change " + moved + ")");
  }

  @Test
  void sparkFineTune_severalTaskGroups_isRefusedBeforeAnythingRuns() {
    PrivacySettings settings = new PrivacySettings(OptionalDouble.empty(), OptionalDouble.of(1.1), 1e-3,
        PrivacyUnit.SUBJECT, DpsgdGlobalAdapt.withDefaults(1.0), 0.5, 4, 2, AccountantKind.PLD);
    PrivatePlan plan = PrivatePlan.of(settings, List.of("i2v", "fc"), new double[] {1, 1}, new PldAccountant());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkFineTune.checkSupported(plan));
    assertTrue(e.getMessage().contains("--spark trains one task group per run"), e.getMessage());
  }
}
