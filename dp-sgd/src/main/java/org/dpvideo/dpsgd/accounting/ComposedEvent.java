package org.dpvideo.dpsgd.accounting;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/**
 * The adaptive composition of several events (for example the phases of a training schedule, or
 * several runs on one dataset). An empty composition releases nothing and has epsilon = 0.
 *
 * @param events the composed events, in release order; copied and unmodifiable
 */
public record ComposedEvent(@JsonProperty("events") List<DpEvent> events) implements DpEvent {
  public ComposedEvent {
    Objects.requireNonNull(events, "events of a composed event must not be null");
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i) == null) {
        throw new IllegalArgumentException("events[" + i + "] of a composed event is null");
      }
    }
    events = List.copyOf(events);
  }

  /** Composes the given events. */
  public static ComposedEvent of(DpEvent... events) {
    return new ComposedEvent(List.of(events));
  }
}
