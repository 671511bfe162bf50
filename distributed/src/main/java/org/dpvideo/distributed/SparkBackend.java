package org.dpvideo.distributed;

import org.dpvideo.dpsgd.dataparallel.DataParallelBackend;
import org.dpvideo.dpsgd.dataparallel.DataParallelJob;
import org.dpvideo.dpsgd.dataparallel.DataParallelTrainer;

/** The {@code spark} data-parallel backend (registered for {@link java.util.ServiceLoader}). */
public final class SparkBackend implements DataParallelBackend {
  /** The name {@code spark}. */
  public static final String NAME = "spark";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public DataParallelTrainer open(DataParallelJob job) {
    return SparkDpTrainer.builder(job).build();
  }
}
