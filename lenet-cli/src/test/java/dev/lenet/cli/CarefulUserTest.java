package dev.lenet.cli;

import static dev.lenet.cli.CliTest.lenet;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lenet.api.data.RealData;
import dev.lenet.api.data.SyntheticData;
import dev.lenet.api.train.CheckpointHook;
import dev.lenet.api.train.DirectoryLock;
import dev.lenet.api.train.HaltAt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a careful user tried by hand: empty and foreign directories, a model evaluated as another
 * data set, an unusable {@code evaluate --out}, data that is not the published set, and messages
 * that say where and what to do.
 */
class CarefulUserTest {

  @TempDir static Path tmp;
  static Path data;
  static Path run;
  static CliTest.Result trained;

  @BeforeAll
  static void trainOnce() throws IOException {
    data = SyntheticData.write(tmp.resolve("data"), 256, 64);
    run = tmp.resolve("run");
    trained = lenet("train", "--epochs", 1, "--data", data, "--out", run, "--checkpoint-every", 0);
    assertThat(trained.status()).as(trained.err()).isZero();
  }

  private static void assertUserError(CliTest.Result r, String message) {
    assertThat(r.status()).as(r.out() + r.err()).isEqualTo(Lenet.USER_ERROR);
    assertThat(r.err()).isEqualTo("lenet: " + message + System.lineSeparator());
  }

  /** {@code --out "$RUN"} with RUN unset: the current directory must not become a run. */
  @Test
  void anEmptyDirectoryOptionIsRefused() {
    Path missing = tmp.resolve("no-data");
    assertUserError(
        lenet("train", "--epochs", 1, "--data", missing, "--out", ""),
        "--out is empty (an unset shell variable?); give the run directory to create");
    assertUserError(
        lenet("train", "--resume", "", "--data", missing),
        "--resume is empty (an unset shell variable?); give the run directory to resume");
    assertUserError(
        lenet("evaluate", "--model", run, "--data", missing, "--out", " "),
        "--out is empty (an unset shell variable?); give a directory for confusion.png and"
            + " evaluation.txt");
  }

