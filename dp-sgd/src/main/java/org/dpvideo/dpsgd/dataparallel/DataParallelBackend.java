package org.dpvideo.dpsgd.dataparallel;

/**
 * A data-parallel training backend, found with {@link java.util.ServiceLoader} (file
 * {@code META-INF/services/org.dpvideo.dpsgd.dataparallel.DataParallelBackend}). The Spark module
 * {@code distributed} provides one named {@code spark}; modules that train (the fine-tune command) use
 * it through {@link DataParallelBackends} without depending on that module.
 */
public interface DataParallelBackend {
  /** The backend's name ({@code spark}). */
  String name();

  /**
   * Starts a trainer for a job (connects to the cluster, partitions and caches the data).
   *
   * @throws IllegalArgumentException for a bad job or master
   */
  DataParallelTrainer open(DataParallelJob job);
}
