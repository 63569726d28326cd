package dev.lenet.tf.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lenet.api.train.Device;
import dev.lenet.api.train.TrainingException;
import org.junit.jupiter.api.Test;

/**
 * What the native library on the test class path reports. The CPU-only library in every build; the
 * GPU build's case runs under {@code mvn -Pgpu} (checked by hand, see docs/gpu.md).
 */
class TfGpuProbeTest {

  @Test
  void aGpuRequestFailsWithTheMessageForThisBuild() {
    assertThatThrownBy(() -> TfDevices.resolve(Device.GPU, TfDevices.config(Device.GPU, 1, 1)))
        .isInstanceOf(TrainingException.class)
        .hasMessageStartingWith("device gpu:0 was requested but TensorFlow")
        .hasMessageContaining(TfDevices.GPU_BUILD ? "This is a GPU build" : "CPU-only");
  }

  /** The GPU build on a host without CUDA's driver: the session lists the CPU only. */
  @Test
  void theGpuBuildReportsTheDevicesOfARealSession() {
    assumeTrue(TfDevices.GPU_BUILD, "the CPU-only library opens no session to probe");
    TfGpuReport report = TfDevices.report(TfDevices.config(Device.GPU, 1, 1));
    assertThat(report.gpuBuild()).isTrue();
    assertThat(report.failure()).isEmpty();
    assumeTrue(report.gpus().isEmpty(), "this host has a GPU");
    assertThat(report.problem(Device.GPU).orElseThrow()).contains("found no usable GPU");
  }
}
