package dev.lenet.cli;

import static dev.lenet.cli.CliTest.lenet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lenet.api.data.SyntheticData;
import dev.lenet.api.train.DirectoryLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run directory: owned by one run at a time, created only once the run can start, and a
 * one-line error when it cannot be created.
 */
class RunDirectoryTest {

  @TempDir static Path tmp;
  static Path data;

  @BeforeAll
  static void writeData() throws IOException {
    data = SyntheticData.write(tmp.resolve("data"), 256, 64);
  }

  private static void assertUserError(CliTest.Result r, String... fragments) {
    assertThat(r.status()).as(r.out() + r.err()).isEqualTo(Lenet.USER_ERROR);
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err()).startsWith("lenet: ").doesNotContain("Exception");
    for (String f : fragments) {
      assertThat(r.err()).contains(f);
    }
  }

  /** A second run on a directory that a run holds stops before writing anything. */
  @Test
  void aRunDirectoryInUseIsRefused() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("busy"));
    try (DirectoryLock held = DirectoryLock.acquire(dir)) {
      assertUserError(
          lenet("train", "--epochs", 1, "--data", data, "--out", held.directory()),
          dir + " is in use by ");
      assertThat(dir).isDirectoryNotContaining(p -> !p.getFileName().toString().equals(".lock"));
    }
  }

  @Test
  void aResumeOfARunDirectoryInUseIsRefused() throws IOException {
    Path dir = tmp.resolve("resumable");
    CliTest.Result first =
        lenet("train", "--epochs", 1, "--data", data, "--out", dir, "--threads", 1);
    assertThat(first.status()).as(first.err()).isZero();
    try (DirectoryLock held = DirectoryLock.acquire(dir)) {
      assertUserError(
          lenet("train", "--resume", held.directory(), "--data", data), dir + " is in use by ");
    }
  }

  /** What a run killed with kill -9 leaves: a lock file nothing locks. */
  @Test
  void aLockFileLeftByADeadRunDoesNotBlock() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("killed"));
    Files.writeString(dir.resolve(DirectoryLock.FILE), "999999\n");
    CliTest.Result r = lenet("train", "--epochs", 1, "--data", data, "--out", dir);
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(dir.resolve("metrics.json")).isRegularFile();
  }

  @Test
  void anOutThatCannotBeCreatedIsAUserError() throws IOException {
    Path file = Files.writeString(tmp.resolve("afile"), "not a directory");
    assertUserError(
        lenet("train", "--epochs", 1, "--data", data, "--out", file.resolve("sub")),
        "cannot create " + file.resolve("sub") + ": not a directory");
    assertUserError(
        lenet("train", "--epochs", 1, "--data", data, "--out", "/proc/lenet-run"),
        "cannot create /proc/lenet-run: ");
    Path model = tmp.resolve("model-run");
    CliTest.Result trained =
        lenet("train", "--epochs", 1, "--data", data, "--out", model, "--checkpoint-every", 0);
    assertThat(trained.status()).as(trained.err()).isZero();
    assertUserError(
        lenet("evaluate", "--model", model, "--data", data, "--out", file.resolve("sub")),
        "cannot create " + file.resolve("sub") + ": not a directory");
  }

  /** Failures found before training (device, spec, data, recipe) leave no run directory. */
  @Test
  void anEarlyFailureLeavesNoRunDirectory() throws IOException {
    Path out = tmp.resolve("never");
    assertUserError(
        lenet("train", "--epochs", 1, "--data", data, "--out", out, "--device", "gpu"),
        "gpu:0 was requested");
    assertThat(out).doesNotExist();

    Path wrongInput =
        Files.writeString(
            tmp.resolve("wrong-input.json"),
            "{\"format\": 1, \"input\": [1, 32, 32], \"layers\": [{\"type\": \"flatten\"},"
                + " {\"type\": \"dense\", \"units\": 10}]}");
    assertUserError(
        lenet("train", "--epochs", 1, "--data", data, "--out", out, "--spec", wrongInput),
        "the model takes 1x32x32 images");
    assertThat(out).doesNotExist();

    Path fiveClasses =
        Files.writeString(
            tmp.resolve("five-classes.json"),
            "{\"format\": 1, \"input\": [1, 28, 28], \"layers\": [{\"type\": \"flatten\"},"
                + " {\"type\": \"dense\", \"units\": 5}]}");
    assertUserError(
        lenet("train", "--epochs", 1, "--data", data, "--out", out, "--spec", fiveClasses),
        "has 10 classes but the model's last layer outputs 5");
    assertThat(out).doesNotExist();

    assertUserError(
        lenet("train", "--epochs", 1, "--data", data, "--out", out, "--batch-size", 257),
        "batch size 257 is larger than the training set");
    assertThat(out).doesNotExist();

    // A named data directory that is missing: an error at once, or (while a missing directory
    // still falls back to the search path) the batch size check after loading; no directory
    // either way.
    assertUserError(
        lenet(
            "train",
            "--epochs",
            1,
            "--data",
            tmp.resolve("no-such-data"),
            "--out",
            out,
            "--batch-size",
            10_000_000));
    assertThat(out).doesNotExist();
  }

  /** Everything a run writes counts as the run's, TensorBoard's files too. */
  @Test
  void aDirectoryHoldingOnlyARunsOwnFilesIsNotForeign() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("own"));
    Files.writeString(dir.resolve(DirectoryLock.FILE), "1\n");
    Files.createDirectories(dir.resolve(RunDirectory.TENSORBOARD));
    Files.createDirectories(dir.resolve(RunDirectory.CHECKPOINTS));
    RunDirectory.requireFresh(dir);
    Files.writeString(dir.resolve("notes.txt"), "mine");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> RunDirectory.requireFresh(dir))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("it has notes.txt");
  }
}
