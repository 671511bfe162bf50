package org.dpvideo.finetune.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.dpvideo.fairness.group.GroupAssignment;
import org.dpvideo.fairness.group.GroupKey;
import org.dpvideo.fairness.misalignment.BatchAlignment;
import org.dpvideo.fairness.misalignment.GroupGradientSums;
import org.dpvideo.fairness.misalignment.LayeredVector;
import org.dpvideo.fairness.misalignment.PerUnitGradients;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dpvideo bench misalignment}: time of one logged step of the misalignment diagnostics (per-group
 * sums of per-unit gradients and the layer-by-layer Gram matrix of cosines) for a batch of per-unit
 * gradients split into layers, against the same computation on one concatenated layer.
 */
@Command(name = "misalignment", mixinStandardHelpOptions = true,
    description = "Time the per-group gradient alignment diagnostics of one logged step.")
public final class MisalignmentBench implements Callable<Integer> {
  @Option(names = "--units", description = "Per-unit gradients in the batch (default ${DEFAULT-VALUE}).")
  int units = 64;

  @Option(names = "--params", description = "Trainable parameters (default ${DEFAULT-VALUE}).")
  int params = 1_000_000;

  @Option(names = "--layers", description = "Layers the parameters are split into (default ${DEFAULT-VALUE}).")
  int layers = 16;

  @Option(names = "--groups", description = "Groups (default ${DEFAULT-VALUE}).")
  int groups = 5;

  @Option(names = "--repeats", description = "Timed repetitions after one warm-up (default ${DEFAULT-VALUE}).")
  int repeats = 5;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (units < 1 || params < layers || layers < 1 || groups < 1 || repeats < 1) {
      throw new IllegalArgumentException("need units >= 1, layers >= 1, params >= layers, groups >= 1, repeats >= 1;"
          + " got units=" + units + " params=" + params + " layers=" + layers + " groups=" + groups);
    }
    PrintWriter out = spec.commandLine().getOut();
    Nd4j.getRandom().setSeed(1);
    List<INDArray> pieces = new ArrayList<>();
    int per = params / layers;
    for (int l = 0; l < layers; l++) {
      int p = l == layers - 1 ? params - per * (layers - 1) : per;
      pieces.add(Nd4j.randn(DataType.FLOAT, units, p));
    }
    List<GroupKey> keys = new ArrayList<>();
    for (int g = 0; g < groups; g++) {
      keys.add(GroupKey.of("group", "g" + g));
    }
    int[] codes = new int[units];
    double[] scale = new double[units];
    for (int i = 0; i < units; i++) {
      codes[i] = i % groups;
      scale[i] = 0.2 + 0.8 * ((i * 37) % 11) / 10.0;
    }
    GroupAssignment assignment = new GroupAssignment(keys, codes);
    PerUnitGradients layered = new PerUnitGradients(pieces);
    PerUnitGradients flat = new PerUnitGradients(List.of(Nd4j.concat(1, pieces.toArray(new INDArray[0]))));
    double[] tLayered = time(layered, scale, assignment);
    double[] tFlat = time(flat, scale, assignment);
    out.printf("misalignment diagnostics, one logged step: %d units, %d parameters, %d groups%n", units, params,
        groups);
    out.printf("  %d layers:   median %.1f ms (min %.1f, max %.1f) over %d runs%n", layers, median(tLayered),
        tLayered[0], tLayered[tLayered.length - 1], repeats);
    out.printf("  1 flat layer: median %.1f ms (min %.1f, max %.1f) over %d runs%n", median(tFlat), tFlat[0],
        tFlat[tFlat.length - 1], repeats);
    out.printf("  layered/flat: %.2f%n", median(tLayered) / median(tFlat));
    out.flush();
    return 0;
  }

  private double[] time(PerUnitGradients g, double[] scale, GroupAssignment assignment) {
    double[] ms = new double[repeats];
    for (int r = -1; r < repeats; r++) {
      // ND4J frees native buffers at GC: collect between runs so one run does not pay for the last.
      System.gc();
      long t0 = System.nanoTime();
      GroupGradientSums sums = GroupGradientSums.fromPerUnit(g, scale, assignment);
      Map<GroupKey, LayeredVector> full = new HashMap<>();
      for (int k = 0; k < assignment.levels().size(); k++) {
        List<INDArray> p = new ArrayList<>();
        for (int l = 0; l < sums.layers(); l++) {
          p.add(sums.unscaledLayer(l).getRow(k));
        }
        full.put(assignment.levels().get(k), LayeredVector.of(p));
      }
      BatchAlignment a = BatchAlignment.compute(sums, full);
      if (!Double.isFinite(a.cosBatchVsClipped())) {
        throw new IllegalStateException("benchmark produced an undefined cosine");
      }
      if (r >= 0) {
        ms[r] = (System.nanoTime() - t0) / 1e6;
      }
    }
    Arrays.sort(ms);
    return ms;
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
