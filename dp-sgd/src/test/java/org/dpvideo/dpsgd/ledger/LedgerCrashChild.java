package org.dpvideo.dpsgd.ledger;

import org.dpvideo.dpsgd.PrivacyUnit;

/**
 * The victim process of {@link LedgerCrashTest}: reserves a run and records progress as fast as it can,
 * printing {@code progress N} after each commit returns, until it is killed.
 *
 * <p>Arguments: the ledger location (path or JDBC URL), the dataset id.
 */
public final class LedgerCrashChild {
  private LedgerCrashChild() {}

  public static void main(String[] args) {
    LedgerLocation loc = LedgerLocation.parse(args[0]);
    DatasetId ds = DatasetId.of(args[1]);
    try (PrivacyLedger ledger = PrivacyLedger.open(loc, LedgerTestAccountants.primary())) {
      Reservation r = ledger.reserve(new ReservationRequest(ds, LedgerCrashTest.PLAN, LedgerCrashTest.DELTA,
          PrivacyUnit.SUBJECT, Provenance.current("LedgerCrashChild")));
      System.out.println("reserved " + r.runId());
      System.out.flush();
      for (int step = 1; step < LedgerCrashTest.STEPS; step++) {
        ledger.recordProgress(r, LedgerCrashTest.progress(step));
        System.out.println("progress " + step);
        System.out.flush();
      }
      System.out.println("finished without being killed");
    }
  }
}
