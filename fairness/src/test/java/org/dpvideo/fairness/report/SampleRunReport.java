package org.dpvideo.fairness.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.dpvideo.dpsgd.accounting.RdpAccountant;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.fairness.Provenance;
import org.dpvideo.fairness.cost.MetricOrientation;
import org.dpvideo.fairness.cost.PrivacyCost;
import org.dpvideo.fairness.cost.ReferenceKind;
import org.dpvideo.fairness.cost.ReferenceModel;
import org.dpvideo.fairness.group.GroupAssignment;
import org.dpvideo.fairness.group.GroupKey;
import org.dpvideo.fairness.group.SensitiveFeatures;
import org.dpvideo.fairness.metrics.BootstrapOptions;
import org.dpvideo.fairness.metrics.GroupEstimate;
import org.dpvideo.fairness.metrics.GroupMetrics;
import org.dpvideo.fairness.metrics.GroupMetricsOptions;
import org.dpvideo.fairness.metrics.Metric;
import org.dpvideo.fairness.misalignment.GroupGradientSums;
import org.dpvideo.fairness.misalignment.LayeredVector;
import org.dpvideo.fairness.misalignment.MisalignmentDiagnostics;
import org.dpvideo.fairness.misalignment.MisalignmentOptions;
import org.dpvideo.fairness.misalignment.PerUnitGradients;
import org.dpvideo.fairness.misalignment.StepObservation;
import org.dpvideo.fairness.release.PrivateGroupStatistics;
import org.dpvideo.fairness.release.ReleaseAccount;
import org.dpvideo.fairness.release.ReleaseOptions;
import org.dpvideo.fairness.release.GaussianNoiseSource;
import org.dpvideo.dpsgd.noise.RandomStream;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A full report of a made-up run, built with the module's own APIs on synthetic data: every section
 * filled (privacy, fairness with a suppressed small group and an empty intersectional cell, privacy cost
 * against a releasable base model and an internal shadow run, misalignment diagnostics, a DP-released
 * chart, quality and collapse tables, sample GIFs written into the run directory).
 */
final class SampleRunReport {
  static final String[] TONES = {"1F3FB", "1F3FC", "1F3FD", "1F3FE", "1F3FF"};

  private SampleRunReport() {}

