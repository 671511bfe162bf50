package org.dpvideo.dpsgd.layers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The parameters of a model, by name, in creation order. Several graphs can be built over one store
 * (a training graph and a KV-cache inference graph, say) and then share the same arrays.
 *
 * <p>Trainability is chosen here: full fine-tuning (everything trainable), selected layers
 * ({@link #trainOnly(Predicate)}), or LoRA only (the default when a linear layer is given an adapter:
 * the base weight and bias are frozen, the adapter trainable). A trainer reads the flags when it is
 * created; change them before creating one.
 *
 * <p>Not thread-safe.
 */
public final class ParameterStore {
  private final Map<String, Parameter> byName = new LinkedHashMap<>();

  /** An empty store. */
  public ParameterStore() {}

  /** Every parameter in creation order. */
  public List<Parameter> all() {
    return Collections.unmodifiableList(new ArrayList<>(byName.values()));
  }

  /** The trainable parameters in creation order. */
  public List<Parameter> trainable() {
    List<Parameter> out = new ArrayList<>();
    for (Parameter p : byName.values()) {
      if (p.trainable()) {
        out.add(p);
      }
    }
    return out;
  }

  /** The total number of trainable scalars. */
  public long trainableCount() {
    long n = 0;
    for (Parameter p : byName.values()) {
      if (p.trainable()) {
        n += p.length();
      }
    }
    return n;
  }

  /**
   * The parameter called {@code name}.
   *
   * @throws IllegalArgumentException naming the known parameters when there is none
   */
  public Parameter get(String name) {
    Parameter p = byName.get(name);
    if (p == null) {
      throw new IllegalArgumentException("no parameter named '" + name + "'; the store has " + byName.keySet());
    }
    return p;
  }

  /** Whether a parameter of that name exists. */
  public boolean contains(String name) {
    return byName.containsKey(name);
  }

  /** Marks one parameter trainable or frozen. */
  public void setTrainable(String name, boolean trainable) {
    get(name).setTrainable(trainable);
  }

  /** Trains exactly the parameters whose names match (selected layers); freezes all others. */
  public void trainOnly(Predicate<String> names) {
    for (Parameter p : byName.values()) {
      p.setTrainable(names.test(p.name()));
    }
  }

  /** Freezes every parameter of the given roles (for example LoRA-only: freeze all but LORA_A, LORA_B). */
  public void freezeRoles(ParameterRole... roles) {
    for (Parameter p : byName.values()) {
      for (ParameterRole r : roles) {
        if (p.role() == r) {
          p.setTrainable(false);
        }
      }
    }
  }

  /**
   * Adds a parameter, or returns the existing one of that name after checking its role and shape
   * (so that graphs built over a shared store reuse the same arrays).
   */
  Parameter getOrCreate(String name, ParameterRole role, long[] shape, boolean trainable,
      java.util.function.Supplier<INDArray> init) {
    Parameter existing = byName.get(name);
    if (existing != null) {
      if (existing.role() != role || !java.util.Arrays.equals(existing.shape(), shape)) {
        throw new IllegalArgumentException("parameter '" + name + "' already exists as " + existing.role() + " "
            + java.util.Arrays.toString(existing.shape()) + ", but the layer asks for " + role + " "
            + java.util.Arrays.toString(shape) + "; give the layer another name or build it with the same sizes");
      }
      return existing;
    }
    INDArray value = init.get();
    if (value.dataType() != DataType.FLOAT || !java.util.Arrays.equals(value.shape(), shape)) {
      throw new IllegalStateException("initial value of '" + name + "' is " + value.dataType() + " "
          + java.util.Arrays.toString(value.shape()) + ", expected FLOAT " + java.util.Arrays.toString(shape));
    }
    Parameter p = new Parameter(name, role, value, trainable);
    byName.put(name, p);
    return p;
  }
}
