package org.dpvideo.dpsgd.step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.dpvideo.dpsgd.accounting.GaussianEvent;
import org.dpvideo.dpsgd.accounting.PoissonSampledEvent;
import org.dpvideo.dpsgd.clipping.ClippingRule;
import org.dpvideo.dpsgd.clipping.ClippingState;
import org.dpvideo.dpsgd.clipping.Dpsgd;
import org.dpvideo.dpsgd.clipping.DpsgdF;
import org.dpvideo.dpsgd.clipping.DpsgdGlobal;
import org.dpvideo.dpsgd.clipping.DpsgdGlobalAdapt;
import org.dpvideo.dpsgd.clipping.JointAccounting;
import org.dpvideo.dpsgd.clipping.NoisePlan;
import org.dpvideo.dpsgd.layers.DpModel;
import org.dpvideo.dpsgd.layers.Parameter;
import org.dpvideo.dpsgd.layers.TinyModels;
import org.dpvideo.dpsgd.noise.LatticeGaussianMechanism;
import org.dpvideo.dpsgd.noise.RandomStream;
import org.dpvideo.dpsgd.persample.NormStrategy;
import org.dpvideo.dpsgd.persample.PerSampleEngine;
import org.dpvideo.dpsgd.sampling.MicroBatchPlan;
import org.dpvideo.dpsgd.sampling.PrivacyUnits;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class PrivateStepTest {
  private static final double MARGIN = 1 + LatticeGaussianMechanism.SENSITIVITY_MARGIN;

  /** A dataset of n transformer sequences; examples with index % 5 == 4 have zero loss weight (zero gradient). */
  private static Map<String, INDArray> transformerData(int n, long seed) {
    Map<String, INDArray> all = TinyModels.transformerBatch(n, seed);
    INDArray w = all.get("weights");
    for (int e = 4; e < n; e += 5) {
      w.getRow(e).assign(0);
    }
    return all;
  }

  private static BatchAssembler assembler(Map<String, INDArray> data) {
    return ids -> TinyModels.select(data, ids);
  }

  private static PrivateStep step(DpModel model, ClippingRule rule, double sigma, RandomStream noise, double q, int n,
      NormStrategy strategy) {
    return new PrivateStep(new PerSampleEngine(model, strategy, 1L << 30), rule,
        NoisePlan.of(sigma, JointAccounting.GRADIENT_MULTIPLIER, rule), new LatticeGaussianMechanism(noise), q, n);
  }

  private static double norm(Map<String, INDArray> g) {
    double s = 0;
    for (INDArray a : g.values()) {
      double n = a.norm2Number().doubleValue();
      s += n * n;
    }
    return Math.sqrt(s);
  }

  @Test
  void clippedContribution_neverExceedsClipNorm_forRandomAndZeroGradients() {
    DpModel model = TinyModels.transformer(21);
    TinyModels.trainEverything(model, 22);
    // Blow up the output layer so that raw gradient norms are far above C.
    model.parameters().get("head.weight").value().muli(30);
    int n = 23;
    Map<String, INDArray> data = transformerData(n, 5);
    PrivacyUnits units = PrivacyUnits.perExample(n);
    Random r = new Random(3);
    ClippingRule[] rules = {new Dpsgd(0.05), new DpsgdGlobal(0.05, 0.4), DpsgdGlobalAdapt.withDefaults(0.05).withInitialBound(0.3),
        new Dpsgd(1e6)};
    for (ClippingRule rule : rules) {
      double[] maxSeen = {0};
      int[] zeros = {0};
      UnprotectedStepObserver observer = view -> {
        double[] f = view.clipFactors();
        double[] norms = view.unitNorms();
        for (int u = 0; u < f.length; u++) {
          double[] w = new double[f.length];
          w[u] = f[u];
          double contribution = norm(view.weightedGradientSum(w));
          assertTrue(contribution <= rule.clipNorm() * MARGIN, rule + ": unit " + view.unitIds()[u] + " contributes "
              + contribution + " > C");
          assertEquals(f[u] * norms[u], contribution, 1e-4 * Math.max(contribution, 1e-12), "factor times norm");
          maxSeen[0] = Math.max(maxSeen[0], norms[u]);
          if (norms[u] == 0) {
            zeros[0]++;
          }
        }
      };
      PrivateStep s = step(model, rule, 1.0, RandomStream.seeded(1, "noise"), 0.5, n, NormStrategy.AUTO);
      int[] sampled = new int[n];
      for (int i = 0; i < n; i++) {
        sampled[i] = i;
      }
      s.run(rule.initialState(), MicroBatchPlan.of(sampled, units, 7, 1, RandomStream.seeded(2, "plan")),
          assembler(data), null, observer, 0);
      assertTrue(rule.clipNorm() > 1 || maxSeen[0] > 10 * rule.clipNorm(), "raw norms exceed C by far: " + maxSeen[0]);
      assertEquals(4, zeros[0], "units with zero loss weight have exactly zero gradient");
    }
    assertTrue(r.nextInt() != 0 || true);
  }

  @Test
  void emptyBatch_isAValidStep_addingNoiseAndRecordingTheEvent() {
    DpModel model = TinyModels.mlp(5);
    PrivateStep s = step(model, new Dpsgd(1), 1.3, RandomStream.seeded(9, "noise"), 0.01, 1000, NormStrategy.AUTO);
    StepOutcome o = s.run(new ClippingState.Stateless(), new MicroBatchPlan(List.of()), ids -> {
      throw new AssertionError("no micro-batch to assemble");
    }, null, null, 0);
    assertEquals(new PoissonSampledEvent(0.01, new GaussianEvent(1.3)), o.event());
    assertTrue(norm(o.gradient().values()) > 0, "noise was added to the zero sum");
  }

  @Test
  void noise_hasStdSigmaCOverQN_perCoordinate() {
    // An empty batch releases pure noise: every coordinate is N(0, (sigma C)^2) / (q N) (up to the lattice's
    // calibration factor, below 1 + 2^-11). Fixed seed; tolerance 3% on the std (P = 4000 coordinates
    // per step, 10 steps: relative standard error of the sample std about 0.35%).
    DpModel model = TinyModels.transformer(2);
    TinyModels.trainEverything(model, 3);
    double sigma = 0.8;
    double c = 2.5;
    double q = 0.02;
    int n = 500;
    PrivateStep s = step(model, new Dpsgd(c), sigma, RandomStream.seeded(77, "noise"), q, n, NormStrategy.AUTO);
    double sum = 0;
    double sumSq = 0;
    long count = 0;
    for (int rep = 0; rep < 10; rep++) {
      StepOutcome o = s.run(new ClippingState.Stateless(), new MicroBatchPlan(List.of()), ids -> null, null, null, rep);
      for (INDArray a : o.gradient().values().values()) {
        double[] v = a.castTo(DataType.DOUBLE).data().asDouble();
        for (double x : v) {
          sum += x;
          sumSq += x * x;
          count++;
        }
      }
    }
    double expected = sigma * c / (q * n);
    double mean = sum / count;
    double std = Math.sqrt(sumSq / count - mean * mean);
    assertTrue(count > 20_000, "enough coordinates: " + count);
    assertEquals(expected, std, 0.03 * expected, "noise std per coordinate");
    assertEquals(0, mean, 5 * expected / Math.sqrt(count), "noise mean");
  }

  @Test
  void secureNoise_twoRuns_differ() {
    DpModel model = TinyModels.mlp(5);
    List<double[]> draws = new ArrayList<>();
    for (int run = 0; run < 2; run++) {
      PrivateStep s = step(model, new Dpsgd(1), 1.0, RandomStream.secure("noise"), 0.1, 100, NormStrategy.AUTO);
      StepOutcome o = s.run(new ClippingState.Stateless(), new MicroBatchPlan(List.of()), ids -> null, null, null, 0);
      draws.add(o.gradient().values().get("out.bias").castTo(DataType.DOUBLE).toDoubleVector());
    }
    assertNotEquals(draws.get(0)[0], draws.get(1)[0]);
    assertTrue(!java.util.Arrays.equals(draws.get(0), draws.get(1)));
  }

  @Test
  void microBatching_givesTheSameNoisyGradient_asOneBatch() {
    for (ClippingRule rule : new ClippingRule[] {new Dpsgd(0.1), DpsgdGlobalAdapt.withDefaults(0.1).withInitialBound(0.5),
        new DpsgdF(0.1, 10, 2)}) {
      int n = 17;
      Map<String, INDArray> data = transformerData(n, 8);
      int[] groups = new int[n];
      for (int i = 0; i < n; i++) {
        groups[i] = i % 2;
      }
      PrivacyUnits units = PrivacyUnits.perExample(n).withGroups(groups);
      int[] sampled = new int[n];
      for (int i = 0; i < n; i++) {
        sampled[i] = i;
      }
      List<Map<String, INDArray>> results = new ArrayList<>();
      List<ClippingState> states = new ArrayList<>();
      for (int micro : new int[] {n, 4, 1}) {
        DpModel model = TinyModels.transformer(31);
        TinyModels.trainEverything(model, 32);
        PrivateStep s = step(model, rule, 1.0, RandomStream.seeded(5, "noise"), 0.3, 60, NormStrategy.AUTO);
        StepOutcome o = s.run(rule.initialState(), MicroBatchPlan.of(sampled, units, micro, 1, RandomStream.seeded(1, "p")),
            assembler(data), units::group, null, 0);
        Map<String, INDArray> copy = new HashMap<>();
        o.gradient().values().forEach((k, v) -> copy.put(k, v.dup()));
        results.add(copy);
        states.add(o.nextState());
      }
      for (int i = 1; i < results.size(); i++) {
        for (String k : results.get(0).keySet()) {
          INDArray a = results.get(0).get(k);
          INDArray b = results.get(i).get(k);
          double diff = a.sub(b).norm2Number().doubleValue();
          assertTrue(diff <= 1e-5 * Math.max(a.norm2Number().doubleValue(), 1e-6), rule + " " + k + " differs by " + diff);
        }
        assertEquals(states.get(0), states.get(i), "the same clipping state");
      }
    }
  }

  @Test
  void nonFiniteInput_failsTheStep_withAClearMessage() {
    DpModel model = TinyModels.mlp(5);
    Map<String, INDArray> data = TinyModels.mlpBatch(6, 1);
    data.get("features").putScalar(3, 2, Double.NaN);
    PrivateStep s = step(model, new Dpsgd(1), 1.0, RandomStream.seeded(1, "n"), 0.5, 6, NormStrategy.AUTO);
    NonFiniteGradientException e = assertThrows(NonFiniteGradientException.class,
        () -> s.run(new ClippingState.Stateless(),
            MicroBatchPlan.of(new int[] {0, 1, 2, 3, 4, 5}, PrivacyUnits.perExample(6), 6, 1, RandomStream.seeded(1, "p")),
            assembler(data), null, null, 0));
    assertTrue(e.getMessage().contains("unit 3") && e.getMessage().contains("Nothing was released"), e.getMessage());
  }

  @Test
  void globalAdapt_event_isTheJointMultiplier() {
    DpModel model = TinyModels.mlp(5);
    DpsgdGlobalAdapt rule = DpsgdGlobalAdapt.withDefaults(1);
    PrivateStep s = step(model, rule, 1.0, RandomStream.seeded(1, "n"), 0.1, 50, NormStrategy.AUTO);
    assertEquals(new PoissonSampledEvent(0.1, new GaussianEvent(1 / Math.sqrt(1 + 0.01))), s.event());
  }

  @Test
  void dpsgdF_noiseScale_isTheLargestGroupBound() {
    DpModel model = TinyModels.mlp(5);
    DpsgdF rule = new DpsgdF(1, 10, 3);
    PrivateStep s = step(model, rule, 2.0, RandomStream.seeded(1, "n"), 0.1, 50, NormStrategy.AUTO);
    StepOutcome o = s.run(rule.initialState(), new MicroBatchPlan(List.of()), ids -> null, u -> 0, null, 0);
    double maxBound = 0;
    for (double b : o.bounds().groupClipNorms()) {
      maxBound = Math.max(maxBound, b);
    }
    LatticeGaussianMechanism.Calibration cal = LatticeGaussianMechanism.calibrate(maxBound, 2.0,
        model.parameters().trainableCount());
    assertEquals(cal.noiseStd(), o.noiseStd(), 1e-12);
  }

  @Test
  void noisyGradient_isUsedOnce() {
    DpModel model = TinyModels.mlp(5);
    PrivateStep s = step(model, new Dpsgd(1), 1.0, RandomStream.seeded(1, "n"), 0.1, 50, NormStrategy.AUTO);
    StepOutcome o = s.run(new ClippingState.Stateless(), new MicroBatchPlan(List.of()), ids -> null, null, null, 0);
    o.gradient().consume();
    assertThrows(IllegalStateException.class, () -> o.gradient().consume());
    StepOutcome o2 = s.run(new ClippingState.Stateless(), new MicroBatchPlan(List.of()), ids -> null, null, null, 1);
    StepOutcome o3 = s.run(new ClippingState.Stateless(), new MicroBatchPlan(List.of()), ids -> null, null, null, 2);
    assertThrows(IllegalStateException.class, () -> o2.gradient().values(), "a later step invalidates it");
    assertTrue(o3.gradient().values().size() > 0);
    for (Parameter p : model.parameters().all()) {
      assertTrue(p.trainable());
    }
  }
}
