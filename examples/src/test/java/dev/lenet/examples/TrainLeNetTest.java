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

class TrainLeNetTest {

  @Test
  void theBooksProgramRunsOnASliceOfData(@TempDir Path tmp) throws Exception {
    Path data = SyntheticData.write(tmp.resolve("data"), 600, 120);
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try (TrainedModel model = TrainLeNet.run(1, data, 300)) {
      assertThat(model.history()).hasSize(1);
    } finally {
      System.setOut(original);
    }
    String printed = captured.toString(StandardCharsets.UTF_8);
    assertThat(printed)
        .startsWith("Conv2d output shape: (1, 6, 28, 28)\n")
        .contains("Linear output shape: (1, 10)\n")
        .containsPattern("loss \\d\\.\\d{3}, train acc \\d\\.\\d{3}, test acc \\d\\.\\d{3}\n")
        .containsPattern("\\d+\\.\\d examples/sec on cpu\n");
  }
}
