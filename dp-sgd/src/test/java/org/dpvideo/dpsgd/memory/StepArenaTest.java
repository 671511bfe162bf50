package org.dpvideo.dpsgd.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class StepArenaTest {

  @Test
  void secondStepWithSameShapes_allocatesNothingNew() {
    StepArena arena = new StepArena(1 << 20);
    for (int step = 0; step < 3; step++) {
      INDArray a = arena.floats(4, 5);
      INDArray b = arena.allocate(DataType.INT, 'f', 3, 2);
      a.assign(step);
      assertArrayEquals(new long[] {4, 5}, a.shape());
      assertEquals('f', b.ordering());
      arena.recycle();
    }
    assertArrayEquals(new long[] {2, 4}, arena.allocationCounts());
  }

  @Test
  void idleBytesAboveTheCap_areFreed() {
    StepArena arena = new StepArena(100);
    arena.floats(1000);
    arena.recycle();
    assertEquals(0, arena.retainedBytes());
    assertEquals(4000, arena.peakInUseBytes());
  }

  @Test
  void closedArena_refusesAllocation() {
    StepArena arena = new StepArena(0);
    arena.close();
    assertThrows(IllegalStateException.class, () -> arena.floats(2));
  }
}
