package org.dpvideo.dpsgd.ledger;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of checking a ledger's hash chain (and, for a live ledger, that its entries describe a
 * possible history).
 *
 * @param entryCount the number of stored entries
 * @param headHash the stored hash of the last entry ({@link LedgerEntry#GENESIS_PREV_HASH} when there is none)
 * @param anchor the anchored head hash that was checked, if one was given
 * @param entriesAfterAnchor when the anchor was found, how many entries were appended after it
 * @param problems every finding, in entry order; empty when the chain is intact
 */
public record ChainVerification(long entryCount, String headHash, Optional<String> anchor,
    Optional<Long> entriesAfterAnchor, List<ChainProblem> problems) {
  public ChainVerification {
    Objects.requireNonNull(headHash, "headHash");
    Objects.requireNonNull(anchor, "anchor");
    Objects.requireNonNull(entriesAfterAnchor, "entriesAfterAnchor");
    problems = List.copyOf(problems);
  }

  /** True when no problem was found. */
  public boolean intact() {
    return problems.isEmpty();
  }

  /** The same result with more findings appended. */
  ChainVerification withProblems(List<ChainProblem> more) {
    if (more.isEmpty()) {
      return this;
    }
    List<ChainProblem> all = new java.util.ArrayList<>(problems);
    all.addAll(more);
    return new ChainVerification(entryCount, headHash, anchor, entriesAfterAnchor, all);
  }

  /** A multi-line human-readable report. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    if (intact()) {
      sb.append("intact: ").append(entryCount).append(" entries, head ").append(headHash);
      anchor.ifPresent(a -> sb.append("\nanchor ").append(a).append(" found; ")
          .append(entriesAfterAnchor.orElse(0L)).append(" entries appended since"));
    } else {
      sb.append("NOT intact: ").append(problems.size()).append(" problem(s) in ").append(entryCount)
          .append(" entries (head ").append(headHash).append(")");
      for (ChainProblem p : problems) {
        sb.append("\n  ").append(p);
      }
    }
    return sb.toString();
  }
}
