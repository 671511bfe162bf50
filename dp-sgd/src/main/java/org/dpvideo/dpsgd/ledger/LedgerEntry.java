package org.dpvideo.dpsgd.ledger;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of the append-only ledger log, exactly as stored. Entries are never updated or deleted; each
 * carries the SHA-256 of the entry before it, so that an edited, deleted, inserted or reordered entry
 * breaks the chain (see {@link HashChain}).
 *
 * <p>The hash of an entry is SHA-256 over the UTF-8 bytes of
 * <pre>
 * dpvideo-ledger-entry-v1 \n prev_hash \n recorded_at \n kind \n dataset_id \n run_id \n payload
 * </pre>
 * (fields joined by a single {@code \n}, no spaces; {@code prev_hash} of the first entry is 64 zeros).
 * Every field but the last is free of line breaks, and the payload is compact JSON, so the input is
 * unambiguous. The entry number ({@code seq}) is storage order and is not hashed: the order of the chain
 * is the order of its links.
 *
 * @param seq the storage position, from 1
 * @param recordedAt when it was written, UTC, {@code yyyy-MM-ddTHH:mm:ss.SSSZ}
 * @param kind the wire name of a {@link LedgerEntryKind} (kept as text so a tampered value can be reported)
 * @param datasetId the dataset's id, or empty for ledger-wide entries
 * @param runId the run's id, or empty for entries about no run
 * @param payload the entry's details, canonical compact JSON (sorted keys)
 * @param prevHash the hash of the previous entry (64 zeros for the first)
 * @param hash the hash of this entry as stored
 */
public record LedgerEntry(long seq, String recordedAt, String kind, String datasetId, String runId, String payload,
    String prevHash, String hash) {
  /** The {@code prevHash} of the first entry. */
  public static final String GENESIS_PREV_HASH = "0".repeat(64);
  /** The first line of every entry's hash input; changes only with a new entry format. */
  public static final String FORMAT = "dpvideo-ledger-entry-v1";

  public LedgerEntry {
    Objects.requireNonNull(recordedAt, "recordedAt");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(datasetId, "datasetId");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(prevHash, "prevHash");
    Objects.requireNonNull(hash, "hash");
  }

  /**
   * A new entry with its hash computed.
   *
   * @throws IllegalArgumentException if a field other than the payload contains a line break, or the
   *     payload does
   */
  static LedgerEntry create(long seq, String recordedAt, LedgerEntryKind kind, String datasetId, String runId,
      String payload, String prevHash) {
    for (String field : new String[] {recordedAt, datasetId, runId, payload, prevHash}) {
      if (field.indexOf('\n') >= 0 || field.indexOf('\r') >= 0) {
        throw new IllegalArgumentException("ledger entry fields must not contain line breaks: " + field);
      }
    }
    String hash = computeHash(prevHash, recordedAt, kind.wireName(), datasetId, runId, payload);
    return new LedgerEntry(seq, recordedAt, kind.wireName(), datasetId, runId, payload, prevHash, hash);
  }

  /** The SHA-256 (lower-case hex) of an entry with these fields; see the class comment for the input. */
  public static String computeHash(String prevHash, String recordedAt, String kind, String datasetId, String runId,
      String payload) {
    String input = FORMAT + '\n' + prevHash + '\n' + recordedAt + '\n' + kind + '\n' + datasetId + '\n' + runId
        + '\n' + payload;
    return HexFormat.of().formatHex(DatasetFingerprint.digest().digest(input.getBytes(StandardCharsets.UTF_8)));
  }

  /** The hash this entry's stored contents give (equal to {@link #hash()} unless it was tampered with). */
  public String recomputedHash() {
    return computeHash(prevHash, recordedAt, kind, datasetId, runId, payload);
  }

  /** The kind, when the stored name is a known one. */
  public Optional<LedgerEntryKind> knownKind() {
    return LedgerEntryKind.fromWireName(kind);
  }

  /** A short description for messages: {@code #12 run_progress (run 3f2a9c1e)}. */
  public String describe() {
    StringBuilder sb = new StringBuilder("#").append(seq).append(' ').append(kind);
    if (!runId.isEmpty()) {
      sb.append(" (run ").append(runId, 0, Math.min(8, runId.length())).append(')');
    } else if (!datasetId.isEmpty()) {
      sb.append(" (dataset ").append(datasetId, 0, Math.min(12, datasetId.length())).append(')');
    }
    return sb.toString();
  }
}
