package org.dpvideo.finetune.generate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.dpvideo.fairness.group.GroupAssignment;
import org.dpvideo.fairness.group.GroupKey;
import org.dpvideo.fairness.metrics.GroupEstimate;
import org.dpvideo.fairness.metrics.GroupMetricsOptions;
import org.dpvideo.fairness.report.GroupTable;
import org.dpvideo.fairness.report.RunDirectory;
import org.dpvideo.fairness.report.SampleSet;
import org.dpvideo.finetune.metrics.CollapseEvaluation;
import org.dpvideo.finetune.metrics.CollapseReport;
import org.dpvideo.finetune.metrics.MetricComparison;
import org.dpvideo.finetune.metrics.PixelQuality;
import org.dpvideo.finetune.metrics.QualityEvaluation;
import org.dpvideo.finetune.metrics.QualityReport;
import org.dpvideo.finetune.metrics.SequenceScore;
import org.dpvideo.finetune.metrics.VideoSet;
import org.dpvideo.finetune.model.VideoLm;
import org.dpvideo.finetune.model.Vocabulary;
import org.dpvideo.finetune.sample.AutoregressiveModel;
import org.dpvideo.finetune.sample.BatchDecoding;
import org.dpvideo.finetune.sample.ContactSheet;
import org.dpvideo.finetune.sample.GeneratedSample;
import org.dpvideo.finetune.sample.GenerationRequest;
import org.dpvideo.finetune.sample.GridSampler;
import org.dpvideo.finetune.sample.SampleFormat;
import org.dpvideo.finetune.sample.SampleOutput;
import org.dpvideo.finetune.sample.SamplingConfig;
import org.dpvideo.finetune.sample.SamplingRandomness;
import org.dpvideo.finetune.task.Task;
import org.dpvideo.finetune.task.TaskLayout;
import org.dpvideo.finetune.task.TaskPrompts;
import org.dpvideo.tokenizer.TokenGrid;
import org.dpvideo.tokenizer.VideoTokenizer;
import org.dpvideo.tokenizer.video.Clip;

/**
 * Evaluates a video LM on one task against real held-out clips, per group and overall, in one call:
 *
 * <ol>
 *   <li><b>held-out likelihood</b>: every held-out clip's task sequence is scored by teacher forcing
 *       through the same decoder the sampler uses; NLL per output token, perplexity and next-token
 *       accuracy ({@link QualityEvaluation#likelihood});</li>
 *   <li><b>samples</b>: {@code samplesPerGroup} samples per group, sample {@code i} prompted by the
 *       group's held-out clip {@code i mod n} (its caption, and its first frame, first half or masked copy
 *       as the task asks), drawn with the settings' sampler and seed; written as one GIF per sample under
 *       {@code runDir/<name>/<group>/} with a contact sheet per group, and a contact sheet of every sample
 *       next to its prompt's held-out clip at {@code runDir/<name>/contact-sheet.png};</li>
 *   <li><b>pixels</b>: motion magnitude, brightness and detail flicker of the decoded samples next to the
 *       same statistics of the held-out clips decoded from their tokens, and PSNR/SSIM of a sample against
 *       its prompt's held-out clip for the tasks whose prompt fixes the clip (image_to_video,
 *       frame_continuation, inpainting, outpainting); {@link QualityEvaluation#clips};</li>
 *   <li><b>decoding collapse</b>: seq-rep-4, distinct-n, token entropy, code usage, longest run,
 *       previous-frame copy share and frozen-frame ratio of the samples' whole token grids next to the
 *       held-out clips' grids ({@link CollapseEvaluation}).</li>
 * </ol>
 *
 * <p>Sampling a trained model is post-processing of its parameters: it adds no privacy cost to a DP
 * fine-tune. The held-out clips are data, though: the figures and the samples (prompted by those clips)
 * carry the settings' provenance. The result is also written to {@code runDir/<name>/evaluation.json}.
 * Not thread-safe (the model's decoding is not).
 */
public final class ModelEvaluation {
  /** The file the result is written to, inside the samples directory. */
  public static final String RESULT_FILE = "evaluation.json";

  private ModelEvaluation() {}

