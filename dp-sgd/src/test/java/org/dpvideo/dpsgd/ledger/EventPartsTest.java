package org.dpvideo.dpsgd.ledger;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dpvideo.dpsgd.accounting.ComposedEvent;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.accounting.GaussianEvent;
import org.junit.jupiter.api.Test;

class EventPartsTest {
  final DpEvent a = DpEvent.dpSgd(0.01, 1.1, 100);
  final DpEvent b = DpEvent.dpSgd(0.1, 2.0, 50);

  @Test
  void fewerStepsOfTheSamePhase_isAPart() {
    assertTrue(EventParts.isPartOf(DpEvent.dpSgd(0.01, 1.1, 40), a));
    assertTrue(EventParts.isPartOf(a, a));
    assertFalse(EventParts.isPartOf(DpEvent.dpSgd(0.01, 1.1, 101), a));
  }

  @Test
  void aPrefixOfATwoPhaseSchedule_isAPart() {
    DpEvent plan = ComposedEvent.of(a, b);
    assertTrue(EventParts.isPartOf(DpEvent.dpSgd(0.01, 1.1, 30), plan));
    assertTrue(EventParts.isPartOf(ComposedEvent.of(a, DpEvent.dpSgd(0.1, 2.0, 10)), plan));
    assertFalse(EventParts.isPartOf(ComposedEvent.of(a, b, b), plan));
  }

  @Test
  void anotherMechanism_isNotShownToBeAPart() {
    assertFalse(EventParts.isPartOf(DpEvent.dpSgd(0.01, 1.0, 10), a), "less noise is not a part");
    assertFalse(EventParts.isPartOf(DpEvent.dpSgd(0.02, 1.1, 10), a), "a higher sampling rate is not a part");
    assertFalse(EventParts.isPartOf(new GaussianEvent(5), a));
  }
}
