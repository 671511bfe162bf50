package org.dpvideo.dpsgd.layers;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Builds a SameDiff graph from the layer vocabulary and records, for every parameter, the layer
 * site that owns it. The result, {@link DpModel}, can be trained privately by the engine, trained
 * non-privately, and run for inference.
 *
 * <p>Typical use (a two-layer classifier):
 * <pre>{@code
 * ModelBuilder b = ModelBuilder.create(42);
 * SDVariable x = b.examplePlaceholder("features", DataType.FLOAT, 16);
 * SDVariable labels = b.examplePlaceholder("labels", DataType.INT);
 * SDVariable h = b.sameDiff().math.tanh(b.linear("hidden", x, LinearSpec.of(16, 32)));
 * SDVariable logits = b.linear("head", h, LinearSpec.of(32, 2));
 * b.perExampleLoss(SequenceLosses.crossEntropy(b.sameDiff(), logits, labels, 2));
 * DpModel model = b.build();
 * }</pre>
 *
 * <p>Rules the builder enforces (so per-sample gradients are exact): parameters are created only by
 * the layer methods and used only by the op that layer created (no tied or reused weights); the graph
 * holds no SameDiff variables of its own (use constants for fixed tensors); the per-example loss is a
 * vector {@code [B]} whose entry e depends only on example e. The last rule cannot be checked
 * structurally (do not mix examples, e.g. batch statistics); the batch-of-one test in
 * {@code docs/engine.md} checks it for a model.
 *
 * <p>Not thread-safe; use once.
 */
public final class ModelBuilder {
  private final SameDiff sd = SameDiff.create();
  private final ParameterStore store;
  private final Random init;
  private final List<LayerSite> sites = new ArrayList<>();
  private final Map<String, Set<String>> expectedConsumers = new HashMap<>();
  private final Map<String, SDVariable> parameterVariables = new HashMap<>();
  private final LinkedHashMap<String, Boolean> placeholders = new LinkedHashMap<>();
  private SDVariable perExampleLoss;
  private boolean built;

  private ModelBuilder(ParameterStore store, long initSeed) {
    VocabularyOps.ensureRegistered();
    this.store = Objects.requireNonNull(store, "store");
    this.init = new Random(initSeed);
  }

  /**
   * A builder with a new parameter store.
   *
   * @param initSeed seed of the initial weights (initialisation is not private data, so a seed is fine)
   */
  public static ModelBuilder create(long initSeed) {
    return new ModelBuilder(new ParameterStore(), initSeed);
  }

  /**
   * A builder over an existing store: layers whose parameter names exist reuse those arrays (for
   * example an inference graph with a KV cache over a trained model); new names are created.
   */
  public static ModelBuilder over(ParameterStore store, long initSeed) {
    return new ModelBuilder(store, initSeed);
  }

  /** The graph, for parameter-free ops (attention, activations, residual sums, reshapes). */
  public SameDiff sameDiff() {
    return sd;
  }

  /** The parameter store. */
  public ParameterStore parameters() {
    return store;
  }

  private void checkOpen() {
    if (built) {
      throw new IllegalStateException("this ModelBuilder already built its model; start a new builder");
    }
  }

  /**
   * A placeholder with one entry per example: shape {@code [B, perExampleShape...]} with B left open.
   * The trainer fills it per micro-batch.
   */
  public SDVariable examplePlaceholder(String name, DataType type, long... perExampleShape) {
    checkOpen();
    long[] shape = new long[perExampleShape.length + 1];
    shape[0] = -1;
    System.arraycopy(perExampleShape, 0, shape, 1, perExampleShape.length);
    placeholders.put(name, true);
    return sd.placeHolder(name, type, shape);
  }

  /** A placeholder shared by all examples of a batch (for example an attention mask); not sliced by example. */
  public SDVariable sharedPlaceholder(String name, DataType type, long... shape) {
    checkOpen();
    placeholders.put(name, false);
    return sd.placeHolder(name, type, shape);
  }