  /**
   * Evaluates a video LM (decoded with the KV cache unless the settings say otherwise).
   *
   * @param model the model; its vocabulary's video codes must be the tokenizer's
   * @param tokenizer the video tokenizer the model was trained with (decodes samples and held-out grids)
   * @param heldOut real held-out clips, at least one, each of the layout's grid
   * @param settings task, sampler, samples per group, seed, provenance, output
   * @param runDir the run directory (created if missing)
   * @throws IllegalArgumentException when the model cannot express the task, or a clip does not fit it
   * @throws IOException when a file cannot be written
   */
  public static EvaluationResult evaluate(VideoLm model, VideoTokenizer tokenizer, List<HeldOutClip> heldOut,
      EvaluationSettings settings, Path runDir) throws IOException {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(settings, "settings");
    TaskRequests.requireExpressible(settings.layout(), model.config(), tokenizer.vocabSize());
    BatchDecoding decoding = VideoLmDecoding.of(model, settings.layout().sequenceLength(), settings.kvCache());
    return run(decoding, model.vocabulary(), settings.kvCache() ? "kv_cache" : "recompute", tokenizer, heldOut,
        settings, runDir);
  }

  /**
   * Evaluates any next-token model over the video LM's vocabulary layout (one session per sequence; the
   * settings' {@code kvCache} is ignored: the model decodes as it does).
   *
   * @param vocab the model's vocabulary (text ids, then the tokenizer's video codes)
   */
  public static EvaluationResult evaluate(AutoregressiveModel model, Vocabulary vocab, VideoTokenizer tokenizer,
      List<HeldOutClip> heldOut, EvaluationSettings settings, Path runDir) throws IOException {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(vocab, "vocab");
    if (model.vocabSize() != vocab.size()) {
      throw new IllegalArgumentException("the model has " + model.vocabSize() + " ids but the vocabulary "
          + vocab.size() + "; pass the model's own vocabulary.");
    }
    if (tokenizer.vocabSize() != vocab.videoCodes()) {
      throw new IllegalArgumentException("the video tokenizer has " + tokenizer.vocabSize() + " codes but the model "
          + vocab.videoCodes() + " video ids; use the tokenizer the model was trained with.");
    }
    return run(BatchDecoding.sequential(model), vocab, "session per sequence", tokenizer, heldOut, settings, runDir);
  }

