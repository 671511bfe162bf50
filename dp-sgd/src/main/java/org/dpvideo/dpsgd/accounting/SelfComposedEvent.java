package org.dpvideo.dpsgd.accounting;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * The same event repeated {@code count} times (adaptive composition).
 *
 * @param event the repeated event
 * @param count the number of repetitions, &gt;= 1
 */
public record SelfComposedEvent(
    @JsonProperty("event") DpEvent event,
    @JsonProperty("count") int count) implements DpEvent {
  public SelfComposedEvent {
    Objects.requireNonNull(event, "event of a self-composed event must not be null");
    if (count < 1) {
      throw new IllegalArgumentException("count of a self-composed event must be >= 1, got " + count
          + "; leave the event out instead of composing it zero times");
    }
  }
}
