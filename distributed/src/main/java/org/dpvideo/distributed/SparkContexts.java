package org.dpvideo.distributed;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Starts Spark contexts the way dpvideo needs them: quiet logging (warnings of Spark, Netty and Hadoop
 * only when they are errors; {@code DPVIDEO_LOG=info} shows more), no web UI or console progress bar,
 * and a loopback driver address for local masters so no network setup is needed.
 */
public final class SparkContexts {
  /** The JVM flags Spark needs on Java 17 (as the parent pom's {@code spark.java17.opens} and the launcher). */
  public static final String JAVA17_OPENS = java.util.stream.Stream.of("java.lang", "java.lang.invoke",
      "java.lang.reflect", "java.io", "java.net", "java.nio", "java.util", "java.util.concurrent",
      "java.util.concurrent.atomic", "sun.nio.ch", "sun.nio.cs", "sun.security.action", "sun.util.calendar")
      .map(p -> "--add-opens=java.base/" + p + "=ALL-UNNAMED")
      .collect(java.util.stream.Collectors.joining(" ")) + " -Djdk.reflect.useDirectMethodHandle=false";

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
    } else {
      // Client mode on a cluster: ship this JVM's jars (dpvideo, ND4J with its natives) to the executors
      // unless spark-submit or -Dspark.jars already did, and give executors the same JVM flags and OpenMP policy.
      if (!conf.contains("spark.jars")) {
        String jars = java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
            .filter(j -> j.endsWith(".jar")).collect(java.util.stream.Collectors.joining(","));
        conf.set("spark.jars", jars);
      }
      if (!conf.contains("spark.executor.extraJavaOptions")) {
        conf.set("spark.executor.extraJavaOptions", JAVA17_OPENS);
      }
      conf.setIfMissing("spark.executorEnv.OMP_WAIT_POLICY", "PASSIVE");
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
