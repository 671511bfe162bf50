package org.dpvideo.fairness.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything reported about one run. The run writes it (with every figure, scope
 * {@link ReleaseScope#INTERNAL}) to {@link RunDirectory#REPORT_DATA}; {@code dpvideo report} renders it,
 * by default filtered to {@link ReleaseScope#RELEASE} by {@link #forScope}.
 *
 * @param schemaVersion {@link #SCHEMA_VERSION}
 * @param runId the run's id
 * @param title a title
 * @param createdAt ISO-8601 time the data was written
 * @param scope who this report is for
 * @param noise the noise source (secure or seeded)
 * @param privacy the privacy section, or null when the run trained without DP
 * @param fairness per-group metric tables (fairness)
 * @param privacyCosts privacy cost tables
 * @param misalignment misalignment diagnostics, or null
 * @param charts further charts over steps (e.g. DP-released training statistics)
 * @param quality quality metrics per group
 * @param collapse decoding-collapse metrics per group
 * @param samples sample GIFs per group
 * @param tuning which hyper-parameter tuning each compared method used, and its privacy cost; or null
 * @param notes free-form notes
 * @param withheld figures left out of this rendering because their provenance is not releasable
 */
public record RunReport(int schemaVersion, String runId, String title, String createdAt, ReleaseScope scope,
    NoiseLabel noise, PrivacySection privacy, List<GroupTable> fairness, List<PrivacyCostTable> privacyCosts,
    MisalignmentSection misalignment, List<SeriesChart> charts, List<GroupTable> quality, List<GroupTable> collapse,
    List<SampleSet> samples, String tuning, List<String> notes, List<String> withheld) {

  /** The current schema version of report-data.json. */
  public static final int SCHEMA_VERSION = 1;

  /** Validates and copies. */
  public RunReport {
    if (schemaVersion != SCHEMA_VERSION) {
      throw new IllegalArgumentException("report data has schema version " + schemaVersion + " but this dpvideo reads"
          + " version " + SCHEMA_VERSION + "; re-render with the dpvideo version that wrote the run");
    }
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(noise, "noise: say whether the run's noise was secure or seeded");
    title = title == null ? "dpvideo run " + runId : title;
    createdAt = createdAt == null ? "" : createdAt;
    fairness = copy(fairness);
    privacyCosts = copy(privacyCosts);
    charts = copy(charts);
    quality = copy(quality);
    collapse = copy(collapse);
    samples = copy(samples);
    notes = copy(notes);
    withheld = copy(withheld);
  }

  private static <T> List<T> copy(List<T> l) {
    return l == null ? List.of() : List.copyOf(l);
  }

  /** A new internal report with the given id and noise label and nothing else. */
  public static Builder builder(String runId, NoiseLabel noise) {
    return new Builder(runId, noise);
  }

  /**
   * This report for {@code target}: for {@link ReleaseScope#RELEASE}, every figure whose provenance is not
   * releasable is removed and listed in {@code withheld}; for {@link ReleaseScope#INTERNAL}, unchanged.
   */
  public RunReport forScope(ReleaseScope target) {
    if (target == ReleaseScope.INTERNAL) {
      return new RunReport(schemaVersion, runId, title, createdAt, ReleaseScope.INTERNAL, noise, privacy, fairness,
          privacyCosts, misalignment, charts, quality, collapse, samples, tuning, notes, withheld);
    }
    List<String> held = new ArrayList<>(withheld);
    List<GroupTable> f = releasableTables(fairness, "fairness table", held);
    List<GroupTable> q = releasableTables(quality, "quality metric", held);
    List<GroupTable> c = releasableTables(collapse, "decoding-collapse metric", held);
    List<PrivacyCostTable> pc = new ArrayList<>();
    for (PrivacyCostTable t : privacyCosts) {
      if (t.provenance().releasable()) {
        pc.add(t);
      } else {
        held.add("privacy cost of '" + t.metric() + "' against " + t.reference().kind() + " ("
            + t.provenance().description() + ")");
      }
    }
    MisalignmentSection m = misalignment;
    if (m != null && !m.provenance().releasable()) {
      held.add("misalignment diagnostics over " + m.snapshots().size() + " logged steps ("
          + m.provenance().description() + ")");
      m = null;
    }
    List<SeriesChart> ch = new ArrayList<>();
    for (SeriesChart s : charts) {
      if (s.provenance().releasable()) {
        ch.add(s);
      } else {
        held.add("chart '" + s.title() + "' (" + s.provenance().description() + ")");
      }
    }
    List<SampleSet> sm = new ArrayList<>();
    for (SampleSet s : samples) {
      if (s.provenance().releasable()) {
        sm.add(s);
      } else {
        held.add("samples of " + s.group().label() + " (" + s.provenance().description() + ")");
      }
    }
    return new RunReport(schemaVersion, runId, title, createdAt, ReleaseScope.RELEASE, noise, privacy, f, pc, m, ch,
        q, c, sm, tuning, notes, held);
  }

  private static List<GroupTable> releasableTables(List<GroupTable> tables, String what, List<String> held) {
    List<GroupTable> out = new ArrayList<>();
    for (GroupTable t : tables) {
      String name = what + " '" + t.metric() + "' on " + (t.dataset().isEmpty() ? "unnamed data" : t.dataset());
      if (!t.provenance().releasable()) {
        held.add(name + " (" + t.provenance().description() + ")");
        continue;
      }
      if (!t.baseline().isEmpty() && !t.baselineProvenance().releasable()) {
        held.add("baseline '" + t.baselineLabel() + "' of " + name + " (" + t.baselineProvenance().description() + ")");
        t = t.withoutBaseline();
      }
      out.add(t);
    }
    return out;
  }

  /** Assembles a report. Not thread-safe. */
  public static final class Builder {
    private final String runId;
    private final NoiseLabel noise;
    private String title;
    private String createdAt = java.time.Instant.now().toString();
    private PrivacySection privacy;
    private final List<GroupTable> fairness = new ArrayList<>();
    private final List<PrivacyCostTable> privacyCosts = new ArrayList<>();
    private MisalignmentSection misalignment;
    private final List<SeriesChart> charts = new ArrayList<>();
    private final List<GroupTable> quality = new ArrayList<>();
    private final List<GroupTable> collapse = new ArrayList<>();
    private final List<SampleSet> samples = new ArrayList<>();
    private String tuning;
    private final List<String> notes = new ArrayList<>();

    private Builder(String runId, NoiseLabel noise) {
      this.runId = runId;
      this.noise = noise;
    }

    /** Sets the title. */
    public Builder title(String t) {
      this.title = t;
      return this;
    }

    /** Sets the creation time (ISO-8601); defaults to now. */
    public Builder createdAt(String iso) {
      this.createdAt = iso;
      return this;
    }

    /** Sets the privacy section. */
    public Builder privacy(PrivacySection p) {
      this.privacy = p;
      return this;
    }

    /** Adds a fairness table. */
    public Builder fairness(GroupTable t) {
      fairness.add(t);
      return this;
    }

    /** Adds a privacy cost table. */
    public Builder privacyCost(PrivacyCostTable t) {
      privacyCosts.add(t);
      return this;
    }

    /** Sets the misalignment section. */
    public Builder misalignment(MisalignmentSection m) {
      this.misalignment = m;
      return this;
    }

    /** Adds a chart. */
    public Builder chart(SeriesChart c) {
      charts.add(c);
      return this;
    }

    /** Adds a quality metric table. */
    public Builder quality(GroupTable t) {
      quality.add(t);
      return this;
    }

    /** Adds a decoding-collapse metric table. */
    public Builder collapse(GroupTable t) {
      collapse.add(t);
      return this;
    }

    /** Adds samples of a group. */
    public Builder samples(SampleSet s) {
      samples.add(s);
      return this;
    }

    /** States the hyper-parameter tuning of the compared methods. */
    public Builder tuning(String t) {
      this.tuning = t;
      return this;
    }

    /** Adds a note. */
    public Builder note(String n) {
      notes.add(n);
      return this;
    }

    /** The internal report. */
    public RunReport build() {
      return new RunReport(SCHEMA_VERSION, runId, title, createdAt, ReleaseScope.INTERNAL, noise, privacy, fairness,
          privacyCosts, misalignment, charts, quality, collapse, samples, tuning, notes, List.of());
    }
  }
}
