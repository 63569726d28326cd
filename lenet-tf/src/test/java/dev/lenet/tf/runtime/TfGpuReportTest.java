package dev.lenet.tf.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lenet.api.train.Device;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The GPU decision and its messages from what TensorFlow reports, without a GPU or the GPU build:
 * each report below is what a build and host combination gives.
 */
class TfGpuReportTest {

  private static final String GPU0 = "/job:localhost/replica:0/task:0/device:GPU:0";
  private static final String GPU1 = "/job:localhost/replica:0/task:0/device:GPU:1";

  private static TfGpuReport gpuBuild(List<String> gpus, String driver) {
    return new TfGpuReport(true, gpus, Optional.ofNullable(driver), Optional.empty());
  }

  @Test
  void theCpuOnlyLibrarySaysHowToGetTheGpuBuild() {
    String why = TfGpuReport.CPU_BUILD.problem(Device.GPU).orElseThrow();
    assertThat(why)
        .startsWith("device gpu:0 was requested but TensorFlow sees no such GPU.")
        .contains("This build uses the CPU-only native library")
        .contains("CUDA 12 and cuDNN 9")
        .contains("mvn -Pgpu")
        .endsWith("Or run on --device cpu (or auto).");
  }

  /** This project's machines with the GPU build: TensorFlow's log says cuInit failed (303). */
  @Test
  void theGpuBuildWithoutADriverSaysSoAndNotThatItIsCpuOnly() {
    String why = gpuBuild(List.of(), null).problem(Device.GPU).orElseThrow();
    assertThat(why)
        .startsWith("device gpu:0 was requested but TensorFlow found no usable GPU.")
        .contains("This is a GPU build")
        .contains("libcuda.so.1 could not be loaded")
        .contains("failed call to cuInit")
        .contains("no NVIDIA driver")
        .doesNotContain("CPU-only")
        .doesNotContain("-Pgpu")
        .endsWith("Or run on --device cpu (or auto).");
  }

  @Test
  void theGpuBuildWithADriverButNoDeviceNamesTheDriverAndWhereCudaSaysWhy() {
    String driver = "/usr/lib/x86_64-linux-gnu/libcuda.so.570.86.15";
    String why = gpuBuild(List.of(), driver).problem(Device.parse("gpu:1")).orElseThrow();
    assertThat(why)
        .startsWith("device gpu:1 was requested but TensorFlow found no usable GPU.")
        .contains("This is a GPU build")
        .contains("the CUDA driver is loaded (" + driver + ")")
        .contains("failed call to cuInit")
        .contains("TF_CPP_MIN_LOG_LEVEL=0")
        .contains("nvidia-smi")
        .doesNotContain("could not be loaded")
        .doesNotContain("CPU-only");
  }

  @Test
  void aGpuTensorFlowCreatedIsUsedAndAnIndexBeyondThemIsRefused() {
    TfGpuReport one = gpuBuild(List.of(GPU0), "/usr/lib/libcuda.so.1");
    assertThat(one.has(Device.GPU)).isTrue();
    assertThat(one.problem(Device.GPU)).isEmpty();
    assertThat(one.problem(Device.parse("gpu:1")).orElseThrow())
        .startsWith("device gpu:1 was requested but TensorFlow sees only one GPU, gpu:0.")
        .doesNotContain("no usable GPU");
    TfGpuReport two = gpuBuild(List.of(GPU0, GPU1), "/usr/lib/libcuda.so.1");
    assertThat(two.problem(Device.parse("gpu:1"))).isEmpty();
    assertThat(two.problem(Device.parse("gpu:2")).orElseThrow())
        .contains("TensorFlow sees only 2 GPUs, gpu:0 to gpu:1.");
  }

  @Test
  void aSessionTensorFlowCouldNotStartIsReportedWithItsError() {
    TfGpuReport failed =
        new TfGpuReport(
            true, List.of(), Optional.empty(), Optional.of("Invalid argument: bad config"));
    assertThat(failed.has(Device.GPU)).isFalse();
    assertThat(failed.problem(Device.GPU).orElseThrow())
        .startsWith(
            "device gpu:0 was requested but TensorFlow could not list its devices: Invalid"
                + " argument: bad config.")
        .contains("This is a GPU build");
  }

  @Test
  void onlyAGpuRequestCanBeSatisfiedByAGpu() {
    TfGpuReport one = gpuBuild(List.of(GPU0), "/usr/lib/libcuda.so.1");
    assertThat(one.has(Device.CPU)).isFalse();
    assertThat(one.has(Device.AUTO)).isFalse();
  }
}
