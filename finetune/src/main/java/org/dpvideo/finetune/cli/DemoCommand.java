package org.dpvideo.finetune.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.dpvideo.dpsgd.accounting.ComposedEvent;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.accounting.NoiseCalibration;
import org.dpvideo.dpsgd.accounting.PldAccountant;
import org.dpvideo.dpsgd.accounting.PrivacyGuarantee;
import org.dpvideo.dpsgd.accounting.RdpAccountant;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dpvideo demo}: the README's main job. Until the fine-tuning loop exists it runs the privacy
 * accounting of the planned sticker fine-tune (a two-stage schedule composed as events) under both
 * accountants and calibrates the noise for epsilon = 8, and says that the fine-tuning demo is coming.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the demo (for now: the privacy accounting of the planned sticker fine-tune).")
public final class DemoCommand implements Callable<Integer> {
  /** Private part of the sticker set: 275 gestures in 5 skin tones, one subject each (design.md). */
  static final int PRIVATE_SUBJECTS = 1375;
  static final int EXPECTED_BATCH = 64;
  static final int STAGE_ONE_STEPS = 250;
  static final int STAGE_TWO_STEPS = 750;
  static final double STAGE_ONE_SIGMA = 1.2;
  static final double STAGE_TWO_SIGMA = 1.0;
  static final double DELTA = 1e-5;
  static final double TARGET_EPSILON = 8.0;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--quick", description = "Quick settings (used by CI): a coarser noise calibration.")
  boolean quick;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    double q = (double) EXPECTED_BATCH / PRIVATE_SUBJECTS;
    DpEvent schedule = ComposedEvent.of(
        DpEvent.dpSgd(q, STAGE_ONE_SIGMA, STAGE_ONE_STEPS),
        DpEvent.dpSgd(q, STAGE_TWO_SIGMA, STAGE_TWO_STEPS));
    out.printf(Locale.ROOT, "dpvideo demo: privacy accounting of the planned sticker fine-tune%s%n",
        quick ? " (quick)" : "");
    out.printf(Locale.ROOT, "  private units: %,d animated stickers (one subject each); expected batch %d,"
        + " so q = %d/%d = %.4f%n", PRIVATE_SUBJECTS, EXPECTED_BATCH, EXPECTED_BATCH, PRIVATE_SUBJECTS, q);
    out.printf(Locale.ROOT, "  schedule: stage 1 %d steps at sigma %.1f, then stage 2 %d steps at sigma %.1f;"
        + " delta = %s%n", STAGE_ONE_STEPS, STAGE_ONE_SIGMA, STAGE_TWO_STEPS, STAGE_TWO_SIGMA,
        PrivacyCommand.formatNumber(DELTA));
    PrivacyGuarantee pld = new PldAccountant().epsilon(schedule, DELTA);
    PrivacyGuarantee rdp = new RdpAccountant().epsilon(schedule, DELTA);
    out.printf(Locale.ROOT, "  epsilon: %.4f (pld, tight)   %.4f (rdp, optimal order %s)%n", pld.epsilon(),
        rdp.epsilon(), PrivacyCommand.formatNumber(rdp.optimalOrder().getAsDouble()));
    int steps = STAGE_ONE_STEPS + STAGE_TWO_STEPS;
    double tolerance = quick ? 1e-2 : NoiseCalibration.DEFAULT_RELATIVE_TOLERANCE;
    NoiseCalibration.CalibratedNoise c = new NoiseCalibration(new PldAccountant(), tolerance)
        .noiseMultiplier(TARGET_EPSILON, q, steps, DELTA);
    out.printf(Locale.ROOT, "  noise for epsilon = %.0f over %d steps at that q: sigma = %.3f (reaches epsilon %.4f,"
        + " pld)%n", TARGET_EPSILON, steps, c.noiseMultiplier(), c.guarantee().epsilon());
    out.println("The fine-tuning demo (training on the stickers with privacy, fairness and quality reports) is"
        + " coming; this demo shows the accounting it will use.");
    out.flush();
    return 0;
  }
}
