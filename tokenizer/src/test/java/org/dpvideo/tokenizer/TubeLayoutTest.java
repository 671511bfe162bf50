package org.dpvideo.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class TubeLayoutTest {
  @Test
  void toTubesThenFromTubes_isIdentity() {
    TubeLayout layout = new TubeLayout(2, 4);
    INDArray clips = Nd4j.rand(DataType.FLOAT, 3, 9, 16, 12, 3);
    INDArray tubes = layout.toTubes(clips);
    assertArrayEquals(new long[] {3, 5, 4, 3, 96}, tubes.shape());
    assertEquals(0.0, layout.fromTubes(tubes).distance2(clips), 1e-5);
  }

  @Test
  void firstTube_holdsTheFirstFrameTwice_andLaterTubesTwoFrames() {
    TubeLayout layout = new TubeLayout(2, 2);
    INDArray clips = Nd4j.rand(DataType.FLOAT, 1, 3, 4, 4, 3);
    INDArray tubes = layout.toTubes(clips);
    // Tube (t=0, y=1, x=0): dt 0 and dt 1 both come from frame 0, rows 2..3, cols 0..1.
    INDArray v = tubes.get(NDArrayIndex.point(0), NDArrayIndex.point(0), NDArrayIndex.point(1), NDArrayIndex.point(0));
    INDArray patch = clips.get(NDArrayIndex.point(0), NDArrayIndex.point(0), NDArrayIndex.interval(2, 4),
        NDArrayIndex.interval(0, 2), NDArrayIndex.all()).dup('c').reshape(12);
    assertEquals(0.0, v.get(NDArrayIndex.interval(0, 12)).distance2(patch), 1e-6);
    assertEquals(0.0, v.get(NDArrayIndex.interval(12, 24)).distance2(patch), 1e-6);
    // Tube (t=1, 0, 0) second half is frame 2.
    INDArray v1 = tubes.get(NDArrayIndex.point(0), NDArrayIndex.point(1), NDArrayIndex.point(0), NDArrayIndex.point(0));
    INDArray p2 = clips.get(NDArrayIndex.point(0), NDArrayIndex.point(2), NDArrayIndex.interval(0, 2),
        NDArrayIndex.interval(0, 2), NDArrayIndex.all()).dup('c').reshape(12);
    assertEquals(0.0, v1.get(NDArrayIndex.interval(12, 24)).distance2(p2), 1e-6);
  }

  @Test
  void singleFrame_isOneTokenRow() {
    TubeLayout layout = new TubeLayout(2, 4);
    INDArray img = Nd4j.rand(DataType.FLOAT, 2, 1, 8, 8, 3);
    INDArray tubes = layout.toTubes(img);
    assertArrayEquals(new long[] {2, 1, 2, 2, 96}, tubes.shape());
    assertEquals(0.0, layout.fromTubes(tubes).distance2(img), 1e-5);
  }
}
