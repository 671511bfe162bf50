package org.dpvideo.dpsgd.dataparallel;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * One training example as the values of the model's per-example placeholders, by placeholder name.
 * Self-contained and serializable, so a worker can hold its partition's examples.
 *
 * @param features placeholder name to value; not empty
 */
public record Example(Map<String, Feature> features) implements Serializable {
  public Example {
    if (features.isEmpty()) {
      throw new IllegalArgumentException("an example needs at least one placeholder value");
    }
    features = java.util.Collections.unmodifiableMap(new TreeMap<>(features));
  }
}
