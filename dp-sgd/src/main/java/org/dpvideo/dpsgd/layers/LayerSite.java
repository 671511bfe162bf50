package org.dpvideo.dpsgd.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A place in a graph where parameters meet activations, with the rule that gives its per-sample
 * gradients from the layer's input (kept from the forward pass) and the gradient of its output
 * (from one backward pass). All tensors are {@code [rows, features]} with rows grouped by example.
 */
public sealed interface LayerSite permits LayerSite.Linear, LayerSite.Embedding, LayerSite.ScaleShift {

  /** The layer's name. */
  String name();

  /** The SameDiff variable whose gradient the engine requests. */
  String output();

  /** The parameters of the site (a null-free list). */
  List<Parameter> parameters();

  /** Whether any of the site's parameters is trainable now. */
  default boolean anyTrainable() {
    for (Parameter p : parameters()) {
      if (p.trainable()) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code y = x W (+ b)} with {@code x: [rows, in]}, {@code W: [in, out]}. Per-unit weight gradient
   * {@code x_u^T dy_u}, bias gradient the column sums of {@code dy_u}.
   *
   * @param input the variable x
   * @param output the variable y (after the bias)
   * @param bias null when the layer has none
   */
  record Linear(String name, String input, String output, Parameter weight, Parameter bias) implements LayerSite {
    public Linear {
      Objects.requireNonNull(name);
      Objects.requireNonNull(input);
      Objects.requireNonNull(output);
      Objects.requireNonNull(weight);
    }

    @Override
    public List<Parameter> parameters() {
      List<Parameter> ps = new ArrayList<>(2);
      ps.add(weight);
      if (bias != null) {
        ps.add(bias);
      }
      return ps;
    }

    /** Input features. */
    public long inFeatures() {
      return weight.shape()[0];
    }

    /** Output features. */
    public long outFeatures() {
      return weight.shape()[1];
    }
  }

  /**
   * {@code y = table[ids]} with {@code ids: [rows]}. Per-unit gradient: the rows of {@code dy_u}
   * added into the table rows their ids name (scatter-add).
   *
   * @param ids the flattened integer ids variable
   * @param output the gathered rows {@code [rows, dim]}
   */
  record Embedding(String name, String ids, String output, Parameter table) implements LayerSite {
    public Embedding {
      Objects.requireNonNull(name);
      Objects.requireNonNull(ids);
      Objects.requireNonNull(output);
      Objects.requireNonNull(table);
    }

    @Override
    public List<Parameter> parameters() {
      return List.of(table);
    }

    /** Vocabulary size. */
    public long vocabulary() {
      return table.shape()[0];
    }

    /** Embedding width. */
    public long dim() {
      return table.shape()[1];
    }
  }

  /**
   * {@code y = xhat * gain + bias} elementwise per feature (LayerNorm's affine part), with
   * {@code xhat: [rows, features]}. Per-unit gradients: column sums of {@code dy_u * xhat_u} and of
   * {@code dy_u}.
   *
   * @param normalized the variable xhat
   * @param output the variable y
   */
  record ScaleShift(String name, String normalized, String output, Parameter gain, Parameter bias) implements LayerSite {
    public ScaleShift {
      Objects.requireNonNull(name);
      Objects.requireNonNull(normalized);
      Objects.requireNonNull(output);
      Objects.requireNonNull(gain);
      Objects.requireNonNull(bias);
    }

    @Override
    public List<Parameter> parameters() {
      return List.of(gain, bias);
    }

    /** Number of features. */
    public long features() {
      return gain.shape()[0];
    }
  }
}
