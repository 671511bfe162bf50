package org.dpvideo.finetune.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.environment.Nd4jEnvironment;

/**
 * Checks, before any command runs, that the GPU backend the launcher selected can work on this machine,
 * so that an unusable GPU gives one sentence and a way out instead of a native crash.
 *
 * <p>The published ND4J CUDA build (nd4j-cuda-11.6, 1.0.0-M2.1) ships kernels for compute capabilities
 * sm_37 to sm_86 (Kepler to Ampere) and no PTX, so it cannot run on newer GPUs such as Hopper (sm_90).
 * With {@code DPVIDEO_BACKEND=cuda} (system property {@code dpvideo.backend=cuda}) the check: (1) asks
 * {@code nvidia-smi --query-gpu=name,compute_cap --format=csv,noheader} for the visible GPUs and refuses
 * when there is none or one cannot run kernels built for sm_37..sm_86 (below 3.7, or major version 9 and
 * later); (2) where nvidia-smi is missing or too old to
 * report compute capabilities, refuses when no NVIDIA device node exists; (3) loads the ND4J backend,
 * refusing on a native load failure or a non-CUDA backend, and checks the devices ND4J reports. The CPU
 * backend needs no check. Stateless; the decision functions are pure and unit-tested.
 */
public final class BackendCheck {
  /**
   * Lowest compute capability (major*10 + minor) and highest major version the ND4J CUDA build can run
   * on. Its kernels are compiled for sm_37..sm_86 without PTX; by CUDA's binary compatibility a kernel
   * compiled for X.y runs on X.z with z &gt;= y, so every 8.x device can run the sm_80/sm_86 kernels, but
   * nothing of major version 9 (Hopper) or later can.
   */
  static final int MIN_CAPABILITY = 37;
  static final int MAX_MAJOR = 8;

  private BackendCheck() {}

  /** One GPU as reported by nvidia-smi or ND4J. */
  record Gpu(int index, String name, int major, int minor) {
    int capability() {
      return major * 10 + minor;
    }

    String smName() {
      return "sm_" + major + minor;
    }

    boolean supported() {
      return capability() >= MIN_CAPABILITY && major <= MAX_MAJOR;
    }
  }

  /**
   * The problem with the backend selected by {@code dpvideo.backend}, as one complete sentence naming the
   * fallback; empty when the backend is cpu or the GPU is usable.
   *
   * @param commandLine the user's arguments, repeated in the fallback command
   */
  public static Optional<String> problemWithSelectedBackend(String[] commandLine) {
    String backend = System.getProperty("dpvideo.backend", "cpu");
    if (!"cuda".equalsIgnoreCase(backend.trim())) {
      return Optional.empty();
    }
    Optional<String> reason = reasonFromNvidiaSmi(runNvidiaSmi(), nvidiaDeviceNodePresent());
    if (reason.isEmpty()) {
      reason = reasonFromNd4j();
    }
    return reason.map(r -> sentence(r, commandLine));
  }

  /** The one-sentence message for a reason. */
  static String sentence(String reason, String[] commandLine) {
    String args = commandLine == null || commandLine.length == 0 ? "..." : String.join(" ", commandLine);
    return "The cuda backend cannot run on this machine: " + reason + "; use the CPU backend instead (the default):"
        + " DPVIDEO_BACKEND=cpu ./dpvideo " + args;
  }

  /**
   * The reason to refuse, from nvidia-smi's output; empty when the GPUs it lists are supported (the
   * ND4J check still follows).
   *
   * @param smiOutput nvidia-smi's stdout when it ran and exited 0; empty when it is missing or failed
   * @param deviceNodePresent whether /dev/nvidia0 (or a /proc/driver/nvidia/gpus entry) exists
   */
  static Optional<String> reasonFromNvidiaSmi(Optional<String> smiOutput, boolean deviceNodePresent) {
    if (smiOutput.isEmpty()) {
      if (!deviceNodePresent) {
        return Optional.of("no CUDA device was found (nvidia-smi is not available and there is no /dev/nvidia0)");
      }
      return Optional.empty();
    }
    List<Gpu> gpus;
    try {
      gpus = parseNvidiaSmi(smiOutput.get());
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // unexpected format: let the ND4J check decide
    }
    if (gpus.isEmpty()) {
      return Optional.of("no CUDA device is visible (nvidia-smi lists no GPU)");
    }
    return unsupported(gpus);
  }

  /** The reason to refuse when a listed GPU cannot run kernels built for sm_37..sm_86. */
  static Optional<String> unsupported(List<Gpu> gpus) {
    for (Gpu g : gpus) {
      if (!g.supported()) {
        String hint = gpus.size() > 1 && gpus.stream().anyMatch(Gpu::supported)
            ? " (or hide it with CUDA_VISIBLE_DEVICES)" : "";
        return Optional.of(String.format(Locale.ROOT,
            "GPU %d (%s) has compute capability %d.%d (%s), but the ND4J CUDA build has kernels for sm_37..sm_86"
                + " only%s", g.index(), g.name(), g.major(), g.minor(), g.smName(), hint));
      }
    }
    return Optional.empty();
  }

