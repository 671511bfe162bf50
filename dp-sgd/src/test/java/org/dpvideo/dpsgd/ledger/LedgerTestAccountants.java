package org.dpvideo.dpsgd.ledger;

import org.dpvideo.dpsgd.accounting.PldAccountant;
import org.dpvideo.dpsgd.accounting.PrivacyAccountant;

/**
 * The accountant the ledger tests run with (the production default, PLD), and how closely its epsilons
 * must match the exact Gaussian oracle ({@link GaussianOracleAccountant}) that the tests compute expected
 * values with. PLD's discretization makes it a slightly pessimistic upper bound: within 0.1% here.
 */
final class LedgerTestAccountants {
  private LedgerTestAccountants() {}

  static PrivacyAccountant primary() {
    return new PldAccountant();
  }

  static double relativeTolerance() {
    return 1e-3;
  }
}
