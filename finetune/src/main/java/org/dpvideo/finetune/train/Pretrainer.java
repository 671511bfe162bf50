package org.dpvideo.finetune.train;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.dpvideo.dpsgd.layers.DpModel;
import org.dpvideo.dpsgd.optim.NonPrivateOptimizer;
import org.dpvideo.dpsgd.optim.OptimizerConfig;
import org.dpvideo.dpsgd.step.BatchAssembler;
import org.dpvideo.dpsgd.step.NonPrivateStep;
import org.dpvideo.finetune.model.VideoLm;
import org.dpvideo.finetune.model.VideoLmConfig;
import org.dpvideo.finetune.model.Vocabulary;
import org.dpvideo.finetune.task.Task;
import org.dpvideo.finetune.task.TaskLayout;
import org.dpvideo.finetune.task.TaskPrompts;
import org.dpvideo.tokenizer.GridShape;

/**
 * Non-private pretraining of the video LM on public data with Alternating Gradient Descent (one task
 * group per step, so no padding between sequences) and VideoPoet's two-stage image/video mixing: for the
 * first {@code stageOneFraction} of the steps an image group is chosen with probability
 * {@code stageOneImageShare} (0.9), afterwards with {@code stageTwoImageShare} (0.1); within images or
 * videos a group is chosen by its weight. Every parameter is trained, with one optimizer state.
 *
 * <p>Only for public data: nothing here is private. Not thread-safe.
 */
public final class Pretrainer {
  /**
   * One task group of pretraining.
   *
   * @param examples the group's sequences
   * @param image whether the group holds images (one-frame clips) for the two-stage mixing
   * @param weight relative frequency among the groups of its kind, &gt; 0
   * @param batchSize sequences per step, &gt;= 1
   */
  public record Group(TaskExamples examples, boolean image, double weight, int batchSize) {
    public Group {
      Objects.requireNonNull(examples, "examples");
      if (!(weight > 0) || batchSize < 1) {
        throw new IllegalArgumentException("a pretraining group needs weight > 0 and batchSize >= 1, got " + weight
            + " and " + batchSize);
      }
    }
  }

  /**
   * Pretraining settings.
   *
   * @param steps optimizer steps, &gt;= 1
   * @param optimizer the update rule
   * @param stageOneFraction fraction of steps in the image-heavy first stage, in [0, 1]
   * @param stageOneImageShare probability of an image group in stage one
   * @param stageTwoImageShare probability of an image group in stage two
   * @param conditionDropout probability of the null condition per example (for guidance)
   * @param seed seed of the group and batch choices and of the dropout
   */
  public record Settings(long steps, OptimizerConfig optimizer, double stageOneFraction, double stageOneImageShare,
      double stageTwoImageShare, double conditionDropout, long seed) {
    public Settings {
      if (steps < 1) {
        throw new IllegalArgumentException("pretraining needs at least 1 step, got " + steps);
      }
      Objects.requireNonNull(optimizer, "optimizer");
      for (double p : new double[] {stageOneFraction, stageOneImageShare, stageTwoImageShare}) {
        if (!(p >= 0 && p <= 1)) {
          throw new IllegalArgumentException("stage fractions and image shares must be in [0, 1], got " + p);
        }
      }
    }

    /** VideoPoet's schedule: 90% images for the first 25% of steps, then 10%; dropout 0.1; Adam 3e-3. */
    public static Settings videoPoet(long steps, long seed) {
      return new Settings(steps, OptimizerConfig.adam(3e-3), 0.25, 0.9, 0.1, 0.1, seed);
    }

    /** The same with another optimizer. */
    public Settings withOptimizer(OptimizerConfig o) {
      return new Settings(steps, o, stageOneFraction, stageOneImageShare, stageTwoImageShare, conditionDropout, seed);
    }
  }

  /**
   * What pretraining did.
   *
   * @param steps steps taken
   * @param tokens input tokens processed
   * @param seconds wall time of the steps
   * @param paddingRatio padding tokens over input tokens of the sequences trained on
   * @param stepsPerGroup how many steps each group got
   * @param imageStepsStageOne image steps among the stage-one steps
   * @param stageOneSteps steps of stage one
   * @param losses the mean loss of every step
   */
  public record Result(long steps, long tokens, double seconds, double paddingRatio, long[] stepsPerGroup,
      long imageStepsStageOne, long stageOneSteps, double[] losses) {
    /** Input tokens per second. */
    public double tokensPerSecond() {
      return tokens / Math.max(seconds, 1e-9);
    }

    /** Mean loss of the last tenth of the steps. */
    public double finalLoss() {
      int from = (int) (losses.length * 0.9);
      double s = 0;
      for (int i = from; i < losses.length; i++) {
        s += losses[i];
      }
      return s / Math.max(1, losses.length - from);
    }
  }

  private Pretrainer() {}

