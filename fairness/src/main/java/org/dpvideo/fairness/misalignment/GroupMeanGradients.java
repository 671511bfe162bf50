package org.dpvideo.fairness.misalignment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.dpvideo.fairness.group.GroupAssignment;
import org.dpvideo.fairness.group.GroupKey;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Accumulates the full-data group gradients g_{D_k} = (Σ_{i∈D_k} g_i) / n_k over chunks of the data (the
 * reference code passes over the training set in chunks of 1000 at the current parameters, spec §1.4.4
 * step 1), layer by layer, so the whole dataset's per-unit gradients are never held at once.
 *
 * <p>Not thread-safe; use once per logged step (the parameters change between steps).
 */
public final class GroupMeanGradients {
  private final List<GroupKey> groups;
  private List<INDArray> sums;
  private final long[] counts;

  /** @param groups the groups, in the order every chunk's assignment uses */
  public GroupMeanGradients(List<GroupKey> groups) {
    this.groups = List.copyOf(Objects.requireNonNull(groups, "groups"));
    this.counts = new long[this.groups.size()];
  }

  /** Adds a chunk of per-unit (unscaled) gradients. */
  public void add(PerUnitGradients chunk, GroupAssignment assignment) {
    double[] ones = new double[chunk.units()];
    java.util.Arrays.fill(ones, 1.0);
    add(GroupGradientSums.fromPerUnit(chunk, ones, assignment));
  }

  /** Adds a chunk's per-group sums (its unscaled sums are used). */
  public void add(GroupGradientSums chunk) {
    if (!chunk.groups().equals(groups)) {
      throw new IllegalArgumentException("chunk groups " + chunk.groups() + " differ from " + groups
          + "; build every chunk's assignment with the same declared levels");
    }
    if (sums == null) {
      sums = new ArrayList<>();
      for (int l = 0; l < chunk.layers(); l++) {
        sums.add(chunk.unscaledLayer(l));
      }
    } else {
      if (chunk.layers() != sums.size()) {
        throw new IllegalArgumentException("chunk has " + chunk.layers() + " layers, earlier chunks " + sums.size());
      }
      for (int l = 0; l < sums.size(); l++) {
        INDArray s = chunk.unscaledLayer(l);
        if (s.size(1) != sums.get(l).size(1)) {
          throw new IllegalArgumentException("layer " + l + " has " + s.size(1) + " parameters in this chunk and "
              + sums.get(l).size(1) + " in earlier chunks");
        }
        sums.get(l).addi(s);
      }
    }
    int[] c = chunk.counts();
    for (int g = 0; g < c.length; g++) {
      counts[g] += c[g];
    }
  }

  /** Units seen per group. */
  public long count(GroupKey group) {
    int g = groups.indexOf(group);
    if (g < 0) {
      throw new IllegalArgumentException("no group " + group + "; groups are " + groups);
    }
    return counts[g];
  }

  /** g_{D_k} for every group with at least one unit (groups without units are left out). */
  public Map<GroupKey, LayeredVector> means() {
    if (sums == null) {
      throw new IllegalStateException("no chunk was added; add the full data's per-unit gradients first");
    }
    Map<GroupKey, LayeredVector> out = new LinkedHashMap<>();
    for (int g = 0; g < groups.size(); g++) {
      if (counts[g] == 0) {
        continue;
      }
      List<INDArray> pieces = new ArrayList<>();
      for (INDArray s : sums) {
        pieces.add(s.getRow(g).div(counts[g]));
      }
      out.put(groups.get(g), LayeredVector.of(pieces));
    }
    return out;
  }
}
