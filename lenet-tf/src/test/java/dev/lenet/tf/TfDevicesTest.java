package dev.lenet.tf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.lenet.tf.runtime.TfDevices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TfDevicesTest {

  /** The test class path's native library: the GPU build only under the {@code gpu} profile. */
  private static final boolean GPU_JAR =
      System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
          .contains("linux-x86_64-gpu");

  @Test
  void theKernelRegistryTellsTheCpuLibraryFromTheGpuBuild() {
    assertThat(TfDevices.GPU_BUILD).isEqualTo(GPU_JAR);
  }

  /**
   * TensorFlow sizes its thread pools from the first session in a process, so resolving {@code
   * auto} must not open one: a probe with default threads made every later training run use two
   * threads per op instead of one per tower (28,000 instead of 35,000 examples/sec here).
   */
  @Test
  void resolvingAutoWithTheCpuLibraryStartsNoTensorFlowThreads(@TempDir Path dir) throws Exception {
    assumeFalse(GPU_JAR, "the GPU build probes with a session");
    Path log = dir.resolve("worker.log");
    Process p = Subprocess.start(log, DeviceWorker.class, List.of());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(log);
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("device cpu").contains("new native threads 0");
  }
}
