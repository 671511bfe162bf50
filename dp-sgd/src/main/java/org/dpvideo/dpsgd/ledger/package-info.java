/**
 * The privacy budget ledger: a durable, tamper-evident record of every private release against every
 * dataset, and the gate that refuses a run which would overspend.
 *
 * <p>Entry point: {@link org.dpvideo.dpsgd.ledger.PrivacyLedger}. Datasets are identified by content hash
 * ({@link org.dpvideo.dpsgd.ledger.DatasetFingerprint}); each has a budget (epsilon, delta) and a privacy
 * unit. A run reserves its whole planned {@link org.dpvideo.dpsgd.accounting.DpEvent} before it reads
 * private data, records progress at checkpoints, and completes (its final event replaces the reservation),
 * is resumed (same run id, next attempt) or is abandoned (its reservation stays counted in full). What a
 * dataset has spent is the <em>composition</em> of its runs' events by an accountant (PLD by default), never
 * a sum of epsilons; open reservations count in full.
 *
 * <p>Storage: an append-only log in SQLite (WAL, the default {@code ~/.dpvideo/ledger.db}) or PostgreSQL,
 * each entry hash-chained to the one before it ({@link org.dpvideo.dpsgd.ledger.LedgerEntry},
 * {@link org.dpvideo.dpsgd.ledger.HashChain}); state is replayed from the log alone. What the chain proves
 * and does not prove, and how to anchor it, is in {@code docs/ledger.md}.
 */
package org.dpvideo.dpsgd.ledger;
