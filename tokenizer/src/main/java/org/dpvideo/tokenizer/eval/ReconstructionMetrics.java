package org.dpvideo.tokenizer.eval;

import org.dpvideo.tokenizer.video.Clip;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.AvgPooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Per-clip reconstruction metrics on pixel values in [0, 1].
 *
 * <ul>
 *   <li>PSNR = {@code 10 log10(1 / MSE)} dB over all pixels and channels of the clip (capped at 100 dB
 *       for identical clips).</li>
 *   <li>SSIM (Wang, Bovik, Sheikh and Simoncelli, "Image quality assessment: from error visibility to
 *       structural similarity", IEEE TIP 2004) with a 7x7 uniform window (valid positions only),
 *       {@code C1 = (0.01)^2}, {@code C2 = (0.03)^2}, computed per frame and channel and averaged, as
 *       scikit-image's default. Frames smaller than 7 pixels use a window of their size.</li>
 * </ul>
 * Window means are ND4J average pooling. Stateless and thread-safe.
 */
public final class ReconstructionMetrics {
  private ReconstructionMetrics() {}

  /** PSNR of {@code b} against reference {@code a} in dB. */
  public static double psnr(Clip a, Clip b) {
    checkSame(a, b);
    double mse = a.frames().squaredDistance(b.frames()) / a.frames().length();
    return mse <= 1e-10 ? 100.0 : 10 * Math.log10(1.0 / mse);
  }

  /** Mean SSIM of {@code b} against {@code a}. */
  public static double ssim(Clip a, Clip b) {
    checkSame(a, b);
    // [T, H, W, 3] -> [T*3, 1, H, W] (each frame channel an image, NCHW)
    INDArray x = a.frames().permute(0, 3, 1, 2).dup('c').reshape(a.frameCount() * 3L, 1, a.height(), a.width());
    INDArray y = b.frames().permute(0, 3, 1, 2).dup('c').reshape(b.frameCount() * 3L, 1, b.height(), b.width());
    int win = Math.min(7, Math.min(a.height(), a.width()));
    INDArray mx = pool(x, win);
    INDArray my = pool(y, win);
    INDArray sxx = pool(x.mul(x), win).subi(mx.mul(mx));
    INDArray syy = pool(y.mul(y), win).subi(my.mul(my));
    INDArray sxy = pool(x.mul(y), win).subi(mx.mul(my));
    // sample covariance correction as scikit-image (N / (N - 1))
    double n = (double) win * win;
    double cov = n / (n - 1);
    sxx.muli(cov);
    syy.muli(cov);
    sxy.muli(cov);
    double c1 = 0.01 * 0.01;
    double c2 = 0.03 * 0.03;
    INDArray num = mx.mul(my).muli(2).addi(c1).muli(sxy.muli(2).addi(c2));
    INDArray den = mx.mul(mx).addi(my.mul(my)).addi(c1).muli(sxx.addi(syy).addi(c2));
    return num.divi(den).meanNumber().doubleValue();
  }

  private static INDArray pool(INDArray x, int win) {
    Pooling2DConfig cfg = Pooling2DConfig.builder().kH(win).kW(win).sH(1).sW(1).pH(0).pW(0).dH(1).dW(1)
        .paddingMode(org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode.VALID).isNHWC(false).extra(0.0).build();
    long oh = x.size(2) - win + 1;
    long ow = x.size(3) - win + 1;
    INDArray out = Nd4j.create(x.dataType(), x.size(0), 1, oh, ow);
    Nd4j.exec(new AvgPooling2D(x, out, cfg));
    return out;
  }

  private static void checkSame(Clip a, Clip b) {
    if (!java.util.Arrays.equals(a.frames().shape(), b.frames().shape())) {
      throw new IllegalArgumentException("clips must have one shape to compare, got "
          + java.util.Arrays.toString(a.frames().shape()) + " and " + java.util.Arrays.toString(b.frames().shape()) + ".");
    }
  }
}