  private INDArray gaussian(long[] shape, double std) {
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    float[] values = new float[Math.toIntExact(n)];
    if (std > 0) {
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) (init.nextGaussian() * std);
      }
    }
    return Nd4j.create(values, shape, 'c');
  }

  private INDArray filled(long[] shape, float value) {
    return Nd4j.valueArrayOf(shape, value, DataType.FLOAT);
  }

  private SDVariable variable(Parameter p) {
    if (parameterVariables.containsKey(p.name())) {
      throw new IllegalArgumentException("parameter '" + p.name() + "' is already used in this graph; every layer"
          + " needs its own name (tied weights are not supported: their per-sample gradient norm would need the"
          + " sum of both uses)");
    }
    SDVariable v = sd.var(p.name(), p.value());
    parameterVariables.put(p.name(), v);
    return v;
  }

  private void expect(Parameter p, SDVariable producedByConsumer) {
    String op = sd.getVariableOutputOp(producedByConsumer.name()).getOwnName();
    expectedConsumers.computeIfAbsent(p.name(), k -> new HashSet<>()).add(op);
  }

  /** A linear layer with bias and N(0, 1/in) weights; see {@link #linear(String, SDVariable, LinearSpec)}. */
  public SDVariable linear(String name, SDVariable x, long inFeatures, long outFeatures) {
    return linear(name, x, LinearSpec.of(inFeatures, outFeatures));
  }

  /**
   * A linear layer {@code y = x W + b} on {@code x: [rows, in]} (a sequence {@code [B, T, in]} passed
   * as {@code [B*T, in]}), optionally with a LoRA adapter (then W and b are created frozen and the
   * adapter's A and B trainable).
   *
   * @return y, {@code [rows, out]}
   */
  public SDVariable linear(String name, SDVariable x, LinearSpec spec) {
    checkOpen();
    Objects.requireNonNull(name, "name");
    boolean base = spec.loraRank() == 0;
    long[] wShape = {spec.inFeatures(), spec.outFeatures()};
    Parameter w = store.getOrCreate(name + ".weight", ParameterRole.LINEAR_WEIGHT, wShape, base,
        () -> gaussian(wShape, spec.initStd()));
    SDVariable wv = variable(w);
    SDVariable y = new LinearMatmul(sd, x, wv).outputVariable();
    expect(w, y);
    Parameter b = null;
    if (spec.bias()) {
      long[] bShape = {spec.outFeatures()};
      b = store.getOrCreate(name + ".bias", ParameterRole.LINEAR_BIAS, bShape, base, () -> filled(bShape, 0f));
      y = new BiasAdd(sd, y, variable(b)).outputVariable();
      expect(b, y);
    }
    sites.add(new LayerSite.Linear(name, x.name(), y.name(), w, b));
    if (spec.loraRank() > 0) {
      int r = spec.loraRank();
      long[] aShape = {spec.inFeatures(), r};
      long[] bShape = {r, spec.outFeatures()};
      Parameter a = store.getOrCreate(name + ".lora_a", ParameterRole.LORA_A, aShape, true,
          () -> gaussian(aShape, 1.0 / Math.sqrt(spec.inFeatures())));
      Parameter bb = store.getOrCreate(name + ".lora_b", ParameterRole.LORA_B, bShape, true, () -> filled(bShape, 0f));
      SDVariable u = new LinearMatmul(sd, x, variable(a)).outputVariable();
      expect(a, u);
      SDVariable v = new LinearMatmul(sd, u, variable(bb)).outputVariable();
      expect(bb, v);
      sites.add(new LayerSite.Linear(name + ".lora_a", x.name(), u.name(), a, null));
      sites.add(new LayerSite.Linear(name + ".lora_b", u.name(), v.name(), bb, null));
      y = y.add(v.mul(spec.loraAlpha() / r));
    }
    return y;
  }

  /**
   * An embedding lookup: integer ids of any shape {@code [B, ...]} are flattened to {@code [rows]}
   * and mapped to rows of a {@code [vocabulary, dim]} table drawn from N(0, 0.02^2).
   *
   * @return {@code [rows, dim]}
   */
  public SDVariable embedding(String name, SDVariable ids, long vocabulary, long dim) {
    checkOpen();
    if (vocabulary < 1 || dim < 1) {
      throw new IllegalArgumentException("embedding sizes must be >= 1, got vocabulary " + vocabulary + ", dim " + dim);
    }
    long[] shape = {vocabulary, dim};
    Parameter table = store.getOrCreate(name + ".table", ParameterRole.EMBEDDING_TABLE, shape, true,
        () -> gaussian(shape, 0.02));
    SDVariable flat = sd.reshape(ids, -1);
    SDVariable out = new TableGather(sd, variable(table), flat).outputVariable();
    expect(table, out);
    sites.add(new LayerSite.Embedding(name, flat.name(), out.name(), table));
    return out;
  }

  /**
   * Learned absolute positions for sequences of length T: an embedding of the ids
   * {@code 0..T-1} repeated for every example of {@code likeIds} ({@code [B, T]}).
   *
   * @return {@code [B*T, dim]}
   */
  public SDVariable positionEmbedding(String name, SDVariable likeIds, int sequenceLength, long dim) {
    checkOpen();
    INDArray positions = Nd4j.arange(0, sequenceLength).castTo(likeIds.dataType()).reshape(1, sequenceLength);
    // zeros [B, T] plus the row 0..T-1 (broadcast): the position ids of every example.
    SDVariable ids = sd.zerosLike(likeIds).add(sd.constant(name + ".positions", positions));
    return embedding(name, ids, sequenceLength, dim);
  }

  /**
   * LayerNorm over the last dimension of {@code x: [rows, features]}: standardise each row (ND4J's
   * fused {@code layer_norm}; a constant row maps to zeros), then a per-feature gain (ones) and bias
   * (zeros).
   */
  public SDVariable layerNorm(String name, SDVariable x, long features) {
    checkOpen();
    long[] shape = {features};
    Parameter gain = store.getOrCreate(name + ".gain", ParameterRole.NORM_GAIN, shape, true, () -> filled(shape, 1f));
    Parameter bias = store.getOrCreate(name + ".bias", ParameterRole.NORM_BIAS, shape, true, () -> filled(shape, 0f));
    // The fused LayerNorm op for the forward and backward pass; the engine reads the standardised input
    // from a forward-only side branch (the same standardisation the fused op applies, to the bit).
    SDVariable y = sd.nn.layerNorm(x, variable(gain), variable(bias), false, 1);
    expect(gain, y);
    expect(bias, y);
    SDVariable normalized = sd.math.standardize(x, 1);
    sites.add(new LayerSite.ScaleShift(name, normalized.name(), y.name(), gain, bias));
    return y;
  }

  /** GELU (tanh approximation as SameDiff computes it); parameter-free. */
  public SDVariable gelu(SDVariable x) {
    return sd.nn.gelu(x);
  }

  /**
   * Declares the per-example loss vector {@code [B]}; the training loss is its sum, so the gradient of
   * example e is the gradient of its own loss. Weigh or mask positions inside each entry (for example
   * {@link SequenceLosses#tokenCrossEntropy}).
   */
  public void perExampleLoss(SDVariable lossVector) {
    checkOpen();
    if (perExampleLoss != null) {
      throw new IllegalStateException("the per-example loss was already declared (" + perExampleLoss.name() + ")");
    }
    perExampleLoss = Objects.requireNonNull(lossVector, "lossVector");
  }

  /**
   * Validates the graph and returns the model.
   *
   * @throws IllegalStateException if no per-example loss was declared
   * @throws IllegalArgumentException if the graph holds variables the vocabulary did not create, or uses
   *     a parameter outside its layer
   */
  public DpModel build() {
    checkOpen();
    if (perExampleLoss == null) {
      throw new IllegalStateException("declare the per-example loss with perExampleLoss(...) before build()");
    }
    SDVariable total = perExampleLoss.sum();
    List<String> problems = new ArrayList<>();
    for (var entry : sd.getVariables().entrySet()) {
      String name = entry.getKey();
      var v = entry.getValue();
      if (v.getVariable().getVariableType() != org.nd4j.autodiff.samediff.VariableType.VARIABLE) {
        continue;
      }
      if (!parameterVariables.containsKey(name)) {
        problems.add("variable '" + name + "' was not created by a vocabulary layer, so its per-sample gradient is"
            + " unknown: create it through linear/embedding/layerNorm, or make it a constant if it is fixed");
        continue;
      }
      Set<String> actual = new HashSet<>(v.getInputsForOp() == null ? List.of() : v.getInputsForOp());
      Set<String> expected = expectedConsumers.getOrDefault(name, Set.of());
      if (!actual.equals(expected)) {
        Set<String> extra = new HashSet<>(actual);
        extra.removeAll(expected);
        problems.add("parameter '" + name + "' is also used by op(s) " + extra + " outside its layer; tied or reused"
            + " weights are not supported (the per-sample norm would need the sum of both uses): give the other use"
            + " its own layer");
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("the graph cannot be trained privately:\n  " + String.join("\n  ", problems));
    }
    built = true;
    List<String> examplePh = new ArrayList<>();
    List<String> sharedPh = new ArrayList<>();
    placeholders.forEach((n, perExample) -> (perExample ? examplePh : sharedPh).add(n));
    return new DpModel(sd, store, sites, examplePh, sharedPh, perExampleLoss.name(), total.name());
  }
}
