package org.dpvideo.finetune.model;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Which parameters a fine-tune trains. DP noise has one coordinate per trained parameter, so fewer
 * trained parameters means less noise in total: {@link Lora} is the default for private fine-tunes.
 * Serializable, so a data-parallel run can ship it to its workers with the model recipe.
 */
public sealed interface FineTuneMode extends java.io.Serializable {

  /** Trains every parameter (the base weights; adapters too if the model has them). */
  record Full() implements FineTuneMode {}

  /**
   * Trains the parameters whose names start with one of the prefixes (e.g. {@code block2.},
   * {@code head.}); freezes all others.
   *
   * @param prefixes name prefixes, at least one
   */
  record SelectedLayers(List<String> prefixes) implements FineTuneMode {
    public SelectedLayers {
      prefixes = List.copyOf(prefixes);
      if (prefixes.isEmpty()) {
        throw new IllegalArgumentException("selected-layer fine-tuning needs at least one layer name prefix, e.g."
            + " block2. or head.");
      }
    }
  }

  /**
   * LoRA adapters (Hu et al. 2021) of rank r on the named layers of every block and on the output head,
   * plus the head's bias (it shifts the output distribution over codes with a vector of the vocabulary's
   * size); all base weights frozen.
   *
   * @param rank adapter rank, &gt;= 1
   * @param alpha scale numerator (the adapter's output is scaled by alpha / rank), finite and &gt; 0
   * @param targets the adapted layers, a subset of {@link VideoLm#ADAPTER_TARGETS}
   */
  record Lora(int rank, double alpha, Set<String> targets) implements FineTuneMode {
    public Lora {
      if (rank < 1 || !(alpha > 0) || Double.isInfinite(alpha)) {
        throw new IllegalArgumentException("LoRA needs rank >= 1 and a finite alpha > 0, got rank " + rank + ", alpha "
            + alpha);
      }
      targets = Set.copyOf(targets);
      if (targets.isEmpty() || !VideoLm.ADAPTER_TARGETS.containsAll(targets)) {
        throw new IllegalArgumentException("LoRA targets must be a non-empty subset of "
            + new java.util.TreeSet<>(VideoLm.ADAPTER_TARGETS) + ", got " + targets);
      }
    }

    /** Adapters on the attention queries and values and on the head (Hu et al.'s choice plus the head). */
    public Lora(int rank, double alpha) {
      this(rank, alpha, Set.of("q", "v", "head"));
    }
  }

  /**
   * LoRA of rank 4 with alpha 8 on queries, values and the head, the default of private fine-tunes: about
   * 9,000 trained parameters for the demo model (noise grows with each of them).
   */
  static FineTuneMode defaultPrivate() {
    return new Lora(4, 8);
  }

  /**
   * Prepares the model: adds adapters for {@link Lora} (if it has none yet) and sets which parameters are
   * trainable. Call before creating a trainer (trainers read the flags when they are built).
   *
   * @return the number of trained scalars
   */
  default long apply(VideoLm model) {
    Objects.requireNonNull(model, "model");
    if (this instanceof Lora l) {
      if (model.adapterRank() == 0) {
        model.addAdapters(l.rank(), l.alpha(), l.targets());
      } else if (model.adapterRank() != l.rank() || !model.adapterTargets().equals(l.targets())) {
        throw new IllegalArgumentException("the model has adapters of rank " + model.adapterRank() + " on "
            + model.adapterTargets() + ", not rank " + l.rank() + " on " + l.targets());
      }
      model.parameters().trainOnly(n -> n.contains(".lora_") || n.equals("head.bias"));
    } else if (this instanceof SelectedLayers s) {
      model.parameters().trainOnly(n -> s.prefixes().stream().anyMatch(n::startsWith));
    } else {
      model.parameters().trainOnly(n -> true);
    }
    long n = model.parameters().trainableCount();
    if (n == 0) {
      throw new IllegalArgumentException("fine-tuning mode " + this + " trains no parameter of this model; its"
          + " parameter names start with " + model.layerPrefixes() + ", tok., pos.");
    }
    return n;
  }

  /** A short label: {@code full}, {@code layers(block2., head.)}, {@code lora(r=4)}. */
  default String label() {
    if (this instanceof Lora l) {
      return "lora(r=" + l.rank() + ", alpha=" + l.alpha() + ", on " + String.join("+", new java.util.TreeSet<>(
          l.targets())) + " + head bias)";
    }
    if (this instanceof SelectedLayers s) {
      return "layers(" + String.join(", ", s.prefixes()) + ")";
    }
    return "full";
  }

  /**
   * Parses {@code full}, {@code lora}, {@code lora:R}, {@code lora:R:T1+T2} (targets among q, k, v, o, fc,
   * proj, head), {@code layers:P1,P2}.
   *
   * @throws IllegalArgumentException naming the accepted forms
   */
  static FineTuneMode parse(String text) {
    String t = text.trim();
    if (t.equals("full")) {
      return new Full();
    }
    if (t.equals("lora")) {
      return defaultPrivate();
    }
    if (t.startsWith("lora:")) {
      String[] parts = t.substring(5).split(":");
      int r = Integer.parseInt(parts[0]);
      return parts.length == 1 ? new Lora(r, 2.0 * r) : new Lora(r, 2.0 * r, Set.of(parts[1].split("\\+")));
    }
    if (t.startsWith("layers:")) {
      return new SelectedLayers(List.of(t.substring(7).split(",")));
    }
    throw new IllegalArgumentException("unknown fine-tuning mode '" + text + "'; expected full, lora, lora:RANK,"
        + " lora:RANK:TARGET+TARGET (e.g. lora:8:q+k+v+o+fc+proj+head) or layers:PREFIX,PREFIX (e.g."
        + " layers:block2.,head.)");
  }
}
