package dev.lenet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lenet.api.data.SyntheticData;
import dev.lenet.api.train.TrainedModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each training example runs on a slice of data and prints the book's lines. */
class TrainLeNetTest {

  @TempDir Path tmp;

  @Test
  void theBooksProgramRunsOnASliceOfData() throws Exception {
    String printed = run(TrainLeNet::run);
    assertThat(printed)
        .startsWith("Conv2d output shape: (1, 6, 28, 28)\n")
        .contains("Linear output shape: (1, 10)\n");
  }

  @Test
  void theBatchNormProgramRunsOnASliceOfData() throws Exception {
    String printed = run(TrainBatchNormLeNet::run);
    assertThat(printed)
        .startsWith(
            "Conv2d output shape: (1, 6, 24, 24)\nBatchNorm2d output shape: (1, 6, 24, 24)\n")
        .contains("BatchNorm1d output shape: (1, 84)\n");
  }

  @Test
  void theModernProgramRunsOnASliceOfData() throws Exception {
    String printed = run(TrainModernLeNet::run);
    assertThat(printed)
        .startsWith("Conv2d output shape: (1, 6, 28, 28)\nReLU output shape: (1, 6, 28, 28)\n")
        .contains("Dropout output shape: (1, 84)\n");
  }

  /** An example's {@code run(epochs, dataDir, limit)}. */
  private interface Program {
    TrainedModel run(int epochs, Path data, int limit);
  }

  /** Runs {@code program} for one epoch on 300 synthetic images; returns what it printed. */
  private String run(Program program) throws Exception {
    Path data = SyntheticData.write(tmp.resolve("data"), 600, 120);
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try (TrainedModel model = program.run(1, data, 300)) {
      assertThat(model.history()).hasSize(1);
    } finally {
      System.setOut(original);
    }
    String printed = captured.toString(StandardCharsets.UTF_8);
    assertThat(printed)
        .containsPattern("loss \\d\\.\\d{3}, train acc \\d\\.\\d{3}, test acc \\d\\.\\d{3}\n")
        .containsPattern("\\d+\\.\\d examples/sec on cpu\n");
    return printed;
  }
}