  @Test
  void aDirectoryHoldingOtherFilesIsNoRunDirectory() throws IOException {
    Path notes = Files.createDirectories(tmp.resolve("notes"));
    Files.writeString(notes.resolve("todo.txt"), "mine");
    assertUserError(
        lenet("train", "--epochs", 1, "--data", data, "--out", notes),
        notes
            + " is not empty and holds no run (it has todo.txt); choose a new or empty directory"
            + " for --out");
    try (Stream<Path> left = Files.list(notes)) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly("todo.txt");
    }
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    CliTest.Result r = lenet("train", "--epochs", 1, "--data", data, "--out", empty);
    assertThat(r.status()).as(r.err()).isZero();
  }

  /** A run killed before its first checkpoint is started again, as the message says. */
  @Test
  void aRunKilledBeforeItsFirstCheckpointIsStartedAgain() throws Exception {
    Path killed = tmp.resolve("killed");
    Process p =
        crashingLenet(
            new HaltAt(CheckpointHook.Stage.FILES_WRITTEN, 1),
            "train",
            "--epochs",
            1,
            "--threads",
            1,
            "--data",
            data,
            "--out",
            killed);
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(tmp.resolve("killed.log"))).isEqualTo(137);

    assertUserError(
        lenet("train", "--resume", killed, "--data", data),
        killed
            + " has no checkpoint to resume from (looked in "
            + killed.resolve("checkpoints")
            + "): it stopped before its first checkpoint; start it again with 'lenet train --out "
            + killed
            + "' and its options");
    CliTest.Result again = lenet("train", "--epochs", 1, "--data", data, "--out", killed);
    assertThat(again.status()).as(again.err()).isZero();

    assertUserError(
        lenet("train", "--resume", run, "--data", data),
        run
            + " has no checkpoint to resume from (looked in "
            + run.resolve("checkpoints")
            + "): it ran with --checkpoint-every 0 or stopped before its first checkpoint; train"
            + " it again with another --out");
  }

  @Test
  void aModelIsNotEvaluatedAsAnotherKnownSet() throws IOException {
    Path fashionModel = modelRecordedAs("fashion-mnist");
    // Refused before the data is looked for: no download of MNIST, no "mnist test" report.
    assertUserError(
        lenet(
            "evaluate",
            "--model",
            fashionModel,
            "--dataset",
            "mnist",
            "--data",
            tmp.resolve("no-data")),
        "the model in "
            + fashionModel
            + " was trained on fashion-mnist, but --dataset says mnist: leave --dataset out or give"
            + " --dataset fashion-mnist");
    // Without --dataset, the model's own set is used.
    CliTest.Result r = lenet("evaluate", "--model", modelRecordedAs("mnist"), "--data", data);
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("mnist test, 64 images");
  }

  @Test
  void anUnusableEvaluateOutStopsBeforeTheEvaluation() throws IOException {
    CliTest.Result proc = lenet("evaluate", "--model", run, "--data", data, "--out", "/proc/foo");
    assertThat(proc.status()).isEqualTo(Lenet.USER_ERROR);
    assertThat(proc.err()).startsWith("lenet: cannot create /proc/foo: ");
    assertThat(proc.out()).isEmpty();

    Path file = Files.writeString(tmp.resolve("afile"), "not a directory");
    CliTest.Result sub =
        lenet("evaluate", "--model", run, "--data", data, "--out", file.resolve("sub"));
    assertUserError(sub, "cannot create " + file.resolve("sub") + ": not a directory");
    assertThat(sub.out()).isEmpty();

    // A failure after --out is made (the data) leaves no empty directory, parents included.
    Path out = tmp.resolve("new/eval");
    CliTest.Result noData =
        lenet("evaluate", "--model", run, "--data", tmp.resolve("no-data"), "--out", out);
    assertThat(noData.status()).isEqualTo(Lenet.USER_ERROR);
    assertThat(tmp.resolve("new")).doesNotExist();
  }

  /** Synthetic data is no published set: said once in each header line and in metrics.json. */
  @Test
  void dataThatIsNotThePublishedSetIsSaidToBe() throws IOException {
    assertThat(trained.out())
        .contains(
            "training LeNet (61,706 parameters) on fashion-mnist: 256 train / 64 test images (files"
                + " not recognised as the published fashion-mnist)"
                + System.lineSeparator());
    assertThat(trained.out().split("not recognised", -1)).hasSize(2);
    JsonNode metrics = new ObjectMapper().readTree(run.resolve("metrics.json").toFile());
    assertThat(metrics.get("dataset").asText()).isEqualTo("fashion-mnist");
    assertThat(metrics.get("data_recognised").asBoolean(true)).isFalse();

    CliTest.Result r = lenet("evaluate", "--model", run, "--data", data);
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .startsWith(
            "fashion-mnist test, 64 images (files not recognised as the published fashion-mnist)"
                + System.lineSeparator());

    Path fashion = RealData.fashionMnist();
    CliTest.Result real =
        lenet("evaluate", "--model", modelRecordedAs("fashion-mnist"), "--data", fashion);
    assertThat(real.status()).as(real.err()).isZero();
    assertThat(real.out()).startsWith("fashion-mnist test, 10000 images" + System.lineSeparator());
  }

  @Test
  void aLockFileThatIsADirectoryIsNamed() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("d").resolve(DirectoryLock.FILE)).getParent();
    assertUserError(
        lenet("train", "--epochs", 1, "--data", data, "--out", dir),
        "cannot lock "
            + dir
            + " through its lock file "
            + dir.resolve(DirectoryLock.FILE)
            + ": is a directory; it must be a file: remove that directory or use another run"
            + " directory");
  }

  @Test
  void aNegativeThreadCountIsRefusedInTheFlagsTerms() {
    String message = "--threads must be >= 0 (0 = every core), found -1";
    assertUserError(lenet("train", "--threads", -1, "--data", data), message);
    assertUserError(lenet("bench", "--threads", -1, "--data", data), message);
  }

  /** Help is 80 columns wide; a break inside "~/.cache" made the path unusable. */
  @Test
  void helpKeepsTheDataPathsWhole() {
    for (String command : List.of("train", "evaluate")) {
      CliTest.Result r = lenet(command, "--help");
      assertThat(r.status()).isZero();
      assertThat(r.out().lines().map(String::strip))
          .as(r.out())
          .noneMatch(line -> line.endsWith("~/."))
          .anyMatch(line -> line.startsWith("~/.cache/lenet/<dataset>"))
          .anyMatch(line -> line.startsWith("/usr/share/datasets/<dataset>"));
    }
  }

  /**
   * The launcher's default JVM flags live in jvm.options alone: ./lenet and the bench scripts read
   * that file instead of spelling the flags out, and docs/cli.md gives them.
   */
  @Test
  void theLaunchersJavaOptionsLiveInOneFile() throws IOException {
    assertThat(Files.readString(Path.of("../lenet")))
        .contains("${LENET_JAVA_OPTS:-\"@$root/jvm.options\"}");
    String flags =
        Files.readAllLines(Path.of("../jvm.options")).stream()
            .filter(line -> !line.isBlank() && !line.startsWith("#"))
            .collect(Collectors.joining(" "));
    assertThat(flags).contains("-XX:+UseSerialGC");
    List<Path> readers = new ArrayList<>(List.of(Path.of("../lenet")));
    try (Stream<Path> bench = Files.list(Path.of("../bench"))) {
      bench.filter(Files::isRegularFile).forEach(readers::add);
    }
    readers.add(Path.of("../benchmarks/src/main/java/dev/lenet/benchmarks/ServeLoad.java"));
    for (Path reader : readers) {
      assertThat(Files.readString(reader)).as(reader.toString()).doesNotContain(flags);
    }
    String docs = Files.readString(Path.of("../docs/cli.md")).replaceAll("\\s+", " ");
    assertThat(docs)
        .contains(
            "`jvm.options` at the repository's root, `" + flags + "`, and setting it replaces");
  }

  /** A copy of the trained model whose record says it was trained on {@code name}. */
  private static Path modelRecordedAs(String name) throws IOException {
    Path copy = tmp.resolve("as-" + name);
    if (Files.exists(copy)) {
      return copy;
    }
    Path from = run.resolve("model");
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : paths.toList()) {
        Files.copy(p, copy.resolve(from.relativize(p).toString()));
      }
    }
    ObjectMapper json = new ObjectMapper();
    ObjectNode meta = (ObjectNode) json.readTree(copy.resolve("model.json").toFile());
    ((ObjectNode) meta.get("data")).put("name", name);
    json.writeValue(copy.resolve("model.json").toFile(), meta);
    return copy;
  }

  /** {@code lenet ARGS} in a JVM of its own that halts at {@code halt} ({@link CrashingLenet}). */
  private static Process crashingLenet(HaltAt halt, Object... args) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command =
        new ArrayList<>(List.of(java, "-cp", cp, CrashingLenet.class.getName(), halt.toString()));
    for (Object a : args) {
      command.add(String.valueOf(a));
    }
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    return pb.redirectOutput(tmp.resolve("killed.log").toFile()).start();
  }
}
