package dev.lenet.tf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TfDevicesTest {

  /**
   * TensorFlow sizes its thread pools from the first session in a process, so resolving {@code
   * auto} must not open one: a probe with default threads made every later training run use two
   * threads per op instead of one per tower (28,000 instead of 35,000 examples/sec here).
   */
  @Test
  void resolvingAutoWithTheCpuLibraryStartsNoTensorFlowThreads(@TempDir Path dir) throws Exception {
    assumeFalse(TfDevices.GPU_BUILD, "the GPU build probes with a session");
    Path log = dir.resolve("worker.log");
    Process p = Subprocess.start(log, DeviceWorker.class, List.of());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(log);
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("device cpu").contains("new native threads 0");
  }
}
