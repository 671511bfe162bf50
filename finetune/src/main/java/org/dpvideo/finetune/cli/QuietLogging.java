package org.dpvideo.finetune.cli;

/**
 * Keeps library logging quiet by default: only warnings and errors of ND4J, SameDiff and JavaCPP are
 * shown (slf4j-simple reads these system properties when the first logger is created).
 * {@code DPVIDEO_LOG=info|debug} shows more.
 */
public final class QuietLogging {
  private QuietLogging() {}

  /** Sets the logging defaults unless the user already set them. Call before any ND4J class loads. */
  public static void apply() {
    String level = System.getenv().getOrDefault("DPVIDEO_LOG", "warn");
    setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", level);
    setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
    setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
    setIfAbsent("org.slf4j.simpleLogger.showDateTime", "false");
    // ND4J's op registry warns about duplicate TensorFlow-import mappings when SameDiff first copies a graph.
    setIfAbsent("org.slf4j.simpleLogger.log.org.nd4j.imports.converters.ImportClassMapping", "error");
    // JavaCPP's own loader messages.
    setIfAbsent("org.bytedeco.javacpp.logger", "slf4j");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