  private static EvaluationResult run(BatchDecoding model, Vocabulary vocab, String decoder, VideoTokenizer tokenizer,
      List<HeldOutClip> heldOut, EvaluationSettings s, Path runDir) throws IOException {
    Objects.requireNonNull(tokenizer, "tokenizer");
    Objects.requireNonNull(heldOut, "heldOut");
    Objects.requireNonNull(runDir, "runDir");
    TaskLayout layout = s.layout();
    checkClips(heldOut, layout, vocab);
    SamplingConfig sampling = s.sampling().allowed() == null
        ? s.sampling().withAllowed(TaskRequests.videoCodes(vocab)) : s.sampling();

    // Groups in order of first appearance; generated and real sets share the levels.
    List<GroupKey> levels = new ArrayList<>();
    Map<GroupKey, List<Integer>> members = new LinkedHashMap<>();
    for (int i = 0; i < heldOut.size(); i++) {
      GroupKey g = heldOut.get(i).group();
      if (!members.containsKey(g)) {
        levels.add(g);
        members.put(g, new ArrayList<>());
      }
      members.get(g).add(i);
    }
    int[] realCodes = new int[heldOut.size()];
    for (int i = 0; i < realCodes.length; i++) {
      realCodes[i] = levels.indexOf(heldOut.get(i).group());
    }
    GroupAssignment realGroups = new GroupAssignment(levels, realCodes);
    GroupMetricsOptions frame = GroupMetricsOptions.of(s.provenance()).withMinGroupSize(s.minGroupSize());

    // 1. Held-out likelihood by teacher forcing.
    List<SequenceScore> scores = score(model, layout, vocab, heldOut, s.batchSize());
    QualityReport likelihood = QualityEvaluation.likelihood(scores, realGroups, frame, heldOut.size()
        + " held-out clips, " + layout.label() + ", teacher forcing");

    // 2. Samples: prompts from each group's held-out clips.
    List<GenerationRequest> requests = new ArrayList<>();
    List<Integer> promptClip = new ArrayList<>();
    int[] sampleCodes = new int[levels.size() * s.samplesPerGroup()];
    int k = 0;
    for (int g = 0; g < levels.size(); g++) {
      List<Integer> m = members.get(levels.get(g));
      for (int i = 0; i < s.samplesPerGroup(); i++) {
        int clip = m.get(i % m.size());
        requests.add(TaskRequests.request(layout, vocab, heldOut.get(clip).condition(), sampling));
        promptClip.add(clip);
        sampleCodes[k++] = g;
      }
    }
    GridSampler sampler = new GridSampler(model, sampling, s.batchSize());
    List<GeneratedSample> generated = sampler.generate(requests, SamplingRandomness.seeded(s.seed()));
    List<TokenGrid> sampleGrids = new ArrayList<>(generated.size());
    for (int i = 0; i < generated.size(); i++) {
      sampleGrids.add(TaskRequests.clipGrid(layout, vocab, requests.get(i), generated.get(i)));
    }
    GroupAssignment sampleGroups = new GroupAssignment(levels, sampleCodes);

    // 3. Decode samples and the held-out grids; pixel statistics.
    List<Clip> sampleClips = SampleOutput.decodeGrids(tokenizer, sampleGrids, s.fps());
    List<Clip> realClips = SampleOutput.decodeGrids(tokenizer, heldOut.stream().map(HeldOutClip::grid).toList(),
        s.fps());
    boolean referenced = hasReference(layout.task());
    double tau = s.collapse().frozenThreshold();
    List<PixelQuality> samplePixels = new ArrayList<>();
    for (int i = 0; i < sampleClips.size(); i++) {
      samplePixels.add(PixelQuality.of(sampleClips.get(i), referenced ? realClips.get(promptClip.get(i)) : null, tau));
    }
    List<PixelQuality> realPixels = new ArrayList<>();
    for (Clip c : realClips) {
      realPixels.add(PixelQuality.of(c, null, tau));
    }
    String sampleDesc = generated.size() + " samples, " + layout.label() + ", " + sampling.describe() + ", seed "
        + s.seed();
    String realDesc = heldOut.size() + " held-out clips decoded from their tokens";
    QualityReport pixels = QualityEvaluation.clips(samplePixels, sampleGroups, frame, sampleDesc, realPixels,
        realGroups, s.provenance(), CollapseEvaluation.BASELINE_LABEL + " (" + realDesc + ")");

    // 4. Decoding collapse against the held-out grids.
    CollapseReport collapse = CollapseEvaluation.evaluate(
        new VideoSet(sampleDesc, sampleGrids, sampleClips, sampleGroups, s.provenance()),
        new VideoSet(realDesc, heldOut.stream().map(HeldOutClip::grid).toList(), realClips, realGroups,
            s.provenance()), vocab.videoCodes(), s.collapse(), frame);

    // 5. Files.
    Path dir = runDir.resolve(s.name());
    Map<String, List<String>> files = new LinkedHashMap<>();
    List<SampleSet> sets = new ArrayList<>();
    List<ContactSheet.Row> rows = new ArrayList<>();
    String title = layout.label() + " " + sampling.describe();
    for (int g = 0; g < levels.size(); g++) {
      GroupKey key = levels.get(g);
      String label = key.label();
      List<Clip> clips = new ArrayList<>();
      List<String> labels = new ArrayList<>();
      for (int i = 0; i < sampleClips.size(); i++) {
        if (sampleCodes[i] == g) {
          HeldOutClip prompt = heldOut.get(promptClip.get(i));
          clips.add(sampleClips.get(i));
          labels.add(prompt.caption().isEmpty() ? "sample " + clips.size() : prompt.caption());
          rows.add(new ContactSheet.Row(key.valuesLabel() + " " + clips.size(), sampleClips.get(i)));
          rows.add(new ContactSheet.Row(key.valuesLabel() + " " + clips.size() + " real",
              realClips.get(promptClip.get(i))));
        }
      }
      String sub = directoryName(label, g);
      Path groupDir = dir.resolve(sub);
      Files.createDirectories(groupDir);
      SampleOutput.Files written = SampleOutput.write(groupDir, "sample-", clips, labels, label + ": " + title,
          SampleFormat.GIF, s.gifScale());
      List<String> rel = new ArrayList<>();
      for (Path p : written.videos()) {
        rel.add(s.name() + "/" + sub + "/" + p.getFileName());
      }
      files.put(label, rel);
      sets.add(new SampleSet(key, layout.task().label() + " samples prompted by held-out clips of " + label + "; "
          + sampling.describe() + ", seed " + s.seed(), s.provenance(), rel));
    }
    Path sheet = dir.resolve("contact-sheet.png");
    ContactSheet.write(title + " (each sample, then its prompt's held-out clip)", rows, Math.min(s.gifScale(), 4),
        sheet);

    List<MetricComparison> overall = new ArrayList<>(likelihood.overall());
    overall.addAll(pixels.overall());
    overall.addAll(collapse.overall());
    Map<String, List<MetricComparison>> perGroup = new LinkedHashMap<>();
    for (GroupKey key : levels) {
      perGroup.put(key.label(), new ArrayList<>());
    }
    List<GroupTable> tables = new ArrayList<>(likelihood.tables());
    tables.addAll(pixels.tables());
    tables.addAll(collapse.tables());
    for (GroupTable t : tables) {
      for (GroupEstimate e : t.groups()) {
        List<MetricComparison> list = perGroup.get(e.group().label());
        if (list != null) {
          list.add(new MetricComparison(t.metric(), t.description(), e.value(), baseline(t, e.group())));
        }
      }
    }
    String privacy = "sampling and scoring are post-processing of the model's parameters: no privacy cost beyond the"
        + " model's own guarantee; the figures and the samples' prompts come from the held-out clips ("
        + s.provenance().description() + (s.provenance().releasable() ? ")" : "; internal: do not release them)");
    EvaluationResult result = new EvaluationResult(layout.label(), sampling.describe(), decoder, s.seed(),
        s.provenance(), privacy, heldOut.size(), generated.size(), overall, perGroup, files, s.name() + "/contact-sheet.png",
        likelihood, pixels, collapse, sets);
    RunDirectory.writeAtomically(dir.resolve(RESULT_FILE), result.toJson());
    return result;
  }

