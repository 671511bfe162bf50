package org.dpvideo.dpsgd.ledger;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks that stored ledger entries form an untouched hash chain and names the entries where they do not.
 *
 * <p>What it detects: an entry whose contents were edited (its hash no longer matches), an entry that was
 * deleted from the middle (its successor points at a hash that is not there, or the entry numbers jump),
 * an entry that was inserted (its neighbours link to each other past it), entries stored out of order,
 * and, given the head hash an auditor kept from an earlier export, a ledger that was truncated or rewritten
 * since. What it cannot detect on its own: deletion of the newest entries, or a chain rewritten from some
 * point on with freshly computed hashes; that takes the external anchor (see {@code docs/ledger.md}).
 *
 * <p>Stateless and thread-safe.
 */
public final class HashChain {
  private HashChain() {}

  /**
   * Verifies {@code entries} (any order; they are checked in the order of their numbers).
   *
   * @param anchor a head hash kept from an earlier export; when present it must be one of the entries' hashes
   * @throws IllegalArgumentException if the anchor is not 64 hexadecimal digits
   */
  public static ChainVerification verify(List<LedgerEntry> entries, Optional<String> anchor) {
    Optional<String> normalizedAnchor = anchor.map(HashChain::normalizeHash);
    List<LedgerEntry> es = new ArrayList<>(entries);
    es.sort(Comparator.comparingLong(LedgerEntry::seq));
    Map<String, Integer> positionOfHash = new HashMap<>();
    for (int i = 0; i < es.size(); i++) {
      positionOfHash.putIfAbsent(es.get(i).hash(), i);
    }
    List<ChainProblem> problems = new ArrayList<>();
    if (es.isEmpty()) {
      problems.add(new ChainProblem(ChainProblem.Kind.MISSING_START, 0, "the ledger has its tables but no"
          + " entries, not even the ledger_created entry written with them: every entry was deleted"));
    } else if (es.get(0).seq() != 1) {
      problems.add(new ChainProblem(ChainProblem.Kind.DELETED, es.get(0).seq(), "the first stored entry is #"
          + es.get(0).seq() + ": entries #1.." + (es.get(0).seq() - 1) + " were deleted"));
    }
    Set<Integer> explained = new HashSet<>();
    for (int k = 0; k < es.size(); k++) {
      LedgerEntry e = es.get(k);
      String recomputed = e.recomputedHash();
      if (!recomputed.equals(e.hash())) {
        problems.add(new ChainProblem(ChainProblem.Kind.EDITED, e.seq(), "entry " + e.describe()
            + " was edited after it was written: its contents hash to " + abbreviate(recomputed)
            + " but its stored hash is " + abbreviate(e.hash())));
      }
      if (k > 0 && e.seq() > es.get(k - 1).seq() + 1) {
        long from = es.get(k - 1).seq();
        problems.add(new ChainProblem(ChainProblem.Kind.DELETED, e.seq(), "entry numbers jump from #" + from
            + " to #" + e.seq() + ": entries #" + (from + 1) + (e.seq() - 1 > from + 1 ? ".." + (e.seq() - 1) : "")
            + " were deleted"));
      }
      if (k == 0 && e.prevHash().equals(LedgerEntry.GENESIS_PREV_HASH)
          && !LedgerEntryKind.LEDGER_CREATED.wireName().equals(e.kind())) {
        problems.add(new ChainProblem(ChainProblem.Kind.MISSING_START, e.seq(), "the first entry " + e.describe()
            + " is not the ledger_created entry every ledger starts with: the start of the ledger was replaced"));
      }
      String expectedPrev = k == 0 ? LedgerEntry.GENESIS_PREV_HASH : es.get(k - 1).hash();
      if (e.prevHash().equals(expectedPrev) || explained.contains(k)) {
        continue;
      }
      if (e.prevHash().equals(LedgerEntry.GENESIS_PREV_HASH)) {
        problems.add(new ChainProblem(ChainProblem.Kind.INSERTED, e.seq(), "entry " + e.describe()
            + " claims to be the first entry of the ledger but is stored after #" + es.get(k - 1).seq()
            + ": the entries before it were inserted, or the ledger was rebuilt"));
        continue;
      }
      Integer j = positionOfHash.get(e.prevHash());
      if (j == null) {
        String before = k == 0 ? "the start of the ledger" : "#" + es.get(k - 1).seq();
        problems.add(new ChainProblem(ChainProblem.Kind.DELETED, e.seq(), "entry " + e.describe()
            + " follows an entry with hash " + abbreviate(e.prevHash()) + " that is not in the ledger: an entry"
            + " between " + before + " and #" + e.seq() + " was deleted, or #" + (k == 0 ? "?" : es.get(k - 1).seq())
            + " was edited and re-hashed"));
      } else if (j == k) {
        problems.add(new ChainProblem(ChainProblem.Kind.EDITED, e.seq(), "entry " + e.describe()
            + " names itself as its predecessor: it was edited"));
      } else if (j > k) {
        problems.add(new ChainProblem(ChainProblem.Kind.REORDERED, e.seq(), "entry " + e.describe()
            + " is stored before #" + es.get(j).seq() + ", the entry it follows: entries were reordered"));
        if (j == k + 1 && es.get(k + 1).prevHash().equals(expectedPrev)) {
          // Two neighbours swapped: the second of the pair, and the entry after the pair, are consequences.
          explained.add(k + 1);
          if (k + 2 < es.size() && es.get(k + 2).prevHash().equals(e.hash())) {
            explained.add(k + 2);
          }
        }
      } else if (j == k - 2) {
        LedgerEntry between = es.get(k - 1);
        problems.add(new ChainProblem(ChainProblem.Kind.INSERTED, between.seq(), "entry " + between.describe()
            + " was inserted: #" + e.seq() + " follows #" + es.get(j).seq() + " directly"));
      } else {
        problems.add(new ChainProblem(ChainProblem.Kind.INSERTED, es.get(j + 1).seq(), "entries #"
            + es.get(j + 1).seq() + "..#" + es.get(k - 1).seq() + " were inserted or moved: #" + e.seq()
            + " follows #" + es.get(j).seq() + " directly"));
      }
    }
    String head = es.isEmpty() ? LedgerEntry.GENESIS_PREV_HASH : es.get(es.size() - 1).hash();
    Optional<Long> after = Optional.empty();
    if (normalizedAnchor.isPresent()) {
      Integer pos = positionOfHash.get(normalizedAnchor.get());
      if (pos == null) {
        problems.add(new ChainProblem(ChainProblem.Kind.ANCHOR_NOT_FOUND, 0, "the head hash "
            + normalizedAnchor.get() + " kept from an earlier export is not in the ledger: entries were deleted"
            + " from its end (truncation), or the chain was rewritten, since that export"));
      } else {
        after = Optional.of((long) (es.size() - 1 - pos));
      }
    }
    return new ChainVerification(es.size(), head, normalizedAnchor, after, problems);
  }

  /**
   * Lower-cases and checks a hash given by a user.
   *
   * @throws IllegalArgumentException if it is not 64 hexadecimal digits
   */
  public static String normalizeHash(String hash) {
    String h = hash == null ? "" : hash.trim().toLowerCase(Locale.ROOT);
    if (!h.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("a ledger head hash is 64 hexadecimal digits (as printed by"
          + " `dpvideo budget export` in head_hash), got '" + hash + "'");
    }
    return h;
  }

  static String abbreviate(String hash) {
    return hash.length() > 16 ? hash.substring(0, 16) + "..." : hash;
  }
}
