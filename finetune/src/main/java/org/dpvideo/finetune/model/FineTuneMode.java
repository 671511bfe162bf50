package org.dpvideo.finetune.model;

import java.util.List;
import java.util.Objects;

/**
 * Which parameters a fine-tune trains. DP noise has one coordinate per trained parameter, so fewer
 * trained parameters means less noise in total: {@link Lora} is the default for private fine-tunes.
 */
public sealed interface FineTuneMode {

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
   * LoRA adapters (Hu et al. 2021) of rank r on every attention and MLP projection and on the output
   * head, plus the head's bias (it shifts the output distribution over codes with a vector of the
   * vocabulary's size); all base weights frozen.
   *
   * @param rank adapter rank, &gt;= 1
   * @param alpha scale numerator (the adapter's output is scaled by alpha / rank), finite and &gt; 0
   */
  record Lora(int rank, double alpha) implements FineTuneMode {
    public Lora {
      if (rank < 1 || !(alpha > 0) || Double.isInfinite(alpha)) {
        throw new IllegalArgumentException("LoRA needs rank >= 1 and a finite alpha > 0, got rank " + rank + ", alpha "
            + alpha);
      }
    }
  }

  /** LoRA of rank 4 with alpha 8, the default of private fine-tunes. */
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
        model.addAdapters(l.rank(), l.alpha());
      } else if (model.adapterRank() != l.rank()) {
        throw new IllegalArgumentException("the model has adapters of rank " + model.adapterRank() + ", not "
            + l.rank());
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
      return "lora(r=" + l.rank() + ", alpha=" + l.alpha() + ")";
    }
    if (this instanceof SelectedLayers s) {
      return "layers(" + String.join(", ", s.prefixes()) + ")";
    }
    return "full";
  }

  /**
   * Parses {@code full}, {@code lora}, {@code lora:R}, {@code layers:P1,P2}.
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
      int r = Integer.parseInt(t.substring(5));
      return new Lora(r, 2.0 * r);
    }
    if (t.startsWith("layers:")) {
      return new SelectedLayers(List.of(t.substring(7).split(",")));
    }
    throw new IllegalArgumentException("unknown fine-tuning mode '" + text + "'; expected full, lora, lora:RANK or"
        + " layers:PREFIX,PREFIX (e.g. layers:block2.,head.)");
  }
}