  /**
   * Teacher-forced scores of the held-out clips' task sequences: each batch of prompts starts one
   * decoding, and at every output position the logits are read and the true token appended.
   */
  static List<SequenceScore> score(BatchDecoding model, TaskLayout layout, Vocabulary vocab, List<HeldOutClip> clips,
      int batchSize) {
    List<SequenceScore> out = new ArrayList<>(clips.size());
    int n = layout.outputTokens();
    int p = layout.prefixLength();
    for (int from = 0; from < clips.size(); from += batchSize) {
      int b = Math.min(batchSize, clips.size() - from);
      int[][] prefixes = new int[b][];
      int[][] targets = new int[b][];
      for (int i = 0; i < b; i++) {
        HeldOutClip c = clips.get(from + i);
        int[] seq = TaskPrompts.sequence(layout, vocab, c.grid(), c.caption(), c.reference());
        prefixes[i] = java.util.Arrays.copyOf(seq, p);
        targets[i] = java.util.Arrays.copyOfRange(seq, p, p + n);
      }
      float[][][] logits = new float[b][n][];
      try (BatchDecoding.Batch batch = model.start(prefixes)) {
        for (int t = 0; t < n; t++) {
          float[][] l = batch.logits();
          for (int i = 0; i < b; i++) {
            logits[i][t] = l[i];
          }
          if (t + 1 < n) {
            int[] next = new int[b];
            for (int i = 0; i < b; i++) {
              next[i] = targets[i][t];
            }
            batch.append(next);
          }
        }
      }
      for (int i = 0; i < b; i++) {
        out.add(SequenceScore.fromLogits(logits[i], targets[i]));
      }
    }
    return out;
  }

  /** Whether a sample has a true clip to be compared with: its prompt fixes the clip it should become. */
  static boolean hasReference(Task task) {
    return switch (task) {
      case IMAGE_TO_VIDEO, FRAME_CONTINUATION, INPAINTING, OUTPAINTING -> true;
      default -> false;
    };
  }

  private static double baseline(GroupTable t, GroupKey group) {
    for (GroupEstimate e : t.baseline()) {
      if (e.group().equals(group)) {
        return e.value();
      }
    }
    return Double.NaN;
  }

  private static String directoryName(String label, int index) {
    String d = label.replaceAll("[^A-Za-z0-9=._-]", "_");
    return d.isEmpty() || d.startsWith(".") ? "group" + index : d;
  }

  private static void checkClips(List<HeldOutClip> clips, TaskLayout layout, Vocabulary vocab) {
    if (clips.isEmpty()) {
      throw new IllegalArgumentException("the evaluation needs at least one held-out clip, got none.");
    }
    List<String> bad = new ArrayList<>();
    for (int i = 0; i < clips.size(); i++) {
      HeldOutClip c = clips.get(i);
      if (!c.grid().shape().equals(layout.grid())) {
        bad.add("clip " + i + " has grid " + c.grid().shape());
      } else if (c.grid().maxIdExclusive() > vocab.videoCodes()) {
        bad.add("clip " + i + " holds code " + (c.grid().maxIdExclusive() - 1));
      }
      if (layout.task() == Task.PERSONALIZATION && c.reference() == null) {
        bad.add("clip " + i + " has no reference image");
      }
    }
    if (!bad.isEmpty()) {
      throw new IllegalArgumentException("held-out clips must have the " + layout.label() + " grid " + layout.grid()
          + ", codes below " + vocab.videoCodes() + (layout.task() == Task.PERSONALIZATION ? " and a reference image"
          : "") + ", but " + (bad.size() > 20 ? bad.subList(0, 20) + " and " + (bad.size() - 20) + " more" : bad)
          + ".");
    }
  }
}
