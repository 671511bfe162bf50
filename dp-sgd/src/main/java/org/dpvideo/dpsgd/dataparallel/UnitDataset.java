package org.dpvideo.dpsgd.dataparallel;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.dpvideo.dpsgd.sampling.PrivacyUnit;
import org.dpvideo.dpsgd.sampling.PrivacyUnits;
import org.dpvideo.dpsgd.step.BatchAssembler;

/**
 * A dataset of privacy units held in one process: the units 0..N-1 with their examples. It gives the
 * single-process trainer the same units and inputs a data-parallel run partitions across workers
 * ({@link #privacyUnits()}, {@link #assembler(ExampleBatcher)}). Example ids are the examples' positions
 * when the units' examples are laid out unit by unit. Immutable.
 */
public final class UnitDataset {
  private final PrivacyUnit kind;
  private final List<UnitRecord> units;
  private final List<Example> examples;
  private final PrivacyUnits privacyUnits;

  /**
   * @param kind example-level (every unit holds one example) or subject-level units
   * @param units units with ids exactly 0..N-1 in order
   * @throws IllegalArgumentException if ids are not dense and ordered, example units hold several
   *     examples, or only some units have groups
   */
  public UnitDataset(PrivacyUnit kind, List<UnitRecord> units) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.units = List.copyOf(units);
    if (this.units.isEmpty()) {
      throw new IllegalArgumentException("a training set needs at least one privacy unit");
    }
    List<Example> ex = new ArrayList<>();
    int[] subject = new int[this.units.stream().mapToInt(u -> u.examples().size()).sum()];
    int[] groups = new int[this.units.size()];
    int grouped = 0;
    for (int u = 0; u < this.units.size(); u++) {
      UnitRecord r = this.units.get(u);
      if (r.unit() != u) {
        throw new IllegalArgumentException("unit ids must be 0..N-1 in order; position " + u + " holds unit " + r.unit());
      }
      if (kind == PrivacyUnit.EXAMPLE && r.examples().size() != 1) {
        throw new IllegalArgumentException("example-level unit " + u + " has " + r.examples().size() + " examples; use"
            + " subject-level units");
      }
      for (Example e : r.examples()) {
        subject[ex.size()] = u;
        ex.add(e);
      }
      groups[u] = r.group();
      grouped += r.group() >= 0 ? 1 : 0;
    }
    if (grouped != 0 && grouped != groups.length) {
      throw new IllegalArgumentException("either every unit has a group or none has; " + grouped + " of " + groups.length
          + " have one");
    }
    this.examples = List.copyOf(ex);
    PrivacyUnits p = kind == PrivacyUnit.EXAMPLE ? PrivacyUnits.perExample(ex.size()) : PrivacyUnits.bySubject(subject);
    this.privacyUnits = grouped == 0 ? p : p.withGroups(groups);
  }

  /** Example or subject units. */
  public PrivacyUnit kind() {
    return kind;
  }

  /** The units, by id. */
  public List<UnitRecord> units() {
    return units;
  }

  /** The largest number of examples of one unit. */
  public int maxExamplesPerUnit() {
    return privacyUnits.maxExamplesPerUnit();
  }

  /** The units for the single-process trainer (with groups when the records have them). */
  public PrivacyUnits privacyUnits() {
    return privacyUnits;
  }

  /** An assembler over this dataset's examples for the single-process trainer. */
  public BatchAssembler assembler(ExampleBatcher batcher) {
    Objects.requireNonNull(batcher, "batcher");
    return ids -> {
      List<Example> chosen = new ArrayList<>(ids.length);
      for (int id : ids) {
        chosen.add(examples.get(id));
      }
      return batcher.placeholders(chosen);
    };
  }
}
