package org.dpvideo.distributed;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Starts Spark contexts the way dpvideo needs them: quiet logging (warnings of Spark, Netty and Hadoop
 * only when they are errors; {@code DPVIDEO_LOG=info} shows more), no web UI or console progress bar,
 * and a loopback driver address for local masters so no network setup is needed.
 */
public final class SparkContexts {
  private SparkContexts() {}

  /**
   * A new context. The caller stops it.
   *
   * @param master {@code local[N]}, {@code local[N,F]} (F attempts per task), {@code spark://host:port}, {@code yarn}, ...
   * @throws IllegalArgumentException naming the master if Spark rejects it
   */
  public static JavaSparkContext start(String master, String appName) {
    quietLogging();
    SparkConf conf = new SparkConf().setMaster(master).setAppName(appName)
        .set("spark.ui.enabled", "false")
        .set("spark.ui.showConsoleProgress", "false")
        // A lost task is retried (the keyed sampling makes retries exact); 4 is Spark's cluster default.
        .set("spark.task.maxFailures", "4");
    if (master.startsWith("local")) {
      conf.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
    }
    try {
      return new JavaSparkContext(conf);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("cannot start Spark with master '" + master + "': " + e.getMessage()
          + ". Use local[N] for N threads on this machine, or the URL of a running Spark master", e);
    }
  }

  /** Sets slf4j-simple levels for Spark's noisy loggers unless the user set them. */
  static void quietLogging() {
    String level = System.getenv().getOrDefault("DPVIDEO_LOG", "error");
    for (String logger : new String[] {"org.apache.spark", "org.sparkproject", "io.netty", "org.apache.hadoop"}) {
      String key = "org.slf4j.simpleLogger.log." + logger;
      if (System.getProperty(key) == null) {
        System.setProperty(key, level);
      }
    }
  }
}
