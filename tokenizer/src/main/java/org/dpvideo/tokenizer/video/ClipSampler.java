package org.dpvideo.tokenizer.video;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.enums.ImageResizeMethod;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.image.ImageResize;
import org.nd4j.linalg.api.ops.impl.image.ResizeArea;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Turns a video file into a {@link Clip} of a {@link ClipSpec}.
 *
 * <ul>
 *   <li><b>Time</b>: output frame k shows the source frame on screen at time {@code start + k / fps}
 *       (sample and hold by each frame's duration, so variable frame durations of GIF/WebP are
 *       honoured); past the end of the source the last frame is held.</li>
 *   <li><b>Alpha</b>: flattened on the spec's background colour ({@code rgb * a + bg * (1 - a)}).</li>
 *   <li><b>Space</b>: centre-crop to the spec's aspect ratio, then resize: area averaging when
 *       shrinking (no aliasing), bilinear when enlarging. All pixel math is ND4J ops.</li>
 * </ul>
 *
 * <p>Only the frames that are needed are converted; decoding stops once the last one is found.
 * Stateless and thread-safe.
 */
public final class ClipSampler {
  private ClipSampler() {}

  /** {@link #sample(Path, ClipSpec, double)} from the start of the video. */
  public static Clip sample(Path path, ClipSpec spec) {
    return sample(path, spec, 0.0);
  }

  /**
   * Samples {@code spec.frames()} frames starting {@code startSeconds} after the first frame.
   *
   * @throws VideoDecodeException when the file cannot be decoded
   * @throws IllegalArgumentException when {@code startSeconds} is negative or not finite
   */
  public static Clip sample(Path path, ClipSpec spec, double startSeconds) {
    if (!Double.isFinite(startSeconds) || startSeconds < 0) {
      throw new IllegalArgumentException("startSeconds must be finite and >= 0, got " + startSeconds + ".");
    }
    List<INDArray> out = new ArrayList<>(spec.frames());
    try (FrameSource source = VideoReader.open(path, spec.fps())) {
      VideoFrame f = source.next();
      long t0 = f.startMicros();
      long[] targets = new long[spec.frames()];
      for (int k = 0; k < targets.length; k++) {
        targets[k] = t0 + Math.round((startSeconds + k / spec.fps()) * 1e6);
      }
      INDArray converted = null;
      VideoFrame convertedFrom = null;
      int k = 0;
      while (k < targets.length) {
        VideoFrame next = source.next();
        long end = next != null ? next.startMicros() : Long.MAX_VALUE;
        while (k < targets.length && targets[k] < end) {
          if (convertedFrom != f) {
            converted = toSpec(f, spec);
            convertedFrom = f;
          }
          out.add(converted);
          k++;
        }
        if (next == null) {
          break;
        }
        f = next;
      }
    }
    return new Clip(Nd4j.stack(0, out.toArray(new INDArray[0])), spec.fps());
  }

  /**
   * One frame brought to the spec: alpha flattened on the background, centre-cropped, resized.
   *
   * @return {@code [height, width, 3]} float32 in [0, 1]
   */
  public static INDArray toSpec(VideoFrame frame, ClipSpec spec) {
    INDArray rgba = rgba(frame);
    INDArray rgb = flatten(rgba, spec.background());
    return cropAndResize(rgb, spec.height(), spec.width());
  }

  /** Pixels as {@code [h, w, 4]} float32 RGBA in [0, 1]. */
  static INDArray rgba(VideoFrame frame) {
    int[] p = frame.argb();
    float[] v = new float[p.length * 4];
    for (int i = 0; i < p.length; i++) {
      int c = p[i];
      v[4 * i] = ((c >> 16) & 0xFF) / 255f;
      v[4 * i + 1] = ((c >> 8) & 0xFF) / 255f;
      v[4 * i + 2] = (c & 0xFF) / 255f;
      v[4 * i + 3] = (c >>> 24) / 255f;
    }
    return Nd4j.create(v, new long[] {frame.height(), frame.width(), 4}, DataType.FLOAT);
  }

  /** {@code rgb * a + bg * (1 - a)} for {@code [h, w, 4]} input; returns {@code [h, w, 3]}. */
  static INDArray flatten(INDArray rgba, int background) {
    INDArray rgb = rgba.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 3));
    INDArray alpha = rgba.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(3, 4));
    INDArray bg = Nd4j.createFromArray(((background >> 16) & 0xFF) / 255f, ((background >> 8) & 0xFF) / 255f,
        (background & 0xFF) / 255f).reshape(1, 1, 3);
    // rgb * a + bg - bg * a
    INDArray out = rgb.mul(alpha);
    out.addi(bg.broadcast(out.shape()));
    out.subi(alpha.mul(bg));
    return out;
  }

  /** Centre-crop {@code [h, w, 3]} to the aspect ratio of {@code height x width}, then resize. */
  static INDArray cropAndResize(INDArray rgb, int height, int width) {
    long h = rgb.size(0);
    long w = rgb.size(1);
    long cropH = h;
    long cropW = w;
    if (w * height > h * width) {
      cropW = Math.max(1, Math.round((double) h * width / height));
    } else if (w * height < h * width) {
      cropH = Math.max(1, Math.round((double) w * height / width));
    }
    long y0 = (h - cropH) / 2;
    long x0 = (w - cropW) / 2;
    INDArray crop = rgb.get(NDArrayIndex.interval(y0, y0 + cropH), NDArrayIndex.interval(x0, x0 + cropW),
        NDArrayIndex.all());
    if (cropH == height && cropW == width) {
      return crop.dup('c');
    }
    INDArray batch = crop.dup('c').reshape(1, cropH, cropW, 3);
    INDArray resized;
    if (cropH >= height && cropW >= width) {
      resized = Nd4j.create(DataType.FLOAT, 1, height, width, 3);
      Nd4j.exec(new ResizeArea(batch, resized, height, width, false));
    } else {
      INDArray size = Nd4j.createFromArray(height, width);
      resized = Nd4j.create(DataType.FLOAT, 1, height, width, 3);
      ImageResize op = new ImageResize(batch, size, false, false, ImageResizeMethod.ResizeBilinear);
      op.addOutputArgument(resized);
      Nd4j.exec(op);
    }
    INDArray out = resized.reshape(height, width, 3).castTo(DataType.FLOAT);
    return Transforms.max(Transforms.min(out, 1.0, false), 0.0, false);
  }
}
