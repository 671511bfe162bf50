package org.dpvideo.dpsgd.layers;

import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.imports.converters.DifferentialFunctionClassHolder;
import org.nd4j.imports.converters.ImportClassMapping;
import org.nd4j.linalg.api.ops.CustomOpDescriptor;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Makes SameDiff keep the vocabulary's own op classes ({@link LinearMatmul}, {@link TableGather},
 * {@link ConstantAdd}, {@link ConstantMul}, {@link BiasAdd})
 * when it copies a graph to build its gradient function.
 *
 * <p>SameDiff 1.0.0-M2.1 copies every op through its FlatBuffers form, re-creating the Java class
 * from the native op hash and the op name. Our ops run the native {@code matmul} and {@code gather}
 * kernels (same hash) under their own names, and this class adds those names to ND4J's hash-to-class
 * table, next to every existing alias of the hash, so the copy is an instance of our class with our
 * backward pass. The table is a private field of {@link DifferentialFunctionClassHolder}; if a future
 * ND4J changes it, {@link #ensureRegistered()} fails with a message instead of training with the
 * wrong backward pass (the vocabulary tests also check that the gradient function holds our classes).
 */
public final class VocabularyOps {
  private static boolean registered;

  private VocabularyOps() {}

  /** Registers the vocabulary's ops once per JVM (also for graphs built with plain SameDiff calls). */
  public static synchronized void ensureRegistered() {
    if (registered) {
      return;
    }
    try {
      DifferentialFunctionClassHolder holder = DifferentialFunctionClassHolder.getInstance();
      Field multiField = DifferentialFunctionClassHolder.class.getDeclaredField("customOpHashToClasses");
      multiField.setAccessible(true);
      @SuppressWarnings("unchecked")
      Map<Long, Map<String, Class<?>>> multi = (Map<Long, Map<String, Class<?>>>) multiField.get(holder);
      register(multi, LinearMatmul.HASH, LinearMatmul.NAME, LinearMatmul.class,
          org.nd4j.linalg.api.ops.impl.reduce.Mmul.class);
      register(multi, TableGather.HASH, TableGather.NAME, TableGather.class,
          org.nd4j.linalg.api.ops.impl.shape.Gather.class);
      register(multi, ConstantAdd.HASH, ConstantAdd.NAME, ConstantAdd.class,
          org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp.class);
      register(multi, BiasAdd.HASH, BiasAdd.NAME, BiasAdd.class,
          org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp.class);
      register(multi, ConstantMul.HASH, ConstantMul.NAME, ConstantMul.class,
          org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp.class);
      // SameDiff serializes an op whose name the native library does not know with hash 0.
      Map<String, Class<?>> unknownHash = multi.containsKey(0L) ? new HashMap<>(multi.get(0L)) : new HashMap<>();
      unknownHash.put(LinearMatmul.NAME, LinearMatmul.class);
      unknownHash.put(TableGather.NAME, TableGather.class);
      unknownHash.put(ConstantAdd.NAME, ConstantAdd.class);
      unknownHash.put(ConstantMul.NAME, ConstantMul.class);
      unknownHash.put(BiasAdd.NAME, BiasAdd.class);
      multi.put(0L, unknownHash);
      registered = true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("cannot register the layer vocabulary's ops with ND4J " + "(this ND4J version"
          + " differs from 1.0.0-M2.1, which dpvideo was built for): " + e, e);
    }
  }

  private static void register(Map<Long, Map<String, Class<?>>> multi, long hash, String name, Class<?> ours,
      Class<?> standard) {
    Map<String, Class<?>> byName = multi.containsKey(hash) ? new HashMap<>(multi.get(hash)) : new HashMap<>();
    Map<String, DifferentialFunction> known = ImportClassMapping.getOpNameMapping();
    for (Map.Entry<String, CustomOpDescriptor> e : Nd4j.getExecutioner().getCustomOperations().entrySet()) {
      if (e.getValue().getHash() == hash) {
        DifferentialFunction f = known.get(e.getKey());
        byName.putIfAbsent(e.getKey(), f != null ? f.getClass() : standard);
      }
    }
    byName.put(name, ours);
    multi.put(hash, byName);
  }
}
