package dev.lenet.cli;

import static dev.lenet.cli.CliTest.lenet;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lenet.api.data.SyntheticData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recipes that diverge, or ask for more than the data or the machine has. */
class TrainLimitsTest {

  @TempDir static Path tmp;
  static Path data;

  @BeforeAll
  static void writeData() throws IOException {
    data = SyntheticData.write(tmp.resolve("data"), 512, 128);
  }

  @Test
  void aDivergingRunExitsWithTheEpochBatchAndAdvice() {
    CliTest.Result r =
        lenet("train", "--epochs", 1, "--data", data, "--out", tmp.resolve("lr"), "--lr", 1e6);
    assertThat(r.status()).as(r.out() + r.err()).isEqualTo(Lenet.USER_ERROR);
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err())
        .matches(
            "lenet: training diverged: the mean loss of epoch 1, batch \\d+ of 2 was .*,"
                + " (above the bound 115\\.1|not a finite number); try a smaller learning rate"
                + " \\(it is 1000000\\.0\\)\\R");
    // It failed in its first epoch: the run directory it created holds nothing and is gone.
    assertThat(tmp.resolve("lr")).doesNotExist();
  }

  @Test
  void aBatchLargerThanTheTrainingSetIsRefused() {
    CliTest.Result r =
        lenet("train", "--data", data, "--out", tmp.resolve("batch"), "--batch-size", 70_000);
    assertThat(r.status()).as(r.out() + r.err()).isEqualTo(Lenet.USER_ERROR);
    assertThat(r.err())
        .isEqualToIgnoringNewLines(
            "lenet: batch size 70000 is larger than the training set (fashion-mnist train: 512"
                + " images); choose at most 512");
  }

  @Test
  void moreThreadsThanCoresAreCappedWithAWarning() throws IOException {
    int cores = Runtime.getRuntime().availableProcessors();
    Path run = tmp.resolve("threads");
    CliTest.Result r =
        lenet(
            "train",
            "--epochs",
            1,
            "--data",
            data,
            "--out",
            run,
            "--threads",
            1000,
            "--checkpoint-every",
            0);
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.err())
        .isEqualToIgnoringNewLines(
            "lenet: warning: --threads 1000 is more than the "
                + cores
                + " cores of this machine; using "
                + cores);
    JsonNode metrics = new ObjectMapper().readTree(run.resolve("metrics.json").toFile());
    assertThat(metrics.get("config").get("interOpThreads").asInt()).isEqualTo(cores);
    assertThat(metrics.get("execution").get("inter_op_threads").asInt()).isEqualTo(cores);
  }

  @Test
  void aSpecTooLargeToBuildIsAUserErrorInSummaryAndTrain() throws IOException {
    Path huge =
        Files.writeString(
            tmp.resolve("huge.json"),
            "{\"format\": 1, \"input\": [1, 28, 28], \"layers\": [{\"type\": \"conv2d\","
                + " \"filters\": 2147483647, \"kernelHeight\": 5, \"kernelWidth\": 5,"
                + " \"strideHeight\": 1, \"strideWidth\": 1, \"paddingHeight\": 0,"
                + " \"paddingWidth\": 0}, {\"type\": \"flatten\"}, {\"type\": \"dense\","
                + " \"units\": 10}]}");
    for (CliTest.Result r :
        new CliTest.Result[] {
          lenet("summary", "--spec", huge),
          lenet("train", "--data", data, "--spec", huge, "--out", tmp.resolve("huge"))
        }) {
      assertThat(r.status()).as(r.out() + r.err()).isEqualTo(Lenet.USER_ERROR);
      assertThat(r.err())
          .startsWith("lenet: " + huge + ": layer 1 (Conv2d 2147483647x5x5): output ")
          .contains("more than the limit of 1,000,000");
    }
    assertThat(tmp.resolve("huge")).doesNotExist();
  }
}
