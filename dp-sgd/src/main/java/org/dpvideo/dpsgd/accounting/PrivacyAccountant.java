package org.dpvideo.dpsgd.accounting;

/**
 * Computes the privacy guarantee of a {@link DpEvent} under the add/remove-one-unit neighbouring
 * relation. Implementations are stateless and thread-safe: compose events with {@link ComposedEvent}
 * and ask again.
 */
public interface PrivacyAccountant {

  /** Which accountant this is. */
  AccountantKind kind();

  /**
   * The smallest epsilon this accountant can certify for {@code event} at {@code delta}.
   *
   * @param delta in (0, 1)
   * @throws UnsupportedEventException if the event contains a mechanism this accountant cannot account
   */
  PrivacyGuarantee epsilon(DpEvent event, double delta);

  /**
   * The smallest delta this accountant can certify for {@code event} at {@code epsilon}.
   *
   * @param epsilon finite and &gt;= 0
   * @throws UnsupportedEventException if the event contains a mechanism this accountant cannot account
   */
  double delta(DpEvent event, double epsilon);
}
