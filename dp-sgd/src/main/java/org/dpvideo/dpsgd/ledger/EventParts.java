package org.dpvideo.dpsgd.ledger;

import java.util.ArrayList;
import java.util.List;
import org.dpvideo.dpsgd.accounting.ComposedEvent;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.accounting.SelfComposedEvent;

/**
 * A structural test that one event is a part of another: the release of the part is a projection of the
 * release of the whole (it keeps some of the composed mechanisms and drops the rest), so by
 * post-processing the part is at least as private as the whole under every accountant. Used to accept a
 * run's progress without computing epsilons. Conservative: {@code false} means only "not shown
 * structurally".
 */
final class EventParts {
  private EventParts() {}

  /**
   * True when {@code part}'s phases (its composition flattened into repeated events) can be matched, in
   * order, to {@code whole}'s phases with the same event repeated no more often.
   */
  static boolean isPartOf(DpEvent part, DpEvent whole) {
    if (part.equals(whole)) {
      return true;
    }
    List<DpEvent> p = new ArrayList<>();
    List<DpEvent> w = new ArrayList<>();
    flatten(part, p);
    flatten(whole, w);
    if (p.size() > w.size()) {
      return false;
    }
    for (int i = 0; i < p.size(); i++) {
      if (!phaseWithin(p.get(i), w.get(i))) {
        return false;
      }
    }
    return true;
  }

  private static void flatten(DpEvent e, List<DpEvent> out) {
    if (e instanceof ComposedEvent c) {
      for (DpEvent child : c.events()) {
        flatten(child, out);
      }
    } else {
      out.add(e);
    }
  }

  private static boolean phaseWithin(DpEvent a, DpEvent b) {
    if (a.equals(b)) {
      return true;
    }
    DpEvent aInner = a instanceof SelfComposedEvent s ? s.event() : a;
    int aCount = a instanceof SelfComposedEvent s ? s.count() : 1;
    DpEvent bInner = b instanceof SelfComposedEvent s ? s.event() : b;
    int bCount = b instanceof SelfComposedEvent s ? s.count() : 1;
    return aInner.equals(bInner) && aCount <= bCount;
  }
}
