package dev.lenet.cli;

import static dev.lenet.cli.CliTest.lenet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lenet.api.data.SyntheticData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lenet bench --device} and {@code --steps-per-call}, and where its help sends a reader for
 * the PyTorch peer.
 */
class BenchDeviceTest {

  @TempDir Path tmp;

  @Test
  void aGpuTheBuildCannotUseIsAUserErrorSayingWhy() throws IOException {
    Path data = SyntheticData.write(tmp.resolve("data"), 512, 16);
    CliTest.Result r = lenet("bench", "--device", "gpu", "--data", data);
    assertThat(r.status()).as(r.err()).isEqualTo(Lenet.USER_ERROR);
    assertThat(r.err())
        .startsWith("lenet: device gpu:0 was requested but TensorFlow")
        .doesNotContain("Exception");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void anUnknownDeviceIsAUserError() {
    CliTest.Result r = lenet("bench", "--device", "tpu");
    assertThat(r.status()).isEqualTo(Lenet.USER_ERROR);
    assertThat(r.err()).contains("unknown device 'tpu'");
  }

  @Test
  void stepsPerCallOutsideItsRangeIsAUserError() {
    CliTest.Result r = lenet("bench", "--steps-per-call", "17");
    assertThat(r.status()).isEqualTo(Lenet.USER_ERROR);
    assertThat(r.err())
        .contains(
            "--steps-per-call: steps per session call must be 1 to 16 (0 = the backend's choice), found 17");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void theHelpNamesThePeerScriptThatTheRepositoryCarries() throws IOException {
    CliTest.Result r = lenet("bench", "--help");
    assertThat(r.status()).isZero();
    String help = r.out().replaceAll("\\s+", " ");
    assertThat(help).contains("bench/peers/pytorch_lenet.py").contains("--device=DEV");
    // Tests run in the module directory; the script sits at the repository's root.
    assertThat(Path.of("..", "bench", "peers", "pytorch_lenet.py")).isRegularFile();
    assertThat(Files.readString(Path.of("..", "bench", "compare")))
        .contains("bench/peers/pytorch_lenet.py");
  }
}