  /**
   * Parses {@code nvidia-smi --query-gpu=name,compute_cap --format=csv,noheader} (lines like
   * {@code NVIDIA H100 80GB HBM3, 9.0}) or the bare {@code compute_cap} column ({@code 8.6}).
   *
   * @throws IllegalArgumentException on a line that is not in that form
   */
  static List<Gpu> parseNvidiaSmi(String output) {
    List<Gpu> gpus = new ArrayList<>();
    for (String raw : output.split("\\R")) {
      String line = raw.trim();
      if (line.isEmpty()) {
        continue;
      }
      int comma = line.lastIndexOf(',');
      String name = comma < 0 ? "unnamed" : line.substring(0, comma).trim();
      String cap = comma < 0 ? line : line.substring(comma + 1).trim();
      String[] parts = cap.split("\\.");
      if (parts.length != 2) {
        throw new IllegalArgumentException("not a compute capability: '" + line + "'");
      }
      try {
        gpus.add(new Gpu(gpus.size(), name, Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim())));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a compute capability: '" + line + "'", e);
      }
    }
    return gpus;
  }

  /**
   * The GPUs in ND4J's environment information ({@code cuda.devicesInformation}, a list of maps with
   * {@code cuda.deviceName}, {@code cuda.deviceMajor}, {@code cuda.deviceMinor}).
   */
  static List<Gpu> parseNd4jEnvironment(Properties environment) {
    List<Gpu> gpus = new ArrayList<>();
    Object devices = environment.get(Nd4jEnvironment.CUDA_DEVICE_INFORMATION_KEY);
    if (devices instanceof List<?> list) {
      for (Object o : list) {
        if (o instanceof Map<?, ?> m) {
          Object major = m.get(Nd4jEnvironment.CUDA_DEVICE_MAJOR_VERSION_KEY);
          Object minor = m.get(Nd4jEnvironment.CUDA_DEVICE_MINOR_VERSION_KEY);
          Object name = m.get(Nd4jEnvironment.CUDA_DEVICE_NAME_KEY);
          if (major != null && minor != null) {
            gpus.add(new Gpu(gpus.size(), String.valueOf(name), Integer.parseInt(String.valueOf(major).trim()),
                Integer.parseInt(String.valueOf(minor).trim())));
          }
        }
      }
    }
    return gpus;
  }

  /** The reason to refuse from what ND4J reports once loaded (backend class and environment). */
  static Optional<String> reasonFromNd4jReport(String backendClass, Properties environment) {
    if (!backendClass.contains("JCublas")) {
      return Optional.of("dpvideo was built for the CPU backend (ND4J loaded " + backendClass
          + "), so DPVIDEO_BACKEND=cuda needs a rebuild with the cuda profile, which the launcher does when the"
          + " build stamp for cuda is missing");
    }
    List<Gpu> gpus = parseNd4jEnvironment(environment);
    return unsupported(gpus);
  }

  /**
   * Loads ND4J and asks it. ND4J prints stack traces and warnings to stderr while it probes backends;
   * they are captured here so that the user sees one sentence, and the native link error (the useful
   * part) goes into it.
   */
  private static Optional<String> reasonFromNd4j() {
    PrintStream originalErr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      Class<?> nd4j = Class.forName("org.nd4j.linalg.factory.Nd4j");
      Object backend = nd4j.getMethod("getBackend").invoke(null);
      Object executioner = nd4j.getMethod("getExecutioner").invoke(null);
      Properties env = (Properties) executioner.getClass().getMethod("getEnvironmentInformation").invoke(executioner);
      return reasonFromNd4jReport(backend.getClass().getName(), env);
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      return Optional.of(loadFailure(e, captured.toString(StandardCharsets.UTF_8)));
    } finally {
      System.setErr(originalErr);
    }
  }

  /** The reason for a failed load: the native link error ND4J printed if any, else the exception's root. */
  static String loadFailure(Throwable e, String capturedStderr) {
    for (String line : capturedStderr.split("\\R")) {
      int at = line.indexOf("UnsatisfiedLinkError: ");
      if (at >= 0) {
        String detail = line.substring(at + "UnsatisfiedLinkError: ".length())
            .replaceAll("/\\S+?\\.so(\\.\\d+)*: ", "").trim();
        return "the ND4J CUDA backend failed to load its native libraries (" + detail + ")";
      }
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String what = root.getMessage() == null ? root.getClass().getSimpleName()
        : root.getClass().getSimpleName() + ": " + root.getMessage().replaceAll("\\s*\\R\\s*", " ");
    return "the ND4J CUDA backend failed to load (" + what + ")";
  }

  private static Optional<String> runNvidiaSmi() {
    try {
      Process p = new ProcessBuilder("nvidia-smi", "--query-gpu=name,compute_cap", "--format=csv,noheader")
          .redirectErrorStream(false).start();
      byte[] out;
      try (InputStream in = p.getInputStream()) {
        out = in.readAllBytes();
      }
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroy();
        return Optional.empty();
      }
      return p.exitValue() == 0 ? Optional.of(new String(out, StandardCharsets.UTF_8)) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static boolean nvidiaDeviceNodePresent() {
    if (Files.exists(Path.of("/dev/nvidia0"))) {
      return true;
    }
    Path gpus = Path.of("/proc/driver/nvidia/gpus");
    try (var entries = Files.list(gpus)) {
      return entries.findAny().isPresent();
    } catch (IOException e) {
      return false;
    }
  }
}
