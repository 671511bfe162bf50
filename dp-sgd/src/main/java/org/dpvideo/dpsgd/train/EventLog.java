package org.dpvideo.dpsgd.train;

import java.util.ArrayList;
import java.util.List;
import org.dpvideo.dpsgd.accounting.ComposedEvent;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.accounting.SelfComposedEvent;

/**
 * The releases of a run, in order: one event per private step (and whatever a resumed run had spent
 * before). {@link #total()} composes them, merging consecutive equal events into a
 * {@link SelfComposedEvent}; that is the event a checkpoint stores and the accountant is given.
 * Not thread-safe.
 */
public final class EventLog {
  private final List<DpEvent> runs = new ArrayList<>();
  private final List<Integer> counts = new ArrayList<>();
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
    int last = runs.size() - 1;
    if (last >= 0 && runs.get(last).equals(event)) {
      counts.set(last, counts.get(last) + 1);
    } else {
      runs.add(event);
      counts.add(1);
    }
  }

  /** The number of releases recorded in this log (not counting the resumed part). */
  public long size() {
    long n = 0;
    for (int c : counts) {
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
    for (int i = 0; i < runs.size(); i++) {
      parts.add(counts.get(i) == 1 ? runs.get(i) : new SelfComposedEvent(runs.get(i), counts.get(i)));
    }
    if (parts.size() == 1) {
      return parts.get(0);
    }
    return new ComposedEvent(parts);
  }
}
