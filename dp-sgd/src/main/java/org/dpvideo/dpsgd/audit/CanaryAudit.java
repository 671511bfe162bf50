package org.dpvideo.dpsgd.audit;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.IntConsumer;
import org.dpvideo.dpsgd.accounting.AccountantKind;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.accounting.NoiseCalibration;
import org.dpvideo.dpsgd.accounting.PldAccountant;
import org.dpvideo.dpsgd.accounting.PrivacyAccountant;
import org.dpvideo.dpsgd.accounting.PrivacyGuarantee;
import org.dpvideo.dpsgd.accounting.RdpAccountant;
import org.dpvideo.dpsgd.clipping.Dpsgd;
import org.dpvideo.dpsgd.noise.GaussianSampler;
import org.dpvideo.dpsgd.noise.RandomStream;
import org.dpvideo.dpsgd.noise.Randomness;
import org.dpvideo.dpsgd.optim.OptimizerConfig;
import org.dpvideo.dpsgd.sampling.PrivacyUnits;
import org.dpvideo.dpsgd.train.DpConfig;
import org.dpvideo.dpsgd.train.DpTrainer;
import org.dpvideo.dpsgd.train.PerformanceOptions;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One-run privacy auditing of DP-SGD (Steinke, Nasr and Jagielski, "Privacy Auditing with One (1)
 * Training Run", NeurIPS 2023) through the real engine:
 * <ol>
 *   <li>make m canaries and include each independently with probability 1/2 (one Bernoulli draw per
 *       canary from the run's secure or labelled seeded randomness);</li>
 *   <li>train the audited model once with {@link DpTrainer} on the data rows plus the canaries, every
 *       one a privacy unit: Poisson sampling, per-unit norms, clipping, lattice noise and the SGD update
 *       are the engine's own;</li>
 *   <li>score every canary from what the run released (white-box: the model updates along the canary's
 *       gradient direction; black-box: the drop of the final model's loss on the canary);</li>
 *   <li>guess "included" for the k+ highest scores and "excluded" for the k- lowest, count the correct
 *       guesses, and turn them into a lower bound on ε ({@link AuditBound}, {@link OneRunBound});</li>
 *   <li>compare with the ε the accountant gives the run: a bound above it is a {@link AuditVerdict#VIOLATION}.</li>
 * </ol>
 *
 * <h2>Excluded canaries are inert units</h2>
 * An excluded canary stays in the unit list with loss weight 0 and no canary gradient, so its gradient
 * is exactly 0: sampled or not, it adds nothing to the clipped sum. The released gradients are then
 * distributed exactly as in a run without that unit, while the number of units N, and with it the
 * public divisor qN of the noisy sum, does not depend on which canaries were included.
 *
 * <p>Not thread-safe; each call trains a fresh model.
 */
public final class CanaryAudit {
  /** White-box canary gradients have norm {@code CANARY_GRADIENT_SCALE * C}: a correct clip brings them to C. */
  public static final double CANARY_GRADIENT_SCALE = 10;
  /** The probe space of random-direction canaries has this many coordinates per canary. */
  public static final int RANDOM_PROBE_FACTOR = 4;
  /** Black-box canary inputs are N(0, s^2 I) with this s, in the standardised feature space. */
  public static final double CANARY_INPUT_SCALE = 3;
  /** Data rows of the audit's generated dataset. */
  public static final int GENERATED_ROWS = 1000;
  /** Features of the audit's generated dataset. */
  public static final int GENERATED_FEATURES = 10;
  /** Classes of the audit's generated dataset. */
  public static final int GENERATED_CLASSES = 4;

  private CanaryAudit() {}

  /** The generated dataset {@code dpvideo audit} uses by default (synthetic, public). */
  public static AuditDataset defaultDataset(long seed) {
    return AuditDataset.generated(GENERATED_ROWS, GENERATED_FEATURES, GENERATED_CLASSES, seed);
  }

  /**
   * Audits a correctly configured DP-SGD run.
   *
   * @param progress told the number of steps taken after each step (may be null)
   */
  public static AuditReport run(AuditDataset data, AuditConfig config, IntConsumer progress) {
    return execute(data, config, null, progress);
  }

  /**
   * Audits a DELIBERATELY BROKEN run (see {@link DeliberatelyBrokenMechanism}): the accounted ε is that
   * of the claimed configuration, the training is not private, and the report says BROKEN.
   */
  public static AuditReport runDeliberatelyBroken(AuditDataset data, AuditConfig config,
      DeliberatelyBrokenMechanism broken, IntConsumer progress) {
    return execute(data, config, Objects.requireNonNull(broken, "broken"), progress);
  }

  static PrivacyAccountant accountant(AccountantKind kind) {
    return kind == AccountantKind.PLD ? new PldAccountant() : new RdpAccountant();
  }

  /** The noise multiplier of a config (calibrated when it gives a target ε). */
  public static double noiseMultiplier(AuditConfig config) {
    if (config.noise() instanceof NoiseSetting.Multiplier m) {
      return m.sigma();
    }
    double target = ((NoiseSetting.TargetEpsilon) config.noise()).epsilon();
    return new NoiseCalibration(accountant(config.accountant()))
        .noiseMultiplier(target, config.samplingRate(), config.steps(), config.delta()).noiseMultiplier();
  }

  private static AuditReport execute(AuditDataset data, AuditConfig config, DeliberatelyBrokenMechanism broken,
      IntConsumer progress) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(config, "config");
    long started = System.nanoTime();
    GuessPlan plan = config.guessPlan();
    plan.requireFits(config.canaries());
    double sigma = noiseMultiplier(config);
    DpConfig claimed = DpConfig.of(sigma, new Dpsgd(config.clipNorm()), config.samplingRate(), config.steps(),
        config.delta());
    DpConfig actual = broken == null ? claimed : broken.actualConfig(claimed);

    Randomness randomness = config.seed().isPresent() ? Randomness.seeded(config.seed().getAsLong())
        : Randomness.secure();
    int m = config.canaries();
    boolean[] included = new boolean[m];
    RandomStream bits = randomness.stream("audit/canary-inclusion");
    int includedCount = 0;
    for (int i = 0; i < m; i++) {
      included[i] = bits.nextBernoulli(0.5);
      includedCount += included[i] ? 1 : 0;
    }
    Canaries canaries = Canaries.design(config, data, randomness.stream("audit/canary-design"));
    long initSeed = config.seed().orElse(0L);
    AuditMlp net = AuditMlp.build(data.featureCount(), data.classCount(), config.hiddenWidth(),
        canaries.probeDimension(), initSeed);
    try {
      TrainingSet set = new TrainingSet(data, canaries, included);
      DpTrainer trainer = DpTrainer.builder(net.model, actual, PrivacyUnits.perExample(set.units()), set::placeholders)
          .optimizer(OptimizerConfig.sgd(config.learningRate()))
          .performance(PerformanceOptions.defaults().withMicroBatchSize(config.microBatchSize()))
          .randomness(randomness)
          .build();
      Scorer scorer = config.mode() == AuditMode.WHITE_BOX ? new WhiteBoxScorer(net, canaries)
          : new BlackBoxScorer(net, set);
      for (int s = 0; s < config.steps(); s++) {
        trainer.step();
        if (progress != null) {
          progress.accept(s + 1);
        }
      }
      double[] scores = scorer.scores();
      AuditBound bound = AuditBound.evaluate(scores, included, plan, config.delta(), config.confidence());
      DpEvent claimedEvent = DpEvent.dpSgd(config.samplingRate(), sigma, config.steps());
      if (broken == null && !trainer.spent().equals(claimedEvent)) {
        throw new IllegalStateException("the trainer spent " + trainer.spent() + " but the audited configuration is "
            + claimedEvent + "; the engine did not run the configuration it was given");
      }
      DpEvent accountedEvent = broken == null ? trainer.spent() : claimedEvent;
      PrivacyGuarantee accounted = accountant(config.accountant()).epsilon(accountedEvent, config.delta());
      AuditVerdict verdict = bound.epsilonLowerBound() > accounted.epsilon() ? AuditVerdict.VIOLATION
          : AuditVerdict.CONSISTENT;
      OptionalDouble accuracy = data.hasHeldOut() ? OptionalDouble.of(heldOutAccuracy(net, data))
          : OptionalDouble.empty();
      double seconds = (System.nanoTime() - started) / 1e9;
      return new AuditReport(config, data.description(), set.units(), sigma, accounted, bound, includedCount,
          verdict, broken == null ? null : broken.kind(), broken == null ? null : broken.warning(),
          trainer.randomness(), canaries.description(), accuracy, seconds);
    } finally {
      net.model.close();
    }
  }

  private static double heldOutAccuracy(AuditMlp net, AuditDataset data) {
    int n = data.heldOutLabels().length;
    int d = data.featureCount();
    Map<String, INDArray> ph = new HashMap<>();
    ph.put(AuditMlp.FEATURES, Nd4j.createFromArray(data.heldOutFeatures()).reshape(n, d));
    ph.put(AuditMlp.LABELS, Nd4j.createFromArray(data.heldOutLabels()));
    ph.put(AuditMlp.WEIGHTS, Nd4j.ones(org.nd4j.linalg.api.buffer.DataType.FLOAT, n));
    if (net.probeDimension > 0) {
      ph.put(AuditMlp.CANARY_INPUT, Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, n, net.probeDimension));
    }
    INDArray logits = net.model.output(ph, net.logits).get(net.logits);
    INDArray predicted = Nd4j.argMax(logits, 1);
    int[] labels = data.heldOutLabels();
    int correct = 0;
    for (int i = 0; i < n; i++) {
      if (predicted.getInt(i) == labels[i]) {
        correct++;
      }
    }
    return correct / (double) n;
  }

  /** The canaries of one audit: gradient directions (white-box) or inputs and labels (black-box). */
  record Canaries(AuditMode mode, int count, int probeDimension, float[] directions, float[] inputs, int[] labels,
      double gradientNorm, String description) {

    static Canaries design(AuditConfig config, AuditDataset data, RandomStream stream) {
      int m = config.canaries();
      GaussianSampler gauss = new GaussianSampler(stream);
      if (config.mode() == AuditMode.WHITE_BOX) {
        double norm = CANARY_GRADIENT_SCALE * config.clipNorm();
        if (config.gradientCanary() == GradientCanary.DIRAC) {
          return new Canaries(AuditMode.WHITE_BOX, m, m, null, null, null, norm,
              "dirac: canary i's gradient is " + AuditReport.shortNumber(CANARY_GRADIENT_SCALE) + " C on probe coordinate i");
        }
        int dim = RANDOM_PROBE_FACTOR * m;
        float[] u = new float[m * dim];
        for (int i = 0; i < m; i++) {
          double sq = 0;
          double[] v = new double[dim];
          for (int j = 0; j < dim; j++) {
            v[j] = gauss.next();
            sq += v[j] * v[j];
          }
          double inv = 1 / Math.sqrt(sq);
          for (int j = 0; j < dim; j++) {
            u[i * dim + j] = (float) (v[j] * inv);
          }
        }
        return new Canaries(AuditMode.WHITE_BOX, m, dim, u, null, null, norm,
            "random-direction: canary i's gradient is " + AuditReport.shortNumber(CANARY_GRADIENT_SCALE) + " C times a random unit vector in "
                + dim + " probe coordinates");
      }
      int d = data.featureCount();
      float[] x = new float[m * d];
      int[] y = new int[m];
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < d; j++) {
          x[i * d + j] = (float) (CANARY_INPUT_SCALE * gauss.next());
        }
        y[i] = stream.nextInt(data.classCount());
      }
      return new Canaries(AuditMode.BLACK_BOX, m, 0, null, x, y, 0,
          "mislabelled-input: random inputs N(0, " + CANARY_INPUT_SCALE + "^2 I) with uniformly random labels");
    }

    /** Writes canary i's gradient input (G u_i) into row {@code row} of a [B, probe] buffer. */
    void writeGradientInput(int i, float[] target, int row) {
      int dim = probeDimension;
      if (directions == null) {
        target[row * dim + i] = (float) gradientNorm;
        return;
      }
      for (int j = 0; j < dim; j++) {
        target[row * dim + j] = (float) (gradientNorm * directions[i * dim + j]);
      }
    }
  }

  /** The units of the run: data rows 0..n-1, then the m canaries (excluded ones inert). */
  static final class TrainingSet {
    private final AuditDataset data;
    private final Canaries canaries;
    private final boolean[] included;
    private final float[] features;
    private final int[] labels;

    TrainingSet(AuditDataset data, Canaries canaries, boolean[] included) {
      this.data = data;
      this.canaries = canaries;
      this.included = included;
      this.features = data.features();
      this.labels = data.labels();
    }

    int units() {
      return labels.length + canaries.count();
    }

    Map<String, INDArray> placeholders(int[] ids) {
      return placeholders(ids, false);
    }

    /**
     * @param asEvaluation black-box scoring: every canary gets loss weight 1 (the model is only evaluated)
     */
    Map<String, INDArray> placeholders(int[] ids, boolean asEvaluation) {
      int b = ids.length;
      int d = data.featureCount();
      int n = labels.length;
      float[] f = new float[b * d];
      int[] y = new int[b];
      float[] w = new float[b];
      int probe = canaries.probeDimension();
      float[] c = probe > 0 ? new float[b * probe] : null;
      for (int r = 0; r < b; r++) {
        int e = ids[r];
        if (e < n) {
          System.arraycopy(features, e * d, f, r * d, d);
          y[r] = labels[e];
          w[r] = 1f;
          continue;
        }
        int i = e - n;
        if (canaries.mode() == AuditMode.BLACK_BOX) {
          System.arraycopy(canaries.inputs(), i * d, f, r * d, d);
          y[r] = canaries.labels()[i];
          w[r] = asEvaluation || included[i] ? 1f : 0f;
        } else if (included[i]) {
          canaries.writeGradientInput(i, c, r);
        }
      }
      Map<String, INDArray> ph = new HashMap<>();
      ph.put(AuditMlp.FEATURES, Nd4j.createFromArray(f).reshape(b, d));
      ph.put(AuditMlp.LABELS, Nd4j.createFromArray(y));
      ph.put(AuditMlp.WEIGHTS, Nd4j.createFromArray(w));
      if (c != null) {
        ph.put(AuditMlp.CANARY_INPUT, Nd4j.createFromArray(c).reshape(b, probe));
      }
      return ph;
    }

    int[] canaryIds() {
      int n = labels.length;
      int[] ids = new int[canaries.count()];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = n + i;
      }
      return ids;
    }
  }

  /** Scores canaries from the released model: created before training, read after. */
  private interface Scorer {
    double[] scores();
  }

  /**
   * White-box: {@code score_i = <u_i, W_probe(0) - W_probe(T)>}, the canary direction against the sum of
   * the model updates (with plain SGD, the learning rate times the sum of the released noisy gradients).
   */
  private static final class WhiteBoxScorer implements Scorer {
    private final AuditMlp net;
    private final Canaries canaries;
    private final float[] initial;

    WhiteBoxScorer(AuditMlp net, Canaries canaries) {
      this.net = net;
      this.canaries = canaries;
      this.initial = probe(net);
    }

    private static float[] probe(AuditMlp net) {
      return net.model.parameters().get(AuditMlp.PROBE_WEIGHT).value().dup().reshape(-1).toFloatVector();
    }

    @Override
    public double[] scores() {
      float[] last = probe(net);
      int dim = canaries.probeDimension();
      double[] update = new double[dim];
      for (int j = 0; j < dim; j++) {
        update[j] = (double) initial[j] - last[j];
      }
      double[] s = new double[canaries.count()];
      for (int i = 0; i < s.length; i++) {
        if (canaries.directions() == null) {
          s[i] = update[i];
        } else {
          double dot = 0;
          for (int j = 0; j < dim; j++) {
            dot += canaries.directions()[i * dim + j] * update[j];
          }
          s[i] = dot;
        }
      }
      return s;
    }
  }

  /** Black-box: {@code score_i = loss_0(canary i) - loss_T(canary i)}, the drop of the model's loss on it. */
  private static final class BlackBoxScorer implements Scorer {
    private final AuditMlp net;
    private final TrainingSet set;
    private final double[] initial;

    BlackBoxScorer(AuditMlp net, TrainingSet set) {
      this.net = net;
      this.set = set;
      this.initial = losses();
    }

    private double[] losses() {
      Map<String, INDArray> ph = set.placeholders(set.canaryIds(), true);
      return net.model.output(ph, net.perExampleLoss).get(net.perExampleLoss).reshape(-1).toDoubleVector();
    }

    @Override
    public double[] scores() {
      double[] last = losses();
      double[] s = new double[last.length];
      for (int i = 0; i < s.length; i++) {
        s[i] = initial[i] - last[i];
      }
      return s;
    }
  }
}
