package org.dpvideo.dpsgd.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import org.dpvideo.dpsgd.accounting.PrivacyGuarantee;
import org.dpvideo.dpsgd.noise.RandomnessLabel;

/**
 * What one audit found. Every field is either a setting, a value computed from the released model, or
 * the audit's own randomness (the inclusion count); nothing here is a statistic of the data rows.
 *
 * @param config the audit's settings
 * @param dataset what the model was trained on
 * @param units N, data rows plus canaries
 * @param noiseMultiplier sigma of the claimed configuration (calibrated when a target ε was given)
 * @param accounted the accountant's (ε, δ) for the claimed configuration (for a correct run, of the
 *     trainer's own spent event)
 * @param bound the empirical lower bound and the guesses behind it
 * @param canariesIncluded how many of the m canaries were included
 * @param verdict {@link AuditVerdict#VIOLATION} when the bound exceeds the accounted ε
 * @param broken the deliberately broken mechanism, or null for a correct run
 * @param warning the BROKEN warning of a broken run, or null
 * @param randomness where the run's randomness came from
 * @param canaryDesign how canaries were made
 * @param modelAccuracy held-out accuracy of the trained model (generated data only)
 * @param seconds wall-clock time of the audit
 */
public record AuditReport(AuditConfig config, String dataset, int units, double noiseMultiplier,
    PrivacyGuarantee accounted, AuditBound bound, int canariesIncluded, AuditVerdict verdict, BrokenMechanism broken,
    String warning, RandomnessLabel randomness, String canaryDesign, OptionalDouble modelAccuracy, double seconds) {

  /** Whether the run was deliberately broken. */
  public boolean isBroken() {
    return broken != null;
  }

  /** The empirical lower bound on ε. */
  public double epsilonLowerBound() {
    return bound.epsilonLowerBound();
  }

  /** The accounted (claimed) ε. */
  public double accountedEpsilon() {
    return accounted.epsilon();
  }

  /**
   * The JSON form (keys documented in docs/audit.md), in a fixed order. Infinite ε values are null.
   */
  public Map<String, Object> toJson() {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("verdict", verdict.text());
    j.put("broken", isBroken());
    j.put("broken_mechanism", broken == null ? null : broken.cliName());
    j.put("warning", warning);
    j.put("accounted_epsilon", finite(accounted.epsilon()));
    j.put("epsilon_lower_bound", bound.epsilonLowerBound());
    j.put("delta", accounted.delta());
    j.put("confidence", bound.confidence());
    j.put("guesses", bound.best().total());
    j.put("correct_guesses", bound.best().correct());
    j.put("guesses_positive", bound.best().guesses().positive());
    j.put("guesses_negative", bound.best().guesses().negative());
    j.put("guess_choices", bound.perChoice().size());
    List<Map<String, Object>> choices = new ArrayList<>();
    for (AuditBound.ChoiceBound c : bound.perChoice()) {
      Map<String, Object> cj = new LinkedHashMap<>();
      cj.put("guesses_positive", c.guesses().positive());
      cj.put("guesses_negative", c.guesses().negative());
      cj.put("correct_guesses", c.correct());
      cj.put("epsilon_lower_bound", c.epsilonLowerBound());
      choices.add(cj);
    }
    j.put("choices", choices);
    j.put("mode", config.mode().cliName());
    j.put("model", config.model().cliName());
    j.put("canary_design", canaryDesign);
    j.put("canaries", bound.canaries());
    j.put("canaries_included", canariesIncluded);
    j.put("units", units);
    j.put("dataset", dataset);
    j.put("steps", config.steps());
    j.put("sampling_rate", config.samplingRate());
    j.put("noise_multiplier", noiseMultiplier);
    j.put("clip_norm", config.clipNorm());
    j.put("learning_rate", config.learningRate());
    j.put("accountant", accounted.accountant().cliName());
    j.put("randomness", randomness.jsonName());
    j.put("seed", config.seed().isPresent() ? config.seed().getAsLong() : null);
    j.put("model_accuracy", modelAccuracy.isPresent() ? modelAccuracy.getAsDouble() : null);
    j.put("seconds", seconds);
    return j;
  }

  /** 1e-5 rather than 1.0E-5, 0.1 as it is. */
  static String shortNumber(double x) {
    String t = Double.toString(x);
    int e = t.indexOf('E');
    if (e < 0) {
      return t.endsWith(".0") ? t.substring(0, t.length() - 2) : t;
    }
    String mantissa = t.substring(0, e);
    if (mantissa.endsWith(".0")) {
      mantissa = mantissa.substring(0, mantissa.length() - 2);
    }
    return mantissa + "e" + t.substring(e + 1);
  }

  private static Double finite(double x) {
    return Double.isFinite(x) ? x : null;
  }

  /** The human-readable report. */
  public String toText() {
    StringBuilder s = new StringBuilder();
    if (isBroken()) {
      s.append("*** ").append(warning).append(" ***\n");
    }
    s.append(String.format(Locale.ROOT, "verdict: %s%s%n", verdict.text(), isBroken() ? " (BROKEN run)" : ""));
    s.append(String.format(Locale.ROOT, "accounted epsilon:   %.4f at delta = %s (%s accountant)%s%n",
        accounted.epsilon(), shortNumber(accounted.delta()), accounted.accountant().cliName(),
        isBroken() ? " -- the FALSE claim of the broken run" : ""));
    s.append(String.format(Locale.ROOT, "empirical lower bound: %.4f at %.0f%% confidence%n",
        bound.epsilonLowerBound(), 100 * bound.confidence()));
    AuditBound.ChoiceBound b = bound.best();
    s.append(String.format(Locale.ROOT, "guesses: r = %d (k+ = %d, k- = %d), correct: v = %d; best of %d (k+, k-)"
            + " choice(s), each at level %.4g%n", b.total(), b.guesses().positive(), b.guesses().negative(),
        b.correct(), bound.perChoice().size(), (1 - bound.confidence()) / bound.perChoice().size()));
    s.append(String.format(Locale.ROOT, "audit: %s, %s model, %d canaries (%d included), %s%n", config.mode().cliName(),
        config.model().cliName(), bound.canaries(), canariesIncluded, canaryDesign));
    s.append(String.format(Locale.ROOT, "run: %d steps, q = %s, sigma = %.4f, C = %s, SGD lr = %s, %d units (%s)%n",
        config.steps(), shortNumber(config.samplingRate()), noiseMultiplier, shortNumber(config.clipNorm()),
        shortNumber(config.learningRate()), units,
        dataset));
    if (modelAccuracy.isPresent()) {
      s.append(String.format(Locale.ROOT, "held-out accuracy of the trained model: %.3f%n", modelAccuracy.getAsDouble()));
    }
    s.append("randomness: ").append(randomness.reportText()).append('\n');
    if (verdict == AuditVerdict.CONSISTENT) {
      s.append("note: a lower bound below epsilon is NOT a proof of privacy; it only fails to refute the claim.\n");
    }
    if (isBroken()) {
      s.append("*** BROKEN run: not private, not recorded ***\n");
    }
    return s.toString();
  }
}
