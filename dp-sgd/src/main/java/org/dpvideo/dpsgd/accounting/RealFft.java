package org.dpvideo.dpsgd.accounting;

/**
 * Fast Fourier transform of real sequences of power-of-two length n on primitive double arrays: the n
 * real samples are packed into n/2 complex samples, transformed by an iterative radix-2 complex FFT, and
 * separated into the spectrum of the even and odd samples (the standard "two-for-one" real FFT). The
 * forward transform returns bins 0..n/2 (the rest follow by conjugate symmetry); the inverse takes them
 * back to n real samples, scaled by 1/n so that {@code inverse(forward(x)) = x}.
 *
 * <p>Convention: {@code X[k] = sum_t x[t] exp(-2 pi i k t / n)}. Instances hold the twiddle table for
 * one length; they are immutable and thread-safe.
 */
final class RealFft {
  private final int n;
  private final int half;
  private final double[] cos; // cos(2 pi k / n), k = 0..n/2
  private final double[] sin; // sin(2 pi k / n)
  private final int[] bitReversed; // permutation for the complex FFT of length n/2

  /** @param n a power of two, at least 2 */
  RealFft(int n) {
    if (n < 2 || Integer.bitCount(n) != 1) {
      throw new IllegalArgumentException("FFT length must be a power of two >= 2, got " + n);
    }
    this.n = n;
    this.half = n / 2;
    this.cos = new double[half + 1];
    this.sin = new double[half + 1];
    for (int k = 0; k <= half; k++) {
      // Use symmetry so that cos/sin are exact at the quarter points.
      double angle = 2 * Math.PI * k / n;
      cos[k] = Math.cos(angle);
      sin[k] = Math.sin(angle);
    }
    if (n % 4 == 0) {
      cos[n / 4] = 0.0;
      sin[n / 4] = 1.0;
    }
    cos[half] = -1.0;
    sin[half] = 0.0;
    this.bitReversed = new int[half];
    int bits = Integer.numberOfTrailingZeros(half);
    for (int i = 0; i < half; i++) {
      bitReversed[i] = bits == 0 ? 0 : Integer.reverse(i) >>> (32 - bits);
    }
  }

  int length() {
    return n;
  }

  /**
   * The spectrum of {@code x} (length n): {@code re} and {@code im} receive bins 0..n/2 (length n/2+1).
   */
  void forward(double[] x, double[] re, double[] im) {
    checkLengths(x, re, im);
    double[] zr = new double[half];
    double[] zi = new double[half];
    for (int k = 0; k < half; k++) {
      zr[k] = x[2 * k];
      zi[k] = x[2 * k + 1];
    }
    complexFft(zr, zi, false);
    for (int k = 0; k <= half; k++) {
      int a = k % half;
      int b = (half - k) % half;
      // E = (Z[k] + conj(Z[M-k]))/2, O = (Z[k] - conj(Z[M-k]))/(2i)
      double er = 0.5 * (zr[a] + zr[b]);
      double ei = 0.5 * (zi[a] - zi[b]);
      double or = 0.5 * (zi[a] + zi[b]);
      double oi = -0.5 * (zr[a] - zr[b]);
      // X[k] = E + w^k O, w = exp(-2 pi i / n)
      double wr = cos[k];
      double wi = -sin[k];
      re[k] = er + wr * or - wi * oi;
      im[k] = ei + wr * oi + wi * or;
    }
  }

  /** The real sequence (length n) whose spectrum bins 0..n/2 are {@code re}, {@code im}. */
  void inverse(double[] re, double[] im, double[] x) {
    checkLengths(x, re, im);
    double[] zr = new double[half];
    double[] zi = new double[half];
    for (int k = 0; k < half; k++) {
      int b = half - k;
      // E = (X[k] + conj(X[M-k]))/2, O = (X[k] - conj(X[M-k])) w^-k / 2, Z = E + i O
      double er = 0.5 * (re[k] + re[b]);
      double ei = 0.5 * (im[k] - im[b]);
      double dr = 0.5 * (re[k] - re[b]);
      double di = 0.5 * (im[k] + im[b]);
      double wr = cos[k];
      double wi = sin[k]; // w^-k
      double or = dr * wr - di * wi;
      double oi = dr * wi + di * wr;
      zr[k] = er - oi;
      zi[k] = ei + or;
    }
    complexFft(zr, zi, true);
    double scale = 1.0 / half;
    for (int k = 0; k < half; k++) {
      x[2 * k] = zr[k] * scale;
      x[2 * k + 1] = zi[k] * scale;
    }
  }

  private void checkLengths(double[] x, double[] re, double[] im) {
    if (x.length != n || re.length != half + 1 || im.length != half + 1) {
      throw new IllegalArgumentException("FFT of length " + n + " needs a signal of length " + n
          + " and spectrum arrays of length " + (half + 1) + ", got " + x.length + ", " + re.length + ", " + im.length);
    }
  }

  /** In-place radix-2 FFT of length n/2; inverse uses the conjugate twiddles and does not scale. */
  private void complexFft(double[] re, double[] im, boolean inverse) {
    int m = half;
    for (int i = 0; i < m; i++) {
      int j = bitReversed[i];
      if (j > i) {
        double t = re[i];
        re[i] = re[j];
        re[j] = t;
        t = im[i];
        im[i] = im[j];
        im[j] = t;
      }
    }
    double sign = inverse ? 1.0 : -1.0;
    for (int len = 2; len <= m; len <<= 1) {
      int halfLen = len >> 1;
      int stride = n / len; // twiddle exp(-+2 pi i j / len) = table index j * n / len
      for (int start = 0; start < m; start += len) {
        for (int j = 0; j < halfLen; j++) {
          double wr = cos[j * stride];
          double wi = sign * sin[j * stride];
          int p = start + j;
          int q = p + halfLen;
          double tr = re[q] * wr - im[q] * wi;
          double ti = re[q] * wi + im[q] * wr;
          re[q] = re[p] - tr;
          im[q] = im[p] - ti;
          re[p] += tr;
          im[p] += ti;
        }
      }
    }
  }
}
