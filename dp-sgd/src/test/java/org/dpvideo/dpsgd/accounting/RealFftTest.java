package org.dpvideo.dpsgd.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RealFftTest {

  @Test
  void forward_randomSignals_matchesNaiveDft() {
    Random random = new Random(7);
    for (int n : new int[] {2, 4, 8, 64, 1024}) {
      double[] x = new double[n];
      for (int t = 0; t < n; t++) {
        x[t] = random.nextGaussian();
      }
      double[] re = new double[n / 2 + 1];
      double[] im = new double[n / 2 + 1];
      new RealFft(n).forward(x, re, im);
      for (int k = 0; k <= n / 2; k++) {
        double sr = 0;
        double si = 0;
        for (int t = 0; t < n; t++) {
          double angle = -2 * Math.PI * ((long) k * t % n) / n;
          sr += x[t] * Math.cos(angle);
          si += x[t] * Math.sin(angle);
        }
        assertEquals(sr, re[k], 1e-9, "re, n=" + n + " k=" + k);
        assertEquals(si, im[k], 1e-9, "im, n=" + n + " k=" + k);
      }
    }
  }

  @Test
  void inverse_ofForward_returnsTheSignal() {
    Random random = new Random(11);
    int n = 1 << 12;
    double[] x = new double[n];
    for (int t = 0; t < n; t++) {
      x[t] = random.nextDouble();
    }
    RealFft fft = new RealFft(n);
    double[] re = new double[n / 2 + 1];
    double[] im = new double[n / 2 + 1];
    fft.forward(x, re, im);
    double[] back = new double[n];
    fft.inverse(re, im, back);
    for (int t = 0; t < n; t++) {
      assertEquals(x[t], back[t], 1e-13);
    }
  }

  @Test
  void powerOfSpectrum_equalsRepeatedCircularConvolution() {
    int n = 16;
    double[] p = new double[n];
    p[0] = 0.5;
    p[1] = 0.3;
    p[3] = 0.2;
    RealFft fft = new RealFft(n);
    double[] re = new double[n / 2 + 1];
    double[] im = new double[n / 2 + 1];
    fft.forward(p, re, im);
    PldComposition.powerInPlace(re, im, 5);
    double[] viaFft = new double[n];
    fft.inverse(re, im, viaFft);
    double[] direct = p.clone();
    for (int rep = 1; rep < 5; rep++) {
      double[] next = new double[n];
      for (int a = 0; a < n; a++) {
        for (int b = 0; b < n; b++) {
          next[(a + b) % n] += direct[a] * p[b];
        }
      }
      direct = next;
    }
    for (int t = 0; t < n; t++) {
      assertEquals(direct[t], viaFft[t], 1e-15);
    }
  }

  @Test
  void length_notAPowerOfTwo_isRejected() {
    assertThrows(IllegalArgumentException.class, () -> new RealFft(12));
  }
}
