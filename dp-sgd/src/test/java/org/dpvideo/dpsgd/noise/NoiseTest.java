package org.dpvideo.dpsgd.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class NoiseTest {

  @Test
  void seededStream_isReproducible_andPurposesAreIndependent() {
    assertEquals(RandomStream.seeded(1, "a").nextLong(), RandomStream.seeded(1, "a").nextLong());
    assertNotEquals(RandomStream.seeded(1, "a").nextLong(), RandomStream.seeded(1, "b").nextLong());
    assertNotEquals(RandomStream.secure("a").nextLong(), RandomStream.secure("a").nextLong());
  }

  @Test
  void seededAt_continuesExactlyWhereTheStreamWas() {
    for (long skip : new long[] {0, 8, 65536, 65536 * 3 + 24, 200_000}) {
      RandomStream a = RandomStream.seeded(5, "p");
      for (long i = 0; i < skip / 8; i++) {
        a.nextLong();
      }
      RandomStream b = RandomStream.seededAt(5, "p", a.bytesConsumed());
      for (int i = 0; i < 10_000; i++) {
        assertEquals(a.nextLong(), b.nextLong(), "skip " + skip + " draw " + i);
      }
    }
  }

  @Test
  void uniforms_haveTheRightMoments() {
    RandomStream s = RandomStream.seeded(2, "u");
    int n = 200_000;
    double sum = 0;
    double sumSq = 0;
    double min = 1;
    for (int i = 0; i < n; i++) {
      double u = s.nextDoubleOpenZero();
      assertTrue(u > 0 && u <= 1);
      sum += u;
      sumSq += u * u;
      min = Math.min(min, u);
    }
    assertEquals(0.5, sum / n, 0.005);
    assertEquals(1.0 / 3, sumSq / n, 0.005);
    int[] counts = new int[7];
    for (int i = 0; i < 70_000; i++) {
      counts[s.nextInt(7)]++;
    }
    for (int c : counts) {
      assertEquals(10_000, c, 500);
    }
  }

  @Test
  void gaussian_hasUnitVariance_andNoTailCutAtEightSigma() {
    GaussianSampler g = new GaussianSampler(RandomStream.seeded(3, "g"));
    int n = 400_000;
    double sum = 0;
    double sumSq = 0;
    double sum4 = 0;
    for (int i = 0; i < n; i++) {
      double z = g.next();
      sum += z;
      sumSq += z * z;
      sum4 += z * z * z * z;
    }
    assertEquals(0, sum / n, 0.01);
    assertEquals(1, sumSq / n, 0.01);
    assertEquals(3, sum4 / n, 0.06);
    // The radius uniform reaches 2^-1074, so |Z| can exceed the 8.57 of a 53-bit uniform.
    assertTrue(Math.sqrt(-2 * Math.log(Double.MIN_VALUE)) > 38);
  }

  @Test
  void lattice_releasesExactMultiplesOfTheGranularity() {
    LatticeGaussianMechanism m = new LatticeGaussianMechanism(RandomStream.seeded(4, "l"));
    LatticeGaussianMechanism.Calibration c = LatticeGaussianMechanism.calibrate(1.0, 1.0, 1);
    for (int i = 0; i < 1000; i++) {
      double y = m.noisyScalar(0.1234567 + i, 1.0, 1.0);
      double k = y / c.granularity();
      assertEquals(Math.rint(k), k, 0.0, "an exact lattice point");
    }
    assertEquals(0, Math.getExponent(c.granularity()) - Math.getExponent(c.granularity()), 0);
    assertEquals(c.granularity(), Math.scalb(1.0, Math.getExponent(c.granularity())), 0, "a power of two");
  }

  @Test
  void calibration_inflatesNoiseOnlyByTheDocumentedMargins() {
    for (long p : new long[] {1, 1000, 10_000_000}) {
      LatticeGaussianMechanism.Calibration c = LatticeGaussianMechanism.calibrate(2.0, 1.5, p);
      double ratio = c.noiseStd() / (1.5 * 2.0);
      assertTrue(ratio >= 1 + LatticeGaussianMechanism.SENSITIVITY_MARGIN && ratio <= 1 + 2 * LatticeGaussianMechanism.SENSITIVITY_MARGIN,
          "ratio " + ratio);
      assertTrue(c.granularity() * Math.sqrt(p) <= 2.0 * 0x1.0p-16);
    }
  }

  @Test
  void addNoise_meanAndStd_matchTheCalibration_afterDividing() {
    LatticeGaussianMechanism m = new LatticeGaussianMechanism(RandomStream.seeded(6, "n"));
    int n = 100_000;
    FloatBuffer b = FloatBuffer.allocate(n);
    for (int i = 0; i < n; i++) {
      b.put(i, 3.0f);
    }
    LatticeGaussianMechanism.Calibration c = LatticeGaussianMechanism.calibrate(1.0, 2.0, n);
    m.addNoise(List.of(b), c, 4.0);
    double sum = 0;
    double sumSq = 0;
    for (int i = 0; i < n; i++) {
      sum += b.get(i);
      sumSq += b.get(i) * (double) b.get(i);
    }
    double mean = sum / n;
    double std = Math.sqrt(sumSq / n - mean * mean);
    assertEquals(0.75, mean, 5 * 0.5 / Math.sqrt(n));
    assertEquals(c.noiseStd() / 4, std, 0.01 * c.noiseStd() / 4);
  }

  @Test
  void randomnessLabels_areReported() {
    assertTrue(RandomnessLabel.SEEDED.reportText().contains("NOT private"));
    assertEquals(RandomnessLabel.SECURE, Randomness.secure().label());
    assertEquals(RandomnessLabel.SEEDED, Randomness.seeded(1).label());
  }
}
