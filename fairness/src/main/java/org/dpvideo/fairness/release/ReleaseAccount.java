package org.dpvideo.fairness.release;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.dpvideo.dpsgd.accounting.ComposedEvent;
import org.dpvideo.dpsgd.accounting.DpEvent;

/**
 * The accounted releases of statistics of one private dataset (e.g. a run's training set). Mechanisms
 * record their event here before they return values; the run composes {@link #composed()} with its
 * training event so the reported ε covers the statistics too, and reports the statistics' own cost
 * separately ("diagnostics budget").
 *
 * <p>Thread-safe. Append-only.
 */
public final class ReleaseAccount {
  private final String dataset;
  private final List<AccountedRelease> releases = new ArrayList<>();

  /**
   * One recorded release.
   *
   * @param statistic what was released
   * @param event its DP event
   */
  public record AccountedRelease(String statistic, DpEvent event) {
    /** Validates. */
    public AccountedRelease {
      Objects.requireNonNull(statistic, "statistic");
      Objects.requireNonNull(event, "event");
    }
  }

  /** @param dataset the private dataset the releases are about (e.g. "training set of run 42") */
  public ReleaseAccount(String dataset) {
    if (dataset == null || dataset.isBlank()) {
      throw new IllegalArgumentException("name the private dataset a release account covers");
    }
    this.dataset = dataset;
  }

  /** The dataset. */
  public String dataset() {
    return dataset;
  }

  /** Records a release. */
  public synchronized void record(String statistic, DpEvent event) {
    releases.add(new AccountedRelease(statistic, event));
  }

  /** The releases so far, in order. */
  public synchronized List<AccountedRelease> releases() {
    return List.copyOf(releases);
  }

  /** The composition of every release so far, or empty when nothing was released. */
  public synchronized Optional<DpEvent> composed() {
    if (releases.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ComposedEvent(releases.stream().map(AccountedRelease::event).toList()));
  }

  /**
   * The run's total event: its training event composed with every release of this account.
   *
   * @param trainingEvent the training mechanism's event
   */
  public synchronized DpEvent composeWith(DpEvent trainingEvent) {
    Objects.requireNonNull(trainingEvent, "trainingEvent");
    if (releases.isEmpty()) {
      return trainingEvent;
    }
    List<DpEvent> all = new ArrayList<>();
    all.add(trainingEvent);
    releases.forEach(r -> all.add(r.event()));
    return new ComposedEvent(all);
  }
}
