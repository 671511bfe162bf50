package org.dpvideo.finetune.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToIntFunction;
import org.dpvideo.finetune.data.TokenizedClip;
import org.dpvideo.finetune.model.Vocabulary;
import org.dpvideo.finetune.task.Task;
import org.dpvideo.finetune.task.TaskLayout;
import org.dpvideo.finetune.task.TaskPrompts;
import org.dpvideo.tokenizer.GridShape;

/**
 * The task groups of a training run and their public step shares, e.g. {@code i2v=0.7,fc=0.3}: every
 * clip becomes one example of every task (AGD: one task group, one fixed sequence length, per step).
 * Immutable.
 *
 * @param weights each task's share of the steps, &gt; 0, in order
 */
public record TaskMix(Map<Task, Double> weights) {
  public TaskMix {
    Objects.requireNonNull(weights, "weights");
    if (weights.isEmpty()) {
      throw new IllegalArgumentException("a task mix needs at least one task, e.g. i2v or i2v=0.7,fc=0.3");
    }
    for (var e : weights.entrySet()) {
      if (!(e.getValue() > 0) || Double.isInfinite(e.getValue())) {
        throw new IllegalArgumentException("the weight of task " + e.getKey().label() + " must be finite and > 0, got "
            + e.getValue());
      }
    }
    weights = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(weights));
  }

  /**
   * Parses {@code TASK[=WEIGHT],...} (a missing weight is 1), with the task names of {@link Task#parse}.
   *
   * @throws IllegalArgumentException naming the bad part and the accepted form
   */
  public static TaskMix parse(String text) {
    Map<Task, Double> out = new LinkedHashMap<>();
    for (String part : text.split(",")) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      String[] kv = p.split("=", -1);
      Task task = Task.parse(kv[0]);
      double w = 1;
      if (kv.length == 2) {
        try {
          w = Double.parseDouble(kv[1].trim());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("task weight '" + kv[1] + "' in '" + text + "' is not a number; write"
              + " e.g. i2v=0.7,fc=0.3");
        }
      } else if (kv.length > 2) {
        throw new IllegalArgumentException("'" + p + "' is not TASK or TASK=WEIGHT; write e.g. i2v=0.7,fc=0.3");
      }
      if (out.put(task, w) != null) {
        throw new IllegalArgumentException("task " + task.label() + " appears twice in '" + text + "'");
      }
    }
    return new TaskMix(out);
  }

  /** The tasks, in order. */
  public List<Task> tasks() {
    return List.copyOf(weights.keySet());
  }

  /** The group names (task labels), in order. */
  public List<String> names() {
    return tasks().stream().map(Task::label).toList();
  }

  /** The weights, in order. */
  public double[] weightArray() {
    return weights.values().stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** Every task's layout over a clip grid. */
  public List<TaskLayout> layouts(GridShape grid, int captionTokens) {
    List<TaskLayout> out = new ArrayList<>();
    for (Task t : tasks()) {
      out.add(new TaskLayout(t, grid, captionTokens));
    }
    return out;
  }

  /** A short form, e.g. {@code image_to_video=0.7, frame_continuation=0.3}. */
  public String describe() {
    List<String> parts = new ArrayList<>();
    weights.forEach((t, w) -> parts.add(t.label() + "=" + String.format(Locale.ROOT, "%.3g", w)));
    return String.join(", ", parts);
  }

  /**
   * The examples of {@code clips} in {@code layout}: subjects become dense ids in order of appearance; the
   * clip itself is the personalization reference (its first frame).
   *
   * @param group each clip's fairness group index
   */
  public static TaskExamples examples(TaskLayout layout, Vocabulary vocab, List<TokenizedClip> clips,
      ToIntFunction<TokenizedClip> group) {
    List<int[]> seqs = new ArrayList<>();
    int[] subjects = new int[clips.size()];
    int[] groups = new int[clips.size()];
    Map<String, Integer> ids = new java.util.HashMap<>();
    for (int i = 0; i < clips.size(); i++) {
      TokenizedClip c = clips.get(i);
      seqs.add(TaskPrompts.sequence(layout, vocab, c.grid(), c.row().caption(), c.grid()));
      subjects[i] = ids.computeIfAbsent(c.row().subject(), k -> ids.size());
      groups[i] = group.applyAsInt(c);
    }
    return new TaskExamples(layout, seqs, subjects, groups);
  }
}
