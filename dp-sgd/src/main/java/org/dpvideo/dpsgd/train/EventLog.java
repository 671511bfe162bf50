package org.dpvideo.dpsgd.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dpvideo.dpsgd.accounting.ComposedEvent;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.accounting.SelfComposedEvent;

/**
 * The releases of a run: one event per private step (and whatever a resumed run had spent before).
 * {@link #total()} composes them, counting equal events together as one {@link SelfComposedEvent} each
 * (in order of first appearance). Composition is commutative for both accountants (the PLD of a
 * composition is the product of the PLDs' transforms, RDP adds), so regrouping equal events does not
 * change epsilon; it keeps the event of a run that alternates task groups as small as the number of
 * distinct step events. That is the event a checkpoint stores and the accountant is given.
 * Not thread-safe.
 */
public final class EventLog {
  private final Map<DpEvent, Integer> counts = new LinkedHashMap<>();
  private DpEvent earlier;

  /** An empty log. */
  public EventLog() {}

  /** A log continuing a run that had already spent {@code spent} (from a checkpoint). */
  public static EventLog resumedFrom(DpEvent spent) {
    EventLog log = new EventLog();
    log.earlier = spent;
    return log;
  }

  /** Records one release. */
  public void add(DpEvent event) {
    counts.merge(event, 1, Integer::sum);
  }

  /** The number of releases recorded in this log (not counting the resumed part). */
  public long size() {
    long n = 0;
    for (int c : counts.values()) {
      n += c;
    }
    return n;
  }

  /** Everything released so far as one event (an empty composition when nothing was). */
  public DpEvent total() {
    List<DpEvent> parts = new ArrayList<>();
    if (earlier != null) {
      parts.add(earlier);
    }
    for (var e : counts.entrySet()) {
      parts.add(e.getValue() == 1 ? e.getKey() : new SelfComposedEvent(e.getKey(), e.getValue()));
    }
    if (parts.size() == 1) {
      return parts.get(0);
    }
    return new ComposedEvent(parts);
  }
}
