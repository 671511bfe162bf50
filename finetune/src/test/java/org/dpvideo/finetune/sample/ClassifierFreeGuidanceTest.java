package org.dpvideo.finetune.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ClassifierFreeGuidanceTest {
  private static final float[] C = {2.0f, -1.0f, 0.5f};
  private static final float[] U = {1.0f, 1.0f, 0.5f};

  @Test
  void combine_scaleThree_isUPlusThreeTimesDifference() {
    // u + 3 (c - u): 1 + 3*1 = 4; 1 + 3*(-2) = -5; 0.5 + 0 = 0.5
    assertArrayEquals(new float[] {4.0f, -5.0f, 0.5f}, ClassifierFreeGuidance.combine(C, U, 3.0), 0f);
  }

  @Test
  void combine_scaleOne_isConditional_scaleZero_isUnconditional() {
    assertArrayEquals(C, ClassifierFreeGuidance.combine(C, U, 1.0), 0f);
    assertArrayEquals(U, ClassifierFreeGuidance.combine(C, U, 0.0), 0f);
  }

  @Test
  void combine_fractionalScale_interpolates() {
    float[] half = ClassifierFreeGuidance.combine(C, U, 0.5);
    assertEquals(1.5f, half[0], 0f);
    assertEquals(0.0f, half[1], 0f);
  }

  @Test
  void combine_maskedInEitherBranch_staysMasked() {
    float[] c = {Float.NEGATIVE_INFINITY, 1f, Float.NEGATIVE_INFINITY};
    float[] u = {0f, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY};
    float[] g = ClassifierFreeGuidance.combine(c, u, 2.0);
    for (float x : g) {
      assertEquals(Float.NEGATIVE_INFINITY, x);
    }
  }

  @Test
  void combine_badInput_isRejected() {
    assertThrows(IllegalArgumentException.class, () -> ClassifierFreeGuidance.combine(C, new float[2], 2));
    assertThrows(IllegalArgumentException.class, () -> ClassifierFreeGuidance.combine(C, U, -1));
    assertThrows(IllegalArgumentException.class, () -> ClassifierFreeGuidance.combine(C, U, Double.NaN));
    assertThrows(IllegalArgumentException.class,
        () -> ClassifierFreeGuidance.combine(new float[] {Float.NaN, 0, 0}, U, 2));
  }
}
