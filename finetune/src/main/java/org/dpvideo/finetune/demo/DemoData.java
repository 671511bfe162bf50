package org.dpvideo.finetune.demo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dpvideo.finetune.data.TokenizedClip;
import org.dpvideo.finetune.model.Vocabulary;
import org.dpvideo.finetune.task.TaskLayout;
import org.dpvideo.finetune.task.TaskPrompts;
import org.dpvideo.finetune.train.TaskExamples;
import org.dpvideo.tokenizer.dataset.FluentEmojiCatalog;

/** Turns tokenized clips into task groups; skin tones become group indices. Stateless. */
final class DemoData {
  /** The skin-tone groups in the order of the emoji modifiers, light to dark. */
  static final List<String> TONES = List.of("light", "medium_light", "medium", "medium_dark", "dark");

  private DemoData() {}

  /** The examples of {@code clips} in {@code layout}; subjects are dense ids of the rows' subjects. */
  static TaskExamples examples(TaskLayout layout, Vocabulary vocab, List<TokenizedClip> clips) {
    List<int[]> seqs = new ArrayList<>();
    int[] subjects = new int[clips.size()];
    int[] groups = new int[clips.size()];
    Map<String, Integer> ids = new HashMap<>();
    for (int i = 0; i < clips.size(); i++) {
      TokenizedClip c = clips.get(i);
      seqs.add(TaskPrompts.sequence(layout, vocab, c.grid(), c.row().caption(), c.grid()));
      subjects[i] = ids.computeIfAbsent(c.row().subject(), k -> ids.size());
      groups[i] = toneIndex(c);
    }
    return new TaskExamples(layout, seqs, subjects, groups);
  }

  /** The tone group index of a clip (0 for untoned clips). */
  static int toneIndex(TokenizedClip c) {
    int t = TONES.indexOf(c.row().group(FluentEmojiCatalog.SKIN_TONE));
    return Math.max(t, 0);
  }
}
