package org.dpvideo.finetune.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dpvideo.finetune.model.VideoLmConfig;
import org.dpvideo.finetune.model.Vocabulary;
import org.dpvideo.finetune.sample.GeneratedSample;
import org.dpvideo.finetune.sample.GenerationRequest;
import org.dpvideo.finetune.sample.SamplingConfig;
import org.dpvideo.finetune.task.Task;
import org.dpvideo.finetune.task.TaskLayout;
import org.dpvideo.finetune.task.TaskPrompts;
import org.dpvideo.tokenizer.GridShape;
import org.dpvideo.tokenizer.TokenGrid;
import org.dpvideo.tokenizer.text.SpecialToken;
import org.junit.jupiter.api.Test;

class TaskRequestsTest {
  static final GridShape GRID = new GridShape(4, 2, 2);
  static final Vocabulary V = Vocabulary.withVideoCodes(10);
  static final TokenGrid CLIP = new TokenGrid(GRID, new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6});
  static final TokenGrid IMAGE = new TokenGrid(new GridShape(1, 2, 2), new int[] {9, 8, 7, 6});

  @Test
  void request_everyTask_fitsItsLayout() {
    SamplingConfig guided = SamplingConfig.DEFAULT.withCfgScale(2);
    for (Task task : Task.values()) {
      TaskLayout layout = new TaskLayout(task, GRID, 6);
      SamplingConfig s = task == Task.UNCONDITIONAL ? SamplingConfig.DEFAULT : guided;
      GenerationRequest r = TaskRequests.request(layout, V, new TaskCondition("hi", CLIP, IMAGE), s);
      assertEquals(layout.prefixLength(), r.prefix().length, task.label());
      assertEquals(layout.outputTokens(), r.shape().size(), task.label());
      assertEquals(task.token().id(), r.prefix()[0]);
      if (task == Task.UNCONDITIONAL) {
        assertNull(r.nullPrefix());
      } else {
        assertNotNull(r.nullPrefix());
        assertArrayEquals(TaskPrompts.nullCondition(r.prefix(), r.prefix().length), r.nullPrefix());
      }
    }
  }

  @Test
  void request_missingCondition_saysWhatIsNeeded() {
    TaskLayout i2v = new TaskLayout(Task.IMAGE_TO_VIDEO, GRID, 6);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TaskRequests.request(i2v, V, TaskCondition.caption("x"), SamplingConfig.DEFAULT));
    assertTrue(e.getMessage().contains("image_to_video needs a condition clip"), e.getMessage());
    TaskLayout per = new TaskLayout(Task.PERSONALIZATION, GRID, 6);
    e = assertThrows(IllegalArgumentException.class,
        () -> TaskRequests.request(per, V, TaskCondition.caption("x"), SamplingConfig.DEFAULT));
    assertTrue(e.getMessage().contains("reference image"), e.getMessage());
  }

  @Test
  void request_guidanceOnUnconditional_isRejected() {
    TaskLayout u = new TaskLayout(Task.UNCONDITIONAL, GRID, 6);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TaskRequests.request(u, V, TaskCondition.none(), SamplingConfig.DEFAULT.withCfgScale(3)));
    assertTrue(e.getMessage().contains("no condition"), e.getMessage());
  }

  @Test
  void request_codesBeyondTheModel_areRejected() {
    TaskLayout fc = new TaskLayout(Task.FRAME_CONTINUATION, GRID, 6);
    Vocabulary small = Vocabulary.withVideoCodes(5);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TaskRequests.request(fc, small, new TaskCondition("", CLIP, null), SamplingConfig.DEFAULT));
    assertTrue(e.getMessage().contains("holds code 9"), e.getMessage());
  }

  @Test
  void clipGrid_continuation_keepsTheGivenRows() {
    TaskLayout fc = new TaskLayout(Task.FRAME_CONTINUATION, GRID, 6);
    GenerationRequest r = TaskRequests.request(fc, V, new TaskCondition("", CLIP, null), SamplingConfig.DEFAULT);
    int[] out = new int[8];
    for (int i = 0; i < 8; i++) {
      out[i] = V.videoId(i % 10);
    }
    TokenGrid g = TaskRequests.clipGrid(fc, V, r, new GeneratedSample(0, out, r.shape(), r.videoCodes()));
    assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6, 7, 8, 0, 1, 2, 3, 4, 5, 6, 7}, g.ids());
  }

  @Test
  void requireExpressible_mismatchedModel_listsEveryProblem() {
    TaskLayout i2v = new TaskLayout(Task.IMAGE_TO_VIDEO, new GridShape(6, 3, 2), 6);
    VideoLmConfig c = VideoLmConfig.tiny(10, 4, 2, 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TaskRequests.requireExpressible(i2v, c, 16));
    String m = e.getMessage();
    assertTrue(m.contains("3x2 tokens") && m.contains("6 token rows") && m.contains("16 codes"), m);
    VideoLmConfig otherText = new VideoLmConfig(200, 10, 1, 8, 1, 1, 4, 2, 2, 48, 704);
    e = assertThrows(IllegalArgumentException.class, () -> TaskRequests.requireExpressible(
        new TaskLayout(Task.TEXT_TO_VIDEO, GRID, 6), otherText, 0));
    assertTrue(e.getMessage().contains("text vocabulary has 200 ids") && e.getMessage().contains(
        SpecialToken.TASK_TEXT_TO_VIDEO.name()), e.getMessage());
    TaskRequests.requireExpressible(new TaskLayout(Task.IMAGE_TO_VIDEO, GRID, 6), c, 10); // fits
  }
}
