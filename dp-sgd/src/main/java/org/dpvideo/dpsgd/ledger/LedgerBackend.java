package org.dpvideo.dpsgd.ledger;

/** The database that holds a ledger. */
public enum LedgerBackend {
  /** An embedded SQLite file (WAL mode): the default, for one machine. */
  SQLITE,
  /** A PostgreSQL database reached through a JDBC URL: a ledger shared by a team. */
  POSTGRESQL
}
