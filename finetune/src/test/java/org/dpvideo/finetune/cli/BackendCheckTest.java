package org.dpvideo.finetune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class BackendCheckTest {

  @Test
  void hopper_isRefused_namingTheCapabilityAndTheSupportedRange() {
    Optional<String> reason = BackendCheck.reasonFromNvidiaSmi(Optional.of("NVIDIA H100 80GB HBM3, 9.0\n"), true);
    assertTrue(reason.isPresent());
    assertTrue(reason.get().contains("NVIDIA H100 80GB HBM3"), reason.get());
    assertTrue(reason.get().contains("9.0 (sm_90)"), reason.get());
    assertTrue(reason.get().contains("sm_37..sm_86"), reason.get());
  }

  @Test
  void ampereTuringAndKepler37_areAccepted() {
    assertEquals(Optional.empty(), BackendCheck.reasonFromNvidiaSmi(Optional.of("NVIDIA A100-SXM4-40GB, 8.0\n"), true));
    assertEquals(Optional.empty(), BackendCheck.reasonFromNvidiaSmi(Optional.of("8.6\n7.5\n"), true));
    assertEquals(Optional.empty(), BackendCheck.reasonFromNvidiaSmi(Optional.of("Tesla K80, 3.7\n"), true));
  }

  /** CUDA binary compatibility: sm_86 kernels run on 8.9 (Ada), nothing built for 8.x runs on 9.0. */
  @Test
  void ada_isAccepted_byBinaryCompatibility_butHopperAndBlackwellAreNot() {
    assertEquals(Optional.empty(), BackendCheck.reasonFromNvidiaSmi(Optional.of("NVIDIA L4, 8.9\n"), true));
    assertTrue(BackendCheck.reasonFromNvidiaSmi(Optional.of("NVIDIA H200, 9.0\n"), true).isPresent());
    assertTrue(BackendCheck.reasonFromNvidiaSmi(Optional.of("NVIDIA B200, 10.0\n"), true).get().contains("sm_100"));
  }

  @Test
  void mixedMachine_isRefused_withTheVisibleDevicesHint() {
    Optional<String> reason = BackendCheck.reasonFromNvidiaSmi(
        Optional.of("NVIDIA A100-SXM4-40GB, 8.0\nNVIDIA H100 PCIe, 9.0\n"), true);
    assertTrue(reason.get().contains("GPU 1 (NVIDIA H100 PCIe)"), reason.get());
    assertTrue(reason.get().contains("CUDA_VISIBLE_DEVICES"), reason.get());
  }

  @Test
  void tooOldGpu_isRefused() {
    assertTrue(BackendCheck.reasonFromNvidiaSmi(Optional.of("Tesla K10.G1.8GB, 3.0\n"), true).isPresent());
    assertTrue(BackendCheck.reasonFromNvidiaSmi(Optional.of("Tesla K40, 3.5\n"), true).isPresent());
  }

  @Test
  void noGpuListed_orNoDriverAtAll_isRefused() {
    assertTrue(BackendCheck.reasonFromNvidiaSmi(Optional.of("\n"), true).get().contains("no CUDA device"));
    assertTrue(BackendCheck.reasonFromNvidiaSmi(Optional.empty(), false).get().contains("no CUDA device"));
  }

  @Test
  void nvidiaSmiMissingButDevicePresent_defersToTheNd4jCheck() {
    assertEquals(Optional.empty(), BackendCheck.reasonFromNvidiaSmi(Optional.empty(), true));
    assertEquals(Optional.empty(), BackendCheck.reasonFromNvidiaSmi(Optional.of("Field \"compute_cap\" is odd"), true));
  }

  @Test
  void parse_rejectsLinesThatAreNotCapabilities() {
    assertThrows(IllegalArgumentException.class, () -> BackendCheck.parseNvidiaSmi("GPU, nine\n"));
    assertEquals(List.of(new BackendCheck.Gpu(0, "A, with comma", 8, 9)), BackendCheck.parseNvidiaSmi("A, with comma, 8.9"));
  }

  @Test
  void nd4jReport_cpuBackendOrHopperDevice_isRefused_ampereAccepted() {
    Properties env = new Properties();
    env.put("cuda.devicesInformation", List.of(Map.of("cuda.deviceName", "NVIDIA H200", "cuda.deviceMajor", 9,
        "cuda.deviceMinor", 0)));
    assertTrue(BackendCheck.reasonFromNd4jReport("org.nd4j.linalg.jcublas.JCublasBackend", env).get()
        .contains("sm_90"));
    assertTrue(BackendCheck.reasonFromNd4jReport("org.nd4j.linalg.cpu.nativecpu.CpuBackend", new Properties()).get()
        .contains("CPU backend"));
    Properties ampere = new Properties();
    ampere.put("cuda.devicesInformation", List.of(Map.of("cuda.deviceName", "RTX 3090", "cuda.deviceMajor", "8",
        "cuda.deviceMinor", "6")));
    assertEquals(Optional.empty(), BackendCheck.reasonFromNd4jReport("org.nd4j.linalg.jcublas.JCublasBackend", ampere));
  }

  @Test
  void sentence_namesTheFallbackCommand() {
    String s = BackendCheck.sentence("GPU 0 (X) has compute capability 9.0", new String[] {"demo", "--quick"});
    assertTrue(s.endsWith("DPVIDEO_BACKEND=cpu ./dpvideo demo --quick"), s);
    assertEquals(1, s.split("\\R").length);
  }

  @Test
  void cpuBackend_needsNoCheck() {
    String before = System.getProperty("dpvideo.backend");
    try {
      System.setProperty("dpvideo.backend", "cpu");
      assertEquals(Optional.empty(), BackendCheck.problemWithSelectedBackend(new String[0]));
    } finally {
      if (before == null) {
        System.clearProperty("dpvideo.backend");
      } else {
        System.setProperty("dpvideo.backend", before);
      }
    }
  }

  /** This machine has no GPU: the cuda backend must be refused with one sentence, not a crash. */
  @Test
  void cudaBackend_onThisGpuLessMachine_isRefusedWithOneSentence() {
    org.junit.jupiter.api.Assumptions.assumeFalse(java.nio.file.Files.exists(java.nio.file.Path.of("/dev/nvidia0")),
        "a GPU is present; this test covers GPU-less machines");
    String before = System.getProperty("dpvideo.backend");
    try {
      System.setProperty("dpvideo.backend", "cuda");
      Optional<String> problem = BackendCheck.problemWithSelectedBackend(new String[] {"privacy", "--help"});
      assertTrue(problem.isPresent());
      assertTrue(problem.get().contains("DPVIDEO_BACKEND=cpu ./dpvideo privacy --help"), problem.get());
    } finally {
      if (before == null) {
        System.clearProperty("dpvideo.backend");
      } else {
        System.setProperty("dpvideo.backend", before);
      }
    }
  }

  @Test
  void loadFailure_reportsTheMissingDriverLibrary_withoutPaths() {
    String stderr = "java.lang.UnsatisfiedLinkError: /root/.javacpp/cache/cuda.jar/org/bytedeco/cuda/linux-x86_64/"
        + "libjnicudart.so: libcuda.so.1: cannot open shared object file: No such file or directory\n\tat x.y(Z.java:1)\n";
    String reason = BackendCheck.loadFailure(new IllegalStateException("no backend"), stderr);
    assertEquals("the ND4J CUDA backend failed to load its native libraries (libcuda.so.1: cannot open shared object"
        + " file: No such file or directory)", reason);
    assertTrue(BackendCheck.loadFailure(new RuntimeException(new IllegalStateException("boom")), "").contains("boom"));
  }
}
