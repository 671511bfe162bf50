package org.dpvideo.dpsgd.persample;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import org.dpvideo.dpsgd.layers.GradientTape;
import org.dpvideo.dpsgd.layers.LayerSite;
import org.dpvideo.dpsgd.memory.StepArena;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One recorded micro-batch: per-example losses, per-unit squared gradient norms, and weighted sums
 * {@code sum_u w_u g_u} of the per-unit gradients, all from the tape of one backward pass. Arrays live
 * until {@link #close()}. Use on one thread; close before recording the next micro-batch.
 */
public final class MicroBatch implements AutoCloseable {
  private final PerSampleEngine engine;
  private final GradientTape tape;
  private final ExampleLayout layout;
  private final StepArena arena;
  private final int examples;
  /** Materialised per-unit gradients [U, K] by parameter name, kept for weighted sums. */
  private final Map<String, INDArray> perUnit = new HashMap<>();
  /** Small per-unit gradients (biases, LayerNorm gains) as unit-major doubles, by parameter name. */
  private final Map<String, double[]> perUnitSmall = new HashMap<>();
  /** Per-site decision: ghost (true) or materialised (false) for the site's main weight. */
  private final Map<String, Boolean> ghost = new HashMap<>();
  private double[] squaredNorms;
  private boolean closed;

  MicroBatch(PerSampleEngine engine, GradientTape tape, ExampleLayout layout) {
    this.engine = engine;
    this.tape = tape;
    this.layout = layout;
    this.arena = tape.arena();
    this.examples = layout.examples();
    long rows = tape.output(engine.model().perExampleLoss()).length();
    if (rows != examples) {
      throw new IllegalArgumentException("the per-example loss has " + rows + " entries but the layout has "
          + examples + " examples; every per-example placeholder must have one row per example");
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("this micro-batch was closed");
    }
  }

  /** The layout. */
  public ExampleLayout layout() {
    return layout;
  }

  /** Each example's loss. */
  public double[] exampleLosses() {
    checkOpen();
    return tape.output(engine.model().perExampleLoss()).castTo(DataType.DOUBLE).toDoubleVector();
  }

  /** Each unit's gradient norm over all trained parameters. */
  public double[] unitNorms() {
    double[] sq = unitSquaredNorms();
    double[] n = new double[sq.length];
    for (int i = 0; i < n.length; i++) {
      n[i] = Math.sqrt(sq[i]);
    }
    return n;
  }

  /**
   * Each unit's squared gradient norm over all trained parameters (computed once, then cached).
   * NaN or infinite when a gradient is not finite.
   */
  public double[] unitSquaredNorms() {
    checkOpen();
    if (squaredNorms == null) {
      double[] acc = new double[layout.units()];
      for (LayerSite site : engine.activeSites()) {
        if (site instanceof LayerSite.Linear l) {
          linearNorms(l, acc);
        } else if (site instanceof LayerSite.Embedding e) {
          embeddingNorms(e, acc);
        } else if (site instanceof LayerSite.ScaleShift s) {
          scaleShiftNorms(s, acc);
        }
      }
      squaredNorms = acc;
    }
    return squaredNorms.clone();
  }

  /**
   * Adds {@code sum_u weights[u] g_u} into {@code target}, for every trained parameter. Used for the
   * clipped sum (weights = clip factors) and by internal diagnostics (other weights).
   *
   * @param unitWeights one weight per unit
   */
  public void addWeightedSum(double[] unitWeights, GradientSums target) {
    checkOpen();
    if (unitWeights.length != layout.units()) {
      throw new IllegalArgumentException("need one weight per unit (" + layout.units() + "), got " + unitWeights.length);
    }
    if (squaredNorms == null) {
      unitSquaredNorms();
    }
    double[] perExample = new double[examples];
    for (int e = 0; e < examples; e++) {
      perExample[e] = unitWeights[layout.unitOf(e)];
    }
    for (LayerSite site : engine.activeSites()) {
      if (site instanceof LayerSite.Linear l) {
        linearSum(l, unitWeights, perExample, target);
      } else if (site instanceof LayerSite.Embedding e) {
        embeddingSum(e, unitWeights, perExample, target);
      } else if (site instanceof LayerSite.ScaleShift s) {
        scaleShiftSum(s, unitWeights, target);
      }
    }
  }

  // ---- linear ---------------------------------------------------------------------------------

  private long sequence(INDArray rows2d, String site) {
    long rows = rows2d.size(0);
    if (rows % examples != 0) {
      throw new IllegalStateException("layer '" + site + "' has " + rows + " rows, not a multiple of the "
          + examples + " examples; its activations must be [B*T, features] grouped by example");
    }
    return rows / examples;
  }

  private boolean chooseGhost(String site, long t, long in, long out, long materialBytes) {
    if (!layout.oneExamplePerUnit()) {
      return false;
    }
    return switch (engine.strategy()) {
      case GHOST -> true;
      case MATERIALIZE -> false;
      case AUTO -> {
        double b = examples;
        double materialize = 2.0 * b * t * in * out + 2.0 * layout.units() * in * out;
        double ghostCost = 2.0 * b * t * t * (in + out) + 2.0 * b * t * in * out;
        yield materialBytes > engine.materializeBudgetBytes() || ghostCost < materialize;
      }
    };
  }

  private void linearNorms(LayerSite.Linear l, double[] acc) {
    INDArray dy = tape.gradient(l.output());
    long t = sequence(dy, l.name());
    long out = l.outFeatures();
    INDArray dy3 = dy.reshape('c', examples, t, out);
    if (l.weight().trainable()) {
      INDArray x = tape.output(l.input());
      long in = l.inFeatures();
      INDArray x3 = x.reshape('c', examples, t, in);
      boolean useGhost = chooseGhost(l.name(), t, in, out, 4L * examples * in * out);
      ghost.put(l.name(), useGhost);
      if (useGhost) {
        INDArray gx = Kernels.batchedGram(arena, x3);
        INDArray gy = Kernels.batchedGram(arena, dy3);
        gx.muli(gy);
        Kernels.addSumsPerFirst(arena, gx, acc);
      } else {
        INDArray g3 = Kernels.batchedTransposeA(arena, x3, dy3);
        INDArray g = Kernels.toUnits(arena, g3.reshape('c', examples, in * out), layout);
        perUnit.put(l.weight().name(), g);
        Kernels.addRowSquaredNorms(arena, g, acc);
      }
    }
    if (l.bias() != null && l.bias().trainable()) {
      double[] g = RowSums.perUnit(dy, null, layout, t);
      perUnitSmall.put(l.bias().name(), g);
      RowSums.addSquaredNorms(g, (int) out, acc);
    }
  }

  private void linearSum(LayerSite.Linear l, double[] unitWeights, double[] perExample, GradientSums target) {
    if (l.weight().trainable()) {
      INDArray sum = target.get(l.weight().name());
      if (ghost.get(l.name())) {
        INDArray dy = tape.gradient(l.output());
        long t = dy.size(0) / examples;
        INDArray scaled = Kernels.scaleExamples(arena, dy.reshape('c', examples, t, l.outFeatures()), perExample);
        INDArray x = tape.output(l.input());
        org.nd4j.linalg.factory.Nd4j.gemm(x, scaled.reshape('c', dy.size(0), l.outFeatures()), sum, true, false, 1.0, 1.0);
      } else {
        Kernels.addWeightedRows(arena, perUnit.get(l.weight().name()), unitWeights, sum);
      }
    }
    if (l.bias() != null && l.bias().trainable()) {
      RowSums.addWeighted(perUnitSmall.get(l.bias().name()), (int) l.outFeatures(), unitWeights,
          target.get(l.bias().name()));
    }
  }

  // ---- embedding ------------------------------------------------------------------------------

  private int[] ids(LayerSite.Embedding e) {
    return tape.output(e.ids()).castTo(DataType.INT).toIntVector();
  }

  private void embeddingNorms(LayerSite.Embedding e, double[] acc) {
    INDArray dy = tape.gradient(e.output());
    long t = sequence(dy, e.name());
    long v = e.vocabulary();
    long d = e.dim();
    int[] ids = ids(e);
    for (int id : ids) {
      if (id < 0 || id >= v) {
        throw new IllegalArgumentException("embedding '" + e.name() + "' got id " + id + " outside 0.." + (v - 1));
      }
    }
    long materialBytes = 4L * layout.units() * v * d;
    boolean useGhost;
    if (!layout.oneExamplePerUnit() || engine.strategy() == NormStrategy.MATERIALIZE) {
      useGhost = false;
    } else if (engine.strategy() == NormStrategy.GHOST) {
      useGhost = true;
    } else {
      double materialize = (double) layout.units() * v * d * 2 + (double) examples * t * d;
      double ghostCost = 2.0 * examples * t * t * d + (double) examples * t * t;
      useGhost = materialBytes > engine.materializeBudgetBytes() || ghostCost < materialize;
    }
    ghost.put(e.name(), useGhost);
    if (useGhost) {
      INDArray gy = Kernels.batchedGram(arena, dy.reshape('c', examples, t, d));
      INDArray same = arena.floats(examples, t, t);
      FloatBuffer b = Kernels.view(same);
      int tt = (int) t;
      for (int ex = 0; ex < examples; ex++) {
        int base = ex * tt;
        for (int i = 0; i < tt; i++) {
          int idI = ids[base + i];
          int row = (base + i) * tt;
          for (int j = 0; j < tt; j++) {
            b.put(row + j, idI == ids[base + j] ? 1f : 0f);
          }
        }
      }
      gy.muli(same);
      Kernels.addSumsPerFirst(arena, gy, acc);
    } else {
      INDArray seg = arena.allocate(DataType.INT, 'c', ids.length);
      java.nio.IntBuffer sb = seg.data().asNioInt();
      for (int r = 0; r < ids.length; r++) {
        int unit = layout.unitOf((int) (r / t));
        sb.put(r, (int) (unit * v + ids[r]));
      }
      INDArray g = Kernels.segmentSum(arena, dy, seg, layout.units() * v);
      INDArray g2 = g.reshape('c', layout.units(), v * d);
      perUnit.put(e.table().name(), g2);
      Kernels.addRowSquaredNorms(arena, g2, acc);
    }
  }

  private void embeddingSum(LayerSite.Embedding e, double[] unitWeights, double[] perExample, GradientSums target) {
    INDArray sum = target.get(e.table().name());
    if (ghost.get(e.name())) {
      INDArray dy = tape.gradient(e.output());
      long t = dy.size(0) / examples;
      INDArray scaled = Kernels.scaleExamples(arena, dy.reshape('c', examples, t, e.dim()), perExample);
      INDArray ids = arena.allocate(DataType.INT, 'c', dy.size(0));
      java.nio.IntBuffer ib = ids.data().asNioInt();
      int[] values = ids(e);
      for (int r = 0; r < values.length; r++) {
        ib.put(r, values[r]);
      }
      INDArray g = Kernels.segmentSum(arena, scaled.reshape('c', dy.size(0), e.dim()), ids, e.vocabulary());
      sum.addi(g);
    } else {
      Kernels.addWeightedRows(arena, perUnit.get(e.table().name()), unitWeights, sum);
    }
  }

  // ---- LayerNorm gain and bias ----------------------------------------------------------------

  private void scaleShiftNorms(LayerSite.ScaleShift s, double[] acc) {
    INDArray dy = tape.gradient(s.output());
    long t = sequence(dy, s.name());
    int f = (int) s.features();
    if (s.gain().trainable()) {
      double[] g = RowSums.perUnit(dy, tape.output(s.normalized()), layout, t);
      perUnitSmall.put(s.gain().name(), g);
      RowSums.addSquaredNorms(g, f, acc);
    }
    if (s.bias().trainable()) {
      double[] g = RowSums.perUnit(dy, null, layout, t);
      perUnitSmall.put(s.bias().name(), g);
      RowSums.addSquaredNorms(g, f, acc);
    }
  }

  private void scaleShiftSum(LayerSite.ScaleShift s, double[] unitWeights, GradientSums target) {
    int f = (int) s.features();
    if (s.gain().trainable()) {
      RowSums.addWeighted(perUnitSmall.get(s.gain().name()), f, unitWeights, target.get(s.gain().name()));
    }
    if (s.bias().trainable()) {
      RowSums.addWeighted(perUnitSmall.get(s.bias().name()), f, unitWeights, target.get(s.bias().name()));
    }
  }

  /** Which sites used the ghost norm (site name to true) in this micro-batch, after norms were computed. */
  public Map<String, Boolean> ghostDecisions() {
    return Map.copyOf(ghost);
  }

  /** Frees the micro-batch's arrays for reuse. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      tape.close();
    }
  }
}
