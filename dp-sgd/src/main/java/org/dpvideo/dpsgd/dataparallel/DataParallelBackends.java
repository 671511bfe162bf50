package org.dpvideo.dpsgd.dataparallel;

import java.util.Optional;
import java.util.ServiceLoader;

/** Finds {@link DataParallelBackend}s on the classpath. */
public final class DataParallelBackends {
  /** How to build the Spark backend, for error messages. */
  public static final String SPARK_BUILD_HINT = "mvn -B -q -DskipTests package -pl distributed -am";

  private DataParallelBackends() {}

  /** The backend of that name, if its module is on the classpath. */
  public static Optional<DataParallelBackend> find(String name) {
    for (DataParallelBackend b : ServiceLoader.load(DataParallelBackend.class)) {
      if (b.name().equals(name)) {
        return Optional.of(b);
      }
    }
    return Optional.empty();
  }

  /**
   * The backend of that name.
   *
   * @throws IllegalStateException with the build command when the backend's module is not on the classpath
   */
  public static DataParallelBackend require(String name) {
    return find(name).orElseThrow(() -> new IllegalStateException("the '" + name + "' data-parallel backend is not on"
        + " the classpath; build the distributed module with `" + SPARK_BUILD_HINT + "` (./dpvideo does this itself"
        + " when a command has --spark)"));
  }
}
