package dev.lenet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lenet.api.data.SyntheticData;
import dev.lenet.api.train.CheckpointHook;
import dev.lenet.tf.EventFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each subcommand through the real entry point: arguments in, files and exit status out. */
class CliTest {

  @TempDir static Path tmp;
  static Path data;
  static Path run;
  static Result trained;

  record Result(int status, String out, String err) {}

  /** Runs the command line as {@code main} would, with this process's environment. */
  static Result lenet(Object... args) {
    return lenet(System.getenv(), args);
  }

  /** Runs the command line with {@code environment} in place of this process's. */
  static Result lenet(Map<String, String> environment, Object... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] strings = java.util.Arrays.stream(args).map(String::valueOf).toArray(String[]::new);
    int status =
        Lenet.run(
            strings,
            new PrintWriter(out),
            new PrintWriter(err),
            false,
            CheckpointHook.NONE,
            environment);
    return new Result(status, out.toString(), err.toString());
  }

  @BeforeAll
  static void trainOnce() throws IOException {
    data = SyntheticData.write(tmp.resolve("data"), 512, 128);
    run = tmp.resolve("run");
    trained = lenet("train", "--epochs", 2, "--data", data, "--out", run, "--seed", 1);
  }

  @Test
  void trainWritesARunDirectory() throws IOException {
    assertThat(trained.status()).as(trained.err()).isZero();
    assertThat(trained.out())
        .contains(
            "training LeNet (61,706 parameters) on fashion-mnist: 512 train / 128 test images")
        .contains("epoch 1/2: loss ")
        .contains("epoch 2/2: loss ")
        .containsPattern("examples/sec on cpu");
    JsonNode metrics = new ObjectMapper().readTree(run.resolve("metrics.json").toFile());
    assertThat(metrics.get("epochs")).hasSize(2);
    assertThat(metrics.get("epochs").get(1).get("epoch").asInt()).isEqualTo(2);
    assertThat(metrics.get("epochs").get(0).has("examples_per_sec")).isTrue();
    assertThat(metrics.get("config").get("learningRate").asDouble()).isEqualTo(0.9);
    assertThat(metrics.get("device").asText()).isEqualTo("cpu");
    assertThat(metrics.get("execution").get("towers").asInt()).isPositive();
    assertThat(metrics.get("execution").get("fast_paths").get(0).asText())
        .isEqualTo("convolution stages: layers 1-6 as 2 stages (blocks 4, 2)");
    List<String> csv = Files.readAllLines(run.resolve("metrics.csv"));
    assertThat(csv).hasSize(3);
    assertThat(csv.get(0)).isEqualTo("epoch,loss,train_acc,test_acc,examples_per_sec,seconds");
    BufferedImage curves = ImageIO.read(run.resolve("curves.png").toFile());
    assertThat(curves.getWidth()).isEqualTo(800);
    assertThat(curves.getHeight()).isEqualTo(500);
    assertThat(run.resolve("model/saved_model/saved_model.pb")).isRegularFile();
    List<Path> events = EventFiles.in(run.resolve("tensorboard"));
    assertThat(events).hasSize(1);
    assertThat(EventFiles.read(events.get(0)).get(0).getFileVersion()).isEqualTo("brain.Event:2");
    var scalars = EventFiles.scalarsByStep(run.resolve("tensorboard"));
    assertThat(scalars.keySet()).containsExactly(1L, 2L);
    for (int e = 0; e < 2; e++) {
      JsonNode row = metrics.get("epochs").get(e);
      assertThat(scalars.get(e + 1L))
          .containsEntry("loss", (float) row.get("loss").asDouble())
          .containsEntry("train_acc", (float) row.get("train_acc").asDouble())
          .containsEntry("test_acc", (float) row.get("test_acc").asDouble())
          .containsEntry("examples_per_sec", (float) row.get("examples_per_sec").asDouble());
    }
  }

  /** {@code --net batchnorm} trains the book's batch-normalization LeNet with its lr 1.0. */
  @Test
  void trainTakesTheBooksNextLeNets() throws IOException {
    Path bn = tmp.resolve("bn");
    Result r = lenet("train", "--net", "batchnorm", "--epochs", 1, "--data", data, "--out", bn);
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("training batchnorm LeNet (");
    JsonNode metrics = new ObjectMapper().readTree(bn.resolve("metrics.json").toFile());
    assertThat(metrics.get("config").get("learningRate").asDouble()).isEqualTo(1.0);
    // Its stages have batch normalization, the first's taken from its patches; its dense layers
    // are followed by it, so none is fused. Its average pools' gradients go through the sigmoids'
    // in lenet-tf's native kernel, and the second stage's batch norm runs in two more (CI builds on
    // Linux x86-64, which has them).
    assertThat(metrics.get("execution").get("fast_paths").toString())
        .isEqualTo(
            "[\"convolution stages: layers 1-8 as 2 stages (blocks 4, 2)\","
                + "\"batch norm of layer 2 from its convolution's patches\","
                + "\"activation and average-pool gradients in one native kernel: layers 3-4, 7-8\","
                + "\"batch norm's scale and shift, and their input gradient, in native kernels:"
                + " layers 6\"]");
    Result both = lenet("train", "--net", "modern", "--spec", bn.resolve("model/spec.json"));
    assertThat(both.status()).isEqualTo(Lenet.USER_ERROR);
    assertThat(both.err()).contains("--net and --spec name two networks");
  }

  /** The batch-normalization LeNet's table and shapes, BatchNorm2d and BatchNorm1d named. */
  @Test
  void summaryShowsTheBatchNormLeNet() {
    Result r = lenet("summary", "--net", "batchnorm");
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("BatchNorm2d output shape: (1, 6, 24, 24)")
        .contains("BatchNorm1d output shape: (1, 84)")
        .contains("Total params: 44,878");
  }

  @Test
  void summaryPrintsTheTableAndTheBooksShapes() {
    Result r = lenet("summary");
    assertThat(r.status()).isZero();
    assertThat(r.out())
        .contains("Total params: 61,706")
        .contains("Conv2d output shape: (1, 6, 28, 28)")
        .contains("Linear output shape: (1, 10)");
    assertThat(lenet("summary", "--json").out()).contains("\"type\" : \"conv2d\"");
  }

  @Test
  void evaluateReportsAndDrawsTheConfusionMatrix() throws IOException {
    Path out = tmp.resolve("eval");
    for (Path model : List.of(run, run.resolve("model"))) {
      Result r = lenet("evaluate", "--model", model, "--data", data, "--out", out);
      assertThat(r.status()).as(r.err()).isZero();
      assertThat(r.out())
          .contains("fashion-mnist test, 128 images")
          .contains("accuracy ")
          .contains("Ankle boot")
          .contains("confusion (rows: actual, columns: predicted)");
    }
    BufferedImage png = ImageIO.read(out.resolve("confusion.png").toFile());
    assertThat(png.getWidth()).isGreaterThan(500);
    assertThat(out.resolve("evaluation.txt")).isRegularFile();
  }

  @Test
  void predictClassifiesPngAndJpegOfAnySize() throws IOException {
    Path png = tmp.resolve("small.png");
    BufferedImage gray = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
    ImageIO.write(gray, "png", png.toFile());
    Path jpeg = tmp.resolve("big colour.jpg");
    BufferedImage colour = new BufferedImage(100, 60, BufferedImage.TYPE_INT_RGB);
    colour.getGraphics().fillRect(10, 10, 50, 20);
    ImageIO.write(colour, "jpg", jpeg.toFile());
    Result r = lenet("predict", "--model", run, "--top", 2, png, jpeg);
    assertThat(r.status()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0))
        .startsWith(png + ": ")
        .matches(".*: [^,]+ 0\\.\\d{3}, [^,]+ 0\\.\\d{3}");
    assertThat(lines.get(1)).startsWith(jpeg + ": ");
  }

  private static void assertUserError(Result r, String... fragments) {
    assertThat(r.status()).as(r.out() + r.err()).isEqualTo(Lenet.USER_ERROR);
    assertThat(r.err()).startsWith("lenet: ").doesNotContain("\tat ").doesNotContain("Exception");
    for (String f : fragments) {
      assertThat(r.err()).contains(f);
    }
  }

  @Test
  void badFlagsAreUserErrors() {
    assertUserError(lenet("train", "--bogus"), "Unknown option: '--bogus'", "lenet train --help");
    assertUserError(lenet("train", "--epochs", "ten"), "'ten' is not an int");
    assertUserError(lenet("train", "--epochs", 0, "--data", data), "epochs must be > 0, found 0");
    assertUserError(lenet("train", "--device", "tpu", "--data", data), "unknown device 'tpu'");
    assertUserError(lenet("train", "--optimizer", "rmsprop"), "rmsprop");
    assertUserError(lenet("train", "--dataset", "cifar"), "unknown data set 'cifar'");
    assertUserError(lenet(), "a command is needed");
    assertUserError(lenet("predict", "--model", run), "FILE");
  }

  @Test
  void missingAndCorruptFilesAreUserErrors() throws IOException {
    Path broken = SyntheticData.write(tmp.resolve("broken"), 64, 16);
    Path labels = broken.resolve("t10k-labels-idx1-ubyte.gz");
    byte[] bytes = Files.readAllBytes(labels);
    Files.write(labels, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    assertUserError(
        lenet("train", "--epochs", 1, "--data", broken, "--out", tmp.resolve("x")),
        labels.toString());
    assertUserError(
        lenet("evaluate", "--model", tmp.resolve("no-such-model")),
        "no-such-model: does not exist");
    Path notImage = Files.writeString(tmp.resolve("notes.png"), "hello");
    assertUserError(
        lenet("predict", "--model", run, notImage),
        "notes.png: not an image in a format this reader knows");
    assertUserError(
        lenet("predict", "--model", run, tmp.resolve("missing.png")), "missing.png: no such file");
    assertUserError(
        lenet("train", "--data", data, "--out", run),
        "already holds a run",
        "choose another --out");
    Path badSpec = Files.writeString(tmp.resolve("spec.json"), "{\"format\": 1,");
    assertUserError(lenet("summary", "--spec", badSpec), "spec.json, line 1");
  }

  @Test
  void verboseAddsTheStackTrace() {
    Result r = lenet("evaluate", "--verbose", "--model", tmp.resolve("no-such-model"));
    assertThat(r.status()).isEqualTo(Lenet.USER_ERROR);
    assertThat(r.err()).contains("\tat ");
  }

  @Test
  void everySubcommandHasHelp() {
    for (String command : List.of("train", "summary", "evaluate", "predict")) {
      Result r = lenet(command, "--help");
      assertThat(r.status()).isZero();
      assertThat(r.out()).startsWith("Usage: lenet " + command);
    }
  }
}
