package org.dpvideo.finetune.metrics;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.dpvideo.tokenizer.TokenGrid;

/**
 * Repetition and diversity statistics of token sequences, the decoding-collapse symptoms VideoPoet
 * fine-tunes against ("repetitive token predictions"). A grid is read in its row-major order
 * {@code (t, h, w)}, the order the model generates it in.
 *
 * <ul>
 *   <li><b>seq-rep-n</b> of a sequence (Welleck et al., "Neural Text Generation with Unlikelihood
 *       Training", ICLR 2020): {@code 1 - |unique n-grams| / |n-grams|}; 0 when no n-gram repeats,
 *       close to 1 for a constant sequence; NaN when shorter than {@code n}.
 *   <li><b>distinct-n</b> of a set of sequences (Li et al., "A Diversity-Promoting Objective Function
 *       for Neural Conversation Models", NAACL 2016): distinct n-grams over all sequences divided by the
 *       total number of n-grams over all sequences.
 *   <li><b>token entropy</b> of a sequence: Shannon entropy in bits of its unigram distribution.
 *   <li><b>code usage</b> of a set: distinct codes used divided by the codebook size.
 *   <li><b>longest run</b> of a sequence: the longest stretch of one repeated token.
 *   <li><b>previous-frame copy share</b> of a grid: the share of tokens at {@code (t, y, x)}, {@code t >= 1},
 *       equal to the token at {@code (t-1, y, x)}; NaN for a grid with one time row.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class TokenStatistics {
  private TokenStatistics() {}

  /** seq-rep-n of {@code tokens}; NaN when it has fewer than {@code n} tokens. */
  public static double seqRep(int[] tokens, int n) {
    checkOrder(n);
    int count = tokens.length - n + 1;
    if (count <= 0) {
      return Double.NaN;
    }
    Set<NGram> unique = new HashSet<>();
    for (int i = 0; i < count; i++) {
      unique.add(new NGram(tokens, i, n));
    }
    return 1.0 - (double) unique.size() / count;
  }

  /** distinct-n of a set of sequences; NaN when they hold no n-gram. */
  public static double distinct(List<int[]> sequences, int n) {
    checkOrder(n);
    Set<NGram> unique = new HashSet<>();
    long total = 0;
    for (int[] s : sequences) {
      for (int i = 0; i + n <= s.length; i++) {
        unique.add(new NGram(s, i, n));
        total++;
      }
    }
    return total == 0 ? Double.NaN : (double) unique.size() / total;
  }

  /** Unigram entropy of {@code tokens} in bits; NaN when empty. */
  public static double entropyBits(int[] tokens) {
    if (tokens.length == 0) {
      return Double.NaN;
    }
    int[] sorted = tokens.clone();
    Arrays.sort(sorted);
    double h = 0;
    int i = 0;
    while (i < sorted.length) {
      int j = i;
      while (j < sorted.length && sorted[j] == sorted[i]) {
        j++;
      }
      double p = (double) (j - i) / sorted.length;
      h -= p * Math.log(p);
      i = j;
    }
    return h / Math.log(2) + 0.0; // + 0.0 turns -0.0 into 0.0
  }

  /**
   * Share of a codebook the sequences use.
   *
   * @param codebookSize number of codes, {@code >= 1}
   * @return distinct ids / codebookSize; NaN for no tokens
   */
  public static double codeUsage(List<int[]> sequences, int codebookSize) {
    if (codebookSize < 1) {
      throw new IllegalArgumentException("codebookSize must be >= 1, got " + codebookSize + ".");
    }
    Set<Integer> used = new HashSet<>();
    long total = 0;
    for (int[] s : sequences) {
      for (int id : s) {
        used.add(id);
        total++;
      }
    }
    if (used.size() > codebookSize) {
      throw new IllegalArgumentException("the sequences use " + used.size() + " distinct ids, more than the codebook"
          + " size " + codebookSize + "; pass the codes (grid ids), not shared-vocabulary ids.");
    }
    return total == 0 ? Double.NaN : (double) used.size() / codebookSize;
  }

  /** The longest run of one repeated token; 0 for an empty sequence. */
  public static int longestRun(int[] tokens) {
    int best = 0;
    int run = 0;
    for (int i = 0; i < tokens.length; i++) {
      run = i > 0 && tokens[i] == tokens[i - 1] ? run + 1 : 1;
      best = Math.max(best, run);
    }
    return best;
  }

  /** Previous-frame copy share of {@code grid}; NaN for one time row. */
  public static double previousFrameCopyShare(TokenGrid grid) {
    int t = grid.shape().t();
    if (t < 2) {
      return Double.NaN;
    }
    int hw = grid.shape().h() * grid.shape().w();
    int[] ids = grid.ids();
    int same = 0;
    for (int i = hw; i < ids.length; i++) {
      if (ids[i] == ids[i - hw]) {
        same++;
      }
    }
    return (double) same / (ids.length - hw);
  }

  private static void checkOrder(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("the n-gram order must be >= 1, got " + n + "; seq-rep-4 and distinct-1/2"
          + " are the usual choices.");
    }
  }

  /** A view of {@code n} ids of an array (not copied: the arrays must not change while in a set). */
  private static final class NGram {
    private final int[] ids;
    private final int from;
    private final int n;
    private final int hash;

    NGram(int[] ids, int from, int n) {
      this.ids = ids;
      this.from = from;
      this.n = n;
      int h = 1;
      for (int i = from; i < from + n; i++) {
        h = 31 * h + ids[i];
      }
      this.hash = h;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof NGram g && g.n == n && g.hash == hash
          && Arrays.equals(ids, from, from + n, g.ids, g.from, g.from + n);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