  static RunReport build(Path runDir) throws IOException {
    SplittableRandom rng = new SplittableRandom(2026);
    int n = 400;
    String[] tone = new String[n];
    String[] kind = new String[n];
    double[] nllPrivate = new double[n];
    double[] nllBase = new double[n];
    double[] nllShadow = new double[n];
    for (int i = 0; i < n; i++) {
      // Tone 1F3FF is rare (about 3% of examples): it ends up below the minimum group size.
      int t = i % 33 == 0 ? 4 : i % 4;
      tone[i] = TONES[t];
      kind[i] = t == 4 ? "person" : (i % 3 == 0 ? "gesture" : "person");
      nllShadow[i] = 2.0 + 0.1 * t + 0.3 * rng.nextDouble();
      nllPrivate[i] = nllShadow[i] + 0.2 + 0.15 * t + 0.2 * rng.nextDouble();
      nllBase[i] = 3.4 + 0.2 * rng.nextDouble();
    }
    SensitiveFeatures sf = SensitiveFeatures.builder().column("skin_tone", tone, List.of(TONES)).build();
    GroupMetricsOptions eval = GroupMetricsOptions.of(Provenance.EVAL_PUBLIC)
        .withBootstrap(BootstrapOptions.central95(200, 7)).withReferenceGroup(GroupKey.of("skin_tone", "1F3FB"));
    GroupMetrics nll = GroupMetrics.compute(sf, List.of(Metric.mean("nll", nllPrivate)), eval);
    SensitiveFeatures inter = SensitiveFeatures.builder().column("skin_tone", tone, List.of(TONES))
        .column("kind", kind).build();
    GroupMetrics nllInter = GroupMetrics.compute(inter, List.of(Metric.mean("nll", nllPrivate)),
        GroupMetricsOptions.of(Provenance.EVAL_PUBLIC).withMinGroupSize(10));

    PrivacyCost vsBase = PrivacyCost.evaluate(Metric.mean("nll", nllPrivate), Metric.mean("nll", nllBase),
        MetricOrientation.LOWER_IS_BETTER, sf.assignment(), eval.withReferenceGroup(null),
        new ReferenceModel(ReferenceKind.BASE_MODEL, "public base checkpoint before fine-tuning"));
    PrivacyCost vsShadow = PrivacyCost.evaluate(Metric.mean("nll", nllPrivate), Metric.mean("nll", nllShadow),
        MetricOrientation.LOWER_IS_BETTER, sf.assignment(), eval.withReferenceGroup(null),
        new ReferenceModel(ReferenceKind.NON_PRIVATE_SHADOW, "non-private shadow run, same schedule, seed 0"));

    // Training-time diagnostics on synthetic per-unit gradients, every 10 steps.
    MisalignmentDiagnostics diag = new MisalignmentDiagnostics(MisalignmentOptions.training(10));
    ReleaseAccount account = new ReleaseAccount("training set of run demo-0001");
    GaussianNoiseSource statisticsNoise = GaussianNoiseSource.of(RandomStream.seeded(5, "fairness-statistics"));
    PrivateGroupStatistics dp = new PrivateGroupStatistics(statisticsNoise, account, Provenance.TRAIN_DP,
        ReleaseOptions.defaults().withMinNoisyCount(50));
    Map<GroupKey, List<StepValue>> dpClip = new HashMap<>();
    int units = 64;
    for (int step = 0; step <= 200; step += 10) {
      double[][] a = new double[units][24];
      double[][] b = new double[units][8];
      String[] g = new String[units];
      for (int i = 0; i < units; i++) {
        int t = i % 5;
        g[i] = TONES[t];
        double scale = 0.5 + 0.6 * t * Math.exp(-step / 150.0);
        for (int j = 0; j < 24; j++) {
          a[i][j] = scale * (0.3 * (j % (t + 2)) + rng.nextGaussian() * 0.4);
        }
        for (int j = 0; j < 8; j++) {
          b[i][j] = scale * (0.5 - 0.1 * t + rng.nextGaussian() * 0.3);
        }
      }
      PerUnitGradients grads = new PerUnitGradients(List.of(Nd4j.createFromArray(a), Nd4j.createFromArray(b)));
      GroupAssignment groups = SensitiveFeatures.builder().column("skin_tone", g, List.of(TONES)).build().assignment();
      double[] norms = grads.norms();
      double clip = 2.0;
      double[] s = new double[units];
      boolean[] clipped = new boolean[units];
      for (int i = 0; i < units; i++) {
        s[i] = Math.min(1, clip / norms[i]);
        clipped[i] = norms[i] > clip;
      }
      GroupGradientSums sums = GroupGradientSums.fromPerUnit(grads, s, groups);
      Map<GroupKey, LayeredVector> full = new HashMap<>();
      int[] counts = groups.counts();
      for (int k = 0; k < TONES.length; k++) {
        full.put(groups.levels().get(k), LayeredVector.of(List.of(
            sums.unscaledLayer(0).getRow(k).div(counts[k]), sums.unscaledLayer(1).getRow(k).div(counts[k]))));
      }
      diag.record(StepObservation.ofNorms(step, norms, s, groups, clip, 0.05, clip, 1.1).withGradients(sums, full));
      if (step % 50 == 0) {
        boolean[] many = new boolean[units * 4];
        String[] g4 = new String[units * 4];
        for (int i = 0; i < many.length; i++) {
          many[i] = clipped[i % units];
          g4[i] = g[i % units];
        }
        GroupAssignment ga = SensitiveFeatures.builder().column("skin_tone", g4, List.of(TONES)).build().assignment();
        for (GroupEstimate e : dp.rates("fraction clipped (step " + step + ")", many, ga, 4).groups()) {
          dpClip.computeIfAbsent(e.group(), k -> new ArrayList<>()).add(new StepValue(step, e.value()));
        }
      }
    }
    List<SeriesChart.Series> dpSeries = new ArrayList<>();
    dpClip.entrySet().stream().sorted(Map.Entry.comparingByKey((x, y) -> x.label().compareTo(y.label())))
        .forEach(e -> dpSeries.add(new SeriesChart.Series(e.getKey().label(), e.getValue())));

    DpEvent training = DpEvent.dpSgd(0.01, 1.1, 1000);
    List<PrivacySection.StepEvent> schedule = new ArrayList<>();
    for (int step = 50; step <= 1000; step += 50) {
      schedule.add(new PrivacySection.StepEvent(step, DpEvent.dpSgd(0.01, 1.1, step)));
    }
    PrivacySection privacy = PrivacySection.of(new RdpAccountant(), 1e-5, "clip", training, account, schedule);

    GroupMetrics psnr = GroupMetrics.compute(sf, List.of(Metric.mean("recon_psnr_db", nllBase)),
        GroupMetricsOptions.of(Provenance.EVAL_PUBLIC));
    double[] repeat = new double[n];
    double[] repeatReal = new double[n];
    for (int i = 0; i < n; i++) {
      repeat[i] = 0.1 + 0.05 * (i % 4) + 0.05 * rng.nextDouble();
      repeatReal[i] = 0.08 + 0.02 * rng.nextDouble();
    }
    GroupMetrics rep = GroupMetrics.compute(sf, List.of(Metric.mean("repeated_frame_fraction", repeat)),
        GroupMetricsOptions.of(Provenance.EVAL_PUBLIC));
    GroupMetrics repBase = GroupMetrics.compute(sf, List.of(Metric.mean("repeated_frame_fraction", repeatReal)),
        GroupMetricsOptions.of(Provenance.EVAL_PUBLIC));

    List<SampleSet> samples = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      List<String> paths = new ArrayList<>();
      for (int j = 0; j < 3; j++) {
        String rel = "samples/skin_tone=" + TONES[t] + "/" + j + ".gif";
        writeGif(runDir.resolve(rel), new Color(60 + 60 * t, 120 + 40 * j, 200 - 50 * t));
        paths.add(rel);
      }
      samples.add(new SampleSet(GroupKey.of("skin_tone", TONES[t]), "prompt: 'a waving hand', temperature 0.9",
          Provenance.EVAL_PUBLIC, paths));
    }