  /**
   * Pretrains {@code model} (all its parameters) on the groups.
   *
   * @param progress where the progress line goes (stderr), or null
   */
  public static Result run(VideoLm model, List<Group> groups, Settings s, PrintStream progress) {
    if (groups.isEmpty()) {
      throw new IllegalArgumentException("pretraining needs at least one task group");
    }
    model.parameters().trainOnly(n -> true);
    Random rng = new Random(s.seed());
    long[] step = {0};
    List<DpModel> graphs = new ArrayList<>();
    List<NonPrivateStep> steps = new ArrayList<>();
    List<BatchAssembler> assemblers = new ArrayList<>();
    for (Group g : groups) {
      DpModel graph = model.trainingGraph(g.examples().layout().inputLength(), g.examples().layout().prefixLength());
      graphs.add(graph);
      steps.add(new NonPrivateStep(graph));
      assemblers.add(g.examples().assembler(model.config(), s.conditionDropout(), s.seed(), () -> step[0]));
    }
    NonPrivateOptimizer optimizer = new NonPrivateOptimizer(s.optimizer(), model.parameters().trainable());
    long stageOne = Math.round(s.steps() * s.stageOneFraction());
    boolean haveImages = groups.stream().anyMatch(Group::image);
    boolean haveVideos = groups.stream().anyMatch(g -> !g.image());
    long[] perGroup = new long[groups.size()];
    double[] losses = new double[(int) s.steps()];
    long tokens = 0;
    long padding = 0;
    long imageStageOne = 0;
    ProgressLine line = new ProgressLine(progress, "pretrain", s.steps(), 0);
    long t0 = System.nanoTime();
    for (step[0] = 0; step[0] < s.steps(); step[0]++) {
      // Pick the task group: images or videos by the stage's share, then a group of that kind by weight.
      double imageShare = step[0] < stageOne ? s.stageOneImageShare() : s.stageTwoImageShare();
      boolean image = haveImages && (!haveVideos || rng.nextDouble() < imageShare);
      int g = pick(groups, image, rng);
      Group group = groups.get(g);
      if (image && step[0] < stageOne) {
        imageStageOne++;
      }
      // Sample a batch of the group's examples (public data: a plain seeded choice).
      int[] ids = batch(group.examples().size(), group.batchSize(), rng);
      Map<String, org.nd4j.linalg.api.ndarray.INDArray> ph = assemblers.get(g).placeholders(ids);
      optimizer.apply(steps.get(g).gradient(ph));
      losses[(int) step[0]] = steps.get(g).lastMeanLoss();
      perGroup[g]++;
      int t = group.examples().layout().inputLength();
      tokens += (long) ids.length * t;
      for (int id : ids) {
        padding += TaskPrompts.paddingTokens(
            java.util.Arrays.copyOf(group.examples().sequences().get(id), t));
      }
      line.update(step[0] + 1, losses[(int) step[0]], Double.NaN);
    }
    line.finish();
    double seconds = (System.nanoTime() - t0) / 1e9;
    return new Result(s.steps(), tokens, seconds, tokens == 0 ? 0 : (double) padding / tokens, perGroup, imageStageOne,
        stageOne, losses);
  }

  /**
   * A model config for a tokenizer's grid: text positions for the caption budget, and a sequence limit
   * that fits every task's layout at this grid.
   *
   * @throws IllegalArgumentException if the sizes are not positive or the heads do not divide the width
   */
  public static VideoLmConfig modelConfig(int videoCodes, GridShape grid, int layers, int width, int heads) {
    if (layers < 1 || width < 1 || heads < 1 || width % heads != 0) {
      throw new IllegalArgumentException("layers, width and heads must be >= 1 with heads dividing width, got "
          + layers + ", " + width + ", " + heads);
    }
    int longest = 2;
    for (Task t : Task.values()) {
      if ((t == Task.IMAGE_TO_VIDEO || t == Task.FRAME_CONTINUATION) && grid.t() < 2) {
        continue;
      }
      longest = Math.max(longest, new TaskLayout(t, grid, TaskPrompts.DEFAULT_CAPTION_TOKENS).sequenceLength());
    }
    Vocabulary v = Vocabulary.withVideoCodes(videoCodes);
    return new VideoLmConfig(v.textSize(), videoCodes, layers, width, heads, 4, grid.t(), grid.h(), grid.w(), 48,
        longest);
  }

  private static int pick(List<Group> groups, boolean image, Random rng) {
    double total = 0;
    for (Group g : groups) {
      if (g.image() == image) {
        total += g.weight();
      }
    }
    double u = rng.nextDouble() * total;
    int last = -1;
    for (int i = 0; i < groups.size(); i++) {
      if (groups.get(i).image() == image) {
        last = i;
        u -= groups.get(i).weight();
        if (u < 0) {
          return i;
        }
      }
    }
    return last;
  }

  /** {@code size} distinct indices of [0, n) (all of them, shuffled, when n is smaller). */
  static int[] batch(int n, int size, Random rng) {
    int k = Math.min(n, size);
    Map<Integer, Integer> swaps = new HashMap<>();
    int[] out = new int[k];
    for (int i = 0; i < k; i++) {
      int j = i + rng.nextInt(n - i);
      int vj = swaps.getOrDefault(j, j);
      int vi = swaps.getOrDefault(i, i);
      swaps.put(j, vi);
      out[i] = vj;
    }
    return out;
  }
}
