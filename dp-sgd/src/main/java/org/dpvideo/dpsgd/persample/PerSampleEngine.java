package org.dpvideo.dpsgd.persample;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.dpvideo.dpsgd.layers.DpModel;
import org.dpvideo.dpsgd.layers.GradientTape;
import org.dpvideo.dpsgd.layers.LayerSite;
import org.dpvideo.dpsgd.layers.Parameter;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Computes per-unit gradient norms and weighted per-unit gradient sums of a {@link DpModel} from one
 * SameDiff backward pass per micro-batch, requesting only activation gradients (never parameter
 * gradients).
 *
 * <p>The set of trained parameters is read from the model's store when the engine is created. Not
 * thread-safe.
 */
public final class PerSampleEngine {
  private final DpModel model;
  private final NormStrategy strategy;
  private final long materializeBudgetBytes;
  private final List<LayerSite> activeSites;
  private final List<Parameter> trainable;
  private final List<String> outputs;
  private final List<String> gradients;

  /**
   * @param strategy how norms are computed (AUTO picks per layer)
   * @param materializeBudgetBytes the most bytes one layer's materialised per-example gradients may
   *     take before AUTO prefers the ghost norm
   * @throws IllegalArgumentException if the model has no trainable parameter
   */
  public PerSampleEngine(DpModel model, NormStrategy strategy, long materializeBudgetBytes) {
    this.model = Objects.requireNonNull(model, "model");
    this.strategy = Objects.requireNonNull(strategy, "strategy");
    if (materializeBudgetBytes < 0) {
      throw new IllegalArgumentException("materialisation budget must be >= 0 bytes, got " + materializeBudgetBytes);
    }
    this.materializeBudgetBytes = materializeBudgetBytes;
    List<LayerSite> active = new ArrayList<>();
    List<Parameter> params = new ArrayList<>();
    Set<String> outs = new LinkedHashSet<>();
    Set<String> grads = new LinkedHashSet<>();
    for (LayerSite site : model.sites()) {
      if (!site.anyTrainable()) {
        continue;
      }
      active.add(site);
      for (Parameter p : site.parameters()) {
        if (p.trainable()) {
          params.add(p);
        }
      }
      if (site instanceof LayerSite.Linear l && l.weight().trainable()) {
        outs.add(l.input());
      } else if (site instanceof LayerSite.Embedding e) {
        outs.add(e.ids());
      } else if (site instanceof LayerSite.ScaleShift s && s.gain().trainable()) {
        outs.add(s.normalized());
      }
      grads.add(site.output());
    }
    if (params.isEmpty()) {
      throw new IllegalArgumentException("the model has no trainable parameter; mark some trainable in its ParameterStore");
    }
    outs.add(model.perExampleLoss());
    this.activeSites = List.copyOf(active);
    this.trainable = List.copyOf(params);
    this.outputs = List.copyOf(outs);
    this.gradients = List.copyOf(grads);
  }

  /** The parameters whose per-unit gradients this engine computes, in model order. */
  public List<Parameter> trainable() {
    return trainable;
  }

  /** The model. */
  public DpModel model() {
    return model;
  }

  /** Zeroed accumulators for the trained parameters. */
  public GradientSums newSums() {
    return new GradientSums(trainable);
  }

  /**
   * Runs one forward and backward pass of a micro-batch.
   *
   * @param placeholders the micro-batch's inputs (every per-example placeholder has {@code layout.examples()} rows)
   * @param layout which unit each example belongs to
   * @return the micro-batch; close it before recording the next one
   */
  public MicroBatch record(Map<String, INDArray> placeholders, ExampleLayout layout) {
    Objects.requireNonNull(layout, "layout");
    GradientTape tape = model.backward(placeholders, outputs, gradients);
    try {
      return new MicroBatch(this, tape, layout);
    } catch (RuntimeException e) {
      tape.close();
      throw e;
    }
  }

  List<LayerSite> activeSites() {
    return activeSites;
  }

  NormStrategy strategy() {
    return strategy;
  }

  long materializeBudgetBytes() {
    return materializeBudgetBytes;
  }
}