    return RunReport.builder("demo-0001", NoiseLabel.of(statisticsNoise.label()))
        .title("dpvideo run demo-0001: stickers, DPSGD-Global-Adapt")
        .createdAt("2026-11-22T04:00:00Z")
        .privacy(privacy)
        .fairness(GroupTable.from(nll, "nll", "Held-out negative log-likelihood per video token.",
            "audit split (400 clips, releasable)", false))
        .fairness(GroupTable.from(nllInter, "nll", "The same by skin tone and sticker kind (intersectional).",
            "audit split", false))
        .privacyCost(PrivacyCostTable.from(vsBase, "audit split",
            List.<GroupKey[]>of(new GroupKey[] {GroupKey.of("skin_tone", "1F3FB"), GroupKey.of("skin_tone", "1F3FE")}),
            null))
        .privacyCost(PrivacyCostTable.from(vsShadow, "audit split", List.of(), null))
        .misalignment(MisalignmentSection.from(diag))
        .chart(new SeriesChart("Fraction clipped, DP release (σ = 4)", "fraction", Provenance.TRAIN_DP, dpSeries))
        .quality(GroupTable.from(psnr, "recon_psnr_db", "Tokenizer reconstruction PSNR.", "audit split", true))
        .collapse(GroupTable.from(rep, "repeated_frame_fraction", "Fraction of frames repeating the previous one.",
            "256 samples per group", false).withBaseline(repBase.byGroup("repeated_frame_fraction"), "real clips",
            Provenance.EVAL_PUBLIC))
        .samples(samples.get(0))
        .samples(samples.get(1))
        .tuning("DPSGD-Global-Adapt at lr 0.1 (paper pairing); no tuning on private data.")
        .note("Synthetic data made by the test suite.")
        .build();
  }

  static void writeGif(Path file, Color color) throws IOException {
    Files.createDirectories(file.getParent());
    BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 64, 64);
    g.setColor(color);
    g.fillOval(8, 8, 48, 48);
    g.dispose();
    if (!ImageIO.write(img, "gif", file.toFile())) {
      throw new IOException("no GIF writer");
    }
  }
}
