package org.dpvideo.finetune.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dpvideo.finetune.TestClips;
import org.dpvideo.tokenizer.video.Clip;
import org.junit.jupiter.api.Test;

class TemporalMetricsTest {
  private static final double TAU = TemporalMetrics.DEFAULT_FROZEN_THRESHOLD;

  @Test
  void stillClip_hasNoMotionAndEveryFrameFrozen() {
    Clip still = TestClips.flat(5, 8, 8, t -> 0.3f);
    assertEquals(0.0, TemporalMetrics.motionMagnitude(still), 0.0);
    assertEquals(1.0, TemporalMetrics.frozenFrameRatio(still, TAU), 0.0);
    assertEquals(0.0, TemporalMetrics.brightnessFlicker(still), 0.0);
    assertEquals(0.0, TemporalMetrics.detailFlicker(still), 0.0);
  }

  @Test
  void brightnessSteps_giveHandComputedValues() {
    float[] levels = {0.2f, 0.4f, 0.4f, 0.1f};
    Clip c = TestClips.flat(4, 6, 6, t -> levels[t]);
    // grey pixels: luma equals the level (0.299 + 0.587 + 0.114 = 1); steps 0.2, 0, 0.3
    assertArrayEquals(new double[] {0.2, 0.0, 0.3}, TemporalMetrics.frameDifferences(c), 1e-6);
    assertEquals(0.5 / 3, TemporalMetrics.motionMagnitude(c), 1e-6);
    assertEquals(1.0 / 3, TemporalMetrics.frozenFrameRatio(c, TAU), 0.0);
    assertEquals(0.5 / 3, TemporalMetrics.brightnessFlicker(c), 1e-6);
    assertEquals(0.0, TemporalMetrics.detailFlicker(c), 1e-12);
  }

  @Test
  void movingSquare_hasMotionButNoFlicker() {
    // a 3x3 white square on black moves one pixel right per frame, well inside a 12x12 frame
    Clip c = TestClips.of(4, 12, 12, (t, y, x) -> {
      boolean in = y >= 4 && y < 7 && x >= 3 + t && x < 6 + t;
      float v = in ? 1f : 0f;
      return new float[] {v, v, v};
    });
    // each step turns 3 pixels off and 3 on: 6 of 144 pixels change by 1
    assertEquals(6.0 / 144, TemporalMetrics.motionMagnitude(c), 1e-9);
    assertEquals(0.0, TemporalMetrics.frozenFrameRatio(c, TAU), 0.0);
    assertEquals(0.0, TemporalMetrics.brightnessFlicker(c), 1e-9);
    assertEquals(0.0, TemporalMetrics.detailFlicker(c), 1e-12);
  }

  @Test
  void textureOnOff_isDetailFlickerAtConstantBrightness() {
    // even frames flat 0.5, odd frames a 0/1 checkerboard (also mean 0.5)
    Clip c = TestClips.of(3, 8, 8, (t, y, x) -> {
      float v = t % 2 == 0 ? 0.5f : (y + x) % 2;
      return new float[] {v, v, v};
    });
    assertEquals(0.0, TemporalMetrics.brightnessFlicker(c), 1e-9);
    // a checkerboard pixel differs from its 3x3 mean by 4/9 everywhere (5/9 or 4/9 of the box is white)
    assertEquals(4.0 / 9, TemporalMetrics.detailFlicker(c), 1e-6);
    assertEquals(0.5, TemporalMetrics.motionMagnitude(c), 1e-6);
  }

  @Test
  void oneFrame_isUndefined() {
    Clip image = TestClips.flat(1, 8, 8, t -> 0.5f);
    assertTrue(Double.isNaN(TemporalMetrics.motionMagnitude(image)));
    assertTrue(Double.isNaN(TemporalMetrics.frozenFrameRatio(image, TAU)));
    assertTrue(Double.isNaN(TemporalMetrics.brightnessFlicker(image)));
    assertTrue(Double.isNaN(TemporalMetrics.detailFlicker(image)));
    assertThrows(IllegalArgumentException.class, () -> TemporalMetrics.frozenFrameRatio(image, 0));
  }

  @Test
  void clipQuality_withReference_addsPsnrAndSsim() {
    Clip a = TestClips.flat(3, 8, 8, t -> 0.5f);
    Clip b = TestClips.flat(3, 8, 8, t -> 0.6f);
    PixelQuality q = PixelQuality.of(b, a, TAU);
    assertEquals(20.0, q.psnrDb(), 1e-4); // MSE 0.01
    assertTrue(q.ssim() > 0.9 && q.ssim() <= 1.0, "ssim " + q.ssim());
    PixelQuality none = PixelQuality.of(b, null, TAU);
    assertTrue(Double.isNaN(none.psnrDb()) && Double.isNaN(none.ssim()));
    assertEquals(1.0, none.frozenFrameRatio(), 0.0);
  }
}
