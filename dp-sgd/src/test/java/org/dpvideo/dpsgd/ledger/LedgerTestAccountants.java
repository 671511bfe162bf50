package org.dpvideo.dpsgd.ledger;

import org.dpvideo.dpsgd.accounting.PrivacyAccountant;

/** The accountant the ledger tests run with, and how closely its epsilons match the exact Gaussian oracle. */
final class LedgerTestAccountants {
  private LedgerTestAccountants() {}

  static PrivacyAccountant primary() {
    return new GaussianOracleAccountant();
  }

  static double relativeTolerance() {
    return 1e-9;
  }
}
