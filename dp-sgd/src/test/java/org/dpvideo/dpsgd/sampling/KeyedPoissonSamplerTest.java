package org.dpvideo.dpsgd.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.dpvideo.dpsgd.noise.KeyedPrf;
import org.dpvideo.dpsgd.noise.Randomness;
import org.dpvideo.dpsgd.noise.RandomnessLabel;
import org.junit.jupiter.api.Test;

class KeyedPoissonSamplerTest {

  @Test
  void sample_ofRanges_isTheSampleOfTheWhole_andAgreesWithIncludes() {
    KeyedPoissonSampler s = KeyedPoissonSampler.fromRandomness(Randomness.seeded(3));
    int n = 1000;
    for (long step = 0; step < 5; step++) {
      int[] whole = s.sample(step, n, 0.1);
      int[] parts = IntStream.concat(IntStream.concat(Arrays.stream(s.sample(step, 0, 333, 0.1)),
          Arrays.stream(s.sample(step, 333, 334, 0.1))), Arrays.stream(s.sample(step, 334, n, 0.1))).toArray();
      assertArrayEquals(whole, parts);
      Set<Integer> in = new HashSet<>();
      Arrays.stream(whole).forEach(in::add);
      for (int u = 0; u < n; u++) {
        assertEquals(in.contains(u), s.includes(step, u, 0.1), "unit " + u + " step " + step);
      }
    }
  }

  @Test
  void sample_isAFunctionOfKeyStepAndUnit_notOfCallOrder() {
    KeyedPoissonSampler a = KeyedPoissonSampler.fromRandomness(Randomness.seeded(7));
    KeyedPoissonSampler b = KeyedPoissonSampler.fromRandomness(Randomness.seeded(7));
    int[] later = a.sample(9, 500, 0.2);
    a.sample(3, 500, 0.2);
    assertArrayEquals(later, a.sample(9, 500, 0.2));
    assertArrayEquals(later, b.sample(9, 500, 0.2));
    assertFalse(Arrays.equals(a.sample(9, 500, 0.2), a.sample(10, 500, 0.2)), "steps sample independently");
    assertFalse(Arrays.equals(later, KeyedPoissonSampler.fromRandomness(Randomness.seeded(8)).sample(9, 500, 0.2)));
  }

  @Test
  void inclusion_hasRateQ_andStepsAreIndependent() {
    KeyedPoissonSampler s = KeyedPoissonSampler.fromRandomness(Randomness.seeded(11));
    int n = 200_000;
    double q = 0.03;
    int[] s0 = s.sample(0, n, q);
    int[] s1 = s.sample(1, n, q);
    double sd = Math.sqrt(n * q * (1 - q));
    assertEquals(n * q, s0.length, 5 * sd);
    assertEquals(n * q, s1.length, 5 * sd);
    Set<Integer> first = new HashSet<>();
    Arrays.stream(s0).forEach(first::add);
    long both = Arrays.stream(s1).filter(first::contains).count();
    assertEquals(n * q * q, both, 5 * Math.sqrt(n * q * q));
    // Neighbouring units are independent: pairs (u, u+1) both sampled at rate q^2.
    long pairs = Arrays.stream(s0).filter(u -> first.contains(u + 1)).count();
    assertEquals(n * q * q, pairs, 5 * Math.sqrt(n * q * q));
  }

  @Test
  void secureKeys_differPerSampler_andAreLabelled() {
    KeyedPoissonSampler a = KeyedPoissonSampler.fromRandomness(Randomness.secure());
    KeyedPoissonSampler b = KeyedPoissonSampler.fromRandomness(Randomness.secure());
    assertEquals(RandomnessLabel.SECURE, a.label());
    assertFalse(Arrays.equals(a.sample(0, 2000, 0.5), b.sample(0, 2000, 0.5)));
    assertEquals(RandomnessLabel.SEEDED, KeyedPoissonSampler.fromRandomness(Randomness.seeded(1)).label());
    assertFalse(a.toString().matches(".*[0-9a-f]{32}.*"), "never prints the key: " + a);
  }

  @Test
  void serializedSampler_decidesExactlyAsTheOriginal() throws Exception {
    KeyedPoissonSampler s = KeyedPoissonSampler.fromRandomness(Randomness.secure());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(s);
    }
    KeyedPoissonSampler copy;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (KeyedPoissonSampler) in.readObject();
    }
    assertArrayEquals(s.sample(4, 3000, 0.3), copy.sample(4, 3000, 0.3));
    assertEquals(s.exampleStream(4, 17).nextLong(), copy.exampleStream(4, 17).nextLong());
  }

  @Test
  void exampleStream_dependsOnStepAndUnit() {
    KeyedPoissonSampler s = KeyedPoissonSampler.fromRandomness(Randomness.seeded(2));
    long x = s.exampleStream(1, 5).nextLong();
    assertEquals(x, s.exampleStream(1, 5).nextLong());
    assertTrue(x != s.exampleStream(2, 5).nextLong() && x != s.exampleStream(1, 6).nextLong());
  }

  @Test
  void badArguments_areRejected() {
    KeyedPoissonSampler s = KeyedPoissonSampler.fromRandomness(Randomness.seeded(2));
    assertThrows(IllegalArgumentException.class, () -> s.sample(0, 10, 0));
    assertThrows(IllegalArgumentException.class, () -> s.sample(0, 10, 1.5));
    assertThrows(IllegalArgumentException.class, () -> s.sample(0, 5, 4, 0.5));
    assertThrows(IllegalArgumentException.class, () -> KeyedPrf.seeded(1, "x").words(0, 0, -1, new long[1]));
  }
}
