package org.dpvideo.fairness.classify;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.dpvideo.dpsgd.accounting.AccountantKind;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.accounting.PrivacyAccountant;
import org.dpvideo.dpsgd.accounting.PrivacyGuarantee;

/**
 * An accountant that remembers its answers: events are immutable records with structural equality, so the same
 * (event, δ) always has the same (ε, δ). An experiment that calibrates many runs with equal (q, T, σ_b) then pays
 * for each calibration once. Not thread-safe.
 */
final class CachingAccountant implements PrivacyAccountant {
  private final PrivacyAccountant inner;
  private final Map<Map.Entry<DpEvent, Double>, PrivacyGuarantee> epsilons = new HashMap<>();
  private final Map<Map.Entry<DpEvent, Double>, Double> deltas = new HashMap<>();

  CachingAccountant(PrivacyAccountant inner) {
    this.inner = Objects.requireNonNull(inner, "inner");
  }

  @Override
  public AccountantKind kind() {
    return inner.kind();
  }

  @Override
  public PrivacyGuarantee epsilon(DpEvent event, double delta) {
    return epsilons.computeIfAbsent(Map.entry(event, delta), k -> inner.epsilon(event, delta));
  }

  @Override
  public double delta(DpEvent event, double epsilon) {
    return deltas.computeIfAbsent(Map.entry(event, epsilon), k -> inner.delta(event, epsilon));
  }
}
