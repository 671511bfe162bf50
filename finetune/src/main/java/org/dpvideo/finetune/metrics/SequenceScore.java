package org.dpvideo.finetune.metrics;

import java.util.List;
import java.util.Locale;

/**
 * How well a model predicted one held-out token sequence (teacher forcing): the summed negative
 * log-likelihood (natural log) of its target tokens, how many tokens were scored, and how many of them
 * were the model's arg max prediction.
 *
 * <p>The video LM feeds it plain arrays: per-position logits (or log-probabilities of the targets) and
 * the targets. Positions whose target is {@link #IGNORE} (e.g. the condition prefix, padding) are not
 * scored, as PyTorch's {@code ignore_index}.
 *
 * @param nllSum sum over scored positions of {@code -log p(target)}, finite and {@code >= 0}
 * @param tokens scored positions, {@code >= 0}
 * @param correct scored positions whose arg max is the target, in {@code [0, tokens]}; or -1 when not
 *     known (the scores came from target log-probabilities alone)
 */
public record SequenceScore(double nllSum, long tokens, long correct) {
  /** Target value of positions that are not scored. */
  public static final int IGNORE = -1;

  /** Validates. */
  public SequenceScore {
    if (!Double.isFinite(nllSum) || nllSum < 0) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "the summed NLL must be finite and >= 0, got %s;"
          + " a token with probability 0 has infinite NLL (check that the target lies in the scored vocabulary).",
          nllSum));
    }
    if (tokens < 0 || correct < -1 || correct > tokens) {
      throw new IllegalArgumentException("a sequence score needs tokens >= 0 and correct in [0, tokens] or -1, got "
          + tokens + " and " + correct + ".");
    }
  }

  /**
   * Scores a sequence from per-position logits: {@code logits[i]} are the unnormalized scores of the
   * token at position {@code i}, {@code targets[i]} the token that came ({@link #IGNORE} to skip). The
   * log-softmax is taken over all of {@code logits[i]} in double precision; the arg max is the lowest id
   * on ties.
   *
   * @throws IllegalArgumentException on mismatched lengths, a target outside the vocabulary, or
   *     non-finite logits at a scored position (-inf is allowed at ids other than the target)
   */
  public static SequenceScore fromLogits(float[][] logits, int[] targets) {
    if (logits.length != targets.length) {
      throw new IllegalArgumentException("one row of logits per target is needed, got " + logits.length
          + " rows for " + targets.length + " targets.");
    }
    double nll = 0;
    long n = 0;
    long correct = 0;
    for (int i = 0; i < targets.length; i++) {
      if (targets[i] == IGNORE) {
        continue;
      }
      float[] row = logits[i];
      double lp = logProbability(row, targets[i], i);
      nll -= lp;
      n++;
      if (argmax(row) == targets[i]) {
        correct++;
      }
    }
    return new SequenceScore(nll, n, correct);
  }

  /**
   * As {@link #fromLogits(float[][], int[])} for logits in one row-major array {@code [positions, vocab]}.
   */
  public static SequenceScore fromLogits(float[] logits, int vocab, int[] targets) {
    if (vocab < 1 || (long) targets.length * vocab != logits.length) {
      throw new IllegalArgumentException("flat logits of " + targets.length + " positions over a vocabulary of "
          + vocab + " need " + (long) targets.length * vocab + " values, got " + logits.length + ".");
    }
    float[][] rows = new float[targets.length][];
    for (int i = 0; i < targets.length; i++) {
      rows[i] = java.util.Arrays.copyOfRange(logits, i * vocab, (i + 1) * vocab);
    }
    return fromLogits(rows, targets);
  }

  /**
   * Scores a sequence from the log-probabilities the model gave its targets ({@code log p(target_i)},
   * natural log, {@code <= 0}) and, optionally, whether each was the arg max.
   *
   * @param targetLogProbs one per scored position
   * @param correct per position whether the target was the arg max, or null when unknown (accuracy
   *     then is NaN)
   */
  public static SequenceScore fromTargetLogProbs(double[] targetLogProbs, boolean[] correct) {
    if (correct != null && correct.length != targetLogProbs.length) {
      throw new IllegalArgumentException("one correctness flag per position is needed, got " + correct.length
          + " for " + targetLogProbs.length + " positions.");
    }
    double nll = 0;
    long c = 0;
    for (int i = 0; i < targetLogProbs.length; i++) {
      double lp = targetLogProbs[i];
      if (!(lp <= 1e-9) || Double.isInfinite(lp)) {
        throw new IllegalArgumentException("log-probability at position " + i + " must be finite and <= 0, got " + lp
            + ".");
      }
      nll -= Math.min(lp, 0);
      if (correct != null && correct[i]) {
        c++;
      }
    }
    return new SequenceScore(nll, targetLogProbs.length, correct == null ? -1 : c);
  }

  /** The sum of several scores (a corpus as one score). */
  public static SequenceScore total(List<SequenceScore> scores) {
    double nll = 0;
    long n = 0;
    long c = 0;
    boolean known = true;
    for (SequenceScore s : scores) {
      nll += s.nllSum;
      n += s.tokens;
      if (s.correct < 0) {
        known = false;
      } else {
        c += s.correct;
      }
    }
    return new SequenceScore(nll, n, known ? c : -1);
  }

  /** Mean NLL per scored token in nats; NaN without scored tokens. */
  public double nllPerToken() {
    return tokens == 0 ? Double.NaN : nllSum / tokens;
  }

  /** Perplexity {@code exp(nllPerToken)}; NaN without scored tokens. */
  public double perplexity() {
    return Math.exp(nllPerToken());
  }

  /** Next-token accuracy: share of scored tokens that were the arg max; NaN when unknown or no tokens. */
  public double accuracy() {
    return tokens == 0 || correct < 0 ? Double.NaN : (double) correct / tokens;
  }

  static double logProbability(float[] row, int target, int position) {
    if (target < 0 || target >= row.length) {
      throw new IllegalArgumentException("target " + target + " at position " + position
          + " is outside the vocabulary [0, " + row.length + ").");
    }
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < row.length; j++) {
      float l = row[j];
      if (Float.isNaN(l) || l == Float.POSITIVE_INFINITY) {
        throw new IllegalArgumentException("logit " + l + " at position " + position + ", id " + j
            + " is not finite; logits must be finite or -inf.");
      }
      max = Math.max(max, l);
    }
    if (row[target] == Float.NEGATIVE_INFINITY) {
      throw new IllegalArgumentException("the target " + target + " at position " + position + " has logit -inf"
          + " (probability 0), so its NLL is infinite; score with the unmasked logits.");
    }
    double sum = 0;
    for (float l : row) {
      sum += Math.exp(l - max);
    }
    return row[target] - max - Math.log(sum);
  }

  static int argmax(float[] row) {
    int best = 0;
    for (int j = 1; j < row.length; j++) {
      if (row[j] > row[best]) {
        best = j;
      }
    }
    return best;
  }
}
