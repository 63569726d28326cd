package dev.lenet.cli;

import static dev.lenet.cli.CliTest.lenet;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lenet.api.data.ImageDataset;
import dev.lenet.api.data.RealData;
import dev.lenet.api.data.SyntheticData;
import dev.lenet.api.data.TrainingData;
import dev.lenet.api.spec.ModelSpec;
import dev.lenet.api.spec.Shape;
import dev.lenet.api.train.TrainingConfig;
import dev.lenet.tf.TfModel;
import dev.lenet.tf.TfTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model records its data set, and {@code lenet evaluate} refuses data that is not what the
 * model was trained on: another known set (recognised by checksums), another number of classes or
 * another image shape. Models that record no data set (lenet 0.1.0's) get the shape and class
 * checks only.
 */
class EvaluateDataCheckTest {

  @TempDir static Path tmp;
  static Path data;
  static Path run;

  private static void assertUserError(CliTest.Result r, String message) {
    assertThat(r.status()).as(r.out() + r.err()).isEqualTo(Lenet.USER_ERROR);
    assertThat(r.err()).isEqualTo("lenet: " + message + System.lineSeparator());
  }

  @BeforeAll
  static void trainOnce() throws IOException {
    data = SyntheticData.write(tmp.resolve("data"), 128, 32);
    run = tmp.resolve("run");
    CliTest.Result r =
        lenet("train", "--epochs", 1, "--batch-size", 64, "--data", data, "--out", run);
    assertThat(r.status()).as(r.err()).isZero();
  }

  /** A copy of the trained model whose record says it was trained on {@code name}. */
  private static Path modelRecordedAs(String name) throws IOException {
    Path copy = tmp.resolve("as-" + name);
    copyTree(run.resolve("model"), copy);
    ObjectMapper json = new ObjectMapper();
    ObjectNode meta = (ObjectNode) json.readTree(copy.resolve("model.json").toFile());
    ((ObjectNode) meta.get("data")).put("name", name);
    json.writeValue(copy.resolve("model.json").toFile(), meta);
    return copy;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (var paths = Files.walk(from)) {
      for (Path p : paths.toList()) {
        Files.copy(p, to.resolve(from.relativize(p).toString()));
      }
    }
  }

  @Test
  void theModelRecordsTheDataSetItWasTrainedOn() throws IOException {
    JsonNode meta = new ObjectMapper().readTree(run.resolve("model/model.json").toFile());
    JsonNode recorded = meta.get("data");
    assertThat(recorded.get("name").isNull()).as("synthetic data is no known set").isTrue();
    assertThat(recorded.get("sha256").size()).isEqualTo(4);
    assertThat(recorded.get("sha256").get("train-images-idx3-ubyte").asText()).hasSize(64);
  }

  @Test
  void aModelOfOneKnownSetIsNotEvaluatedOnAnother() throws IOException {
    Path fashion = RealData.fashionMnist();
    Path mnistModel = modelRecordedAs("mnist");
    String message =
        "the model in "
            + mnistModel
            + " was trained on mnist, but "
            + fashion
            + " holds fashion-mnist (recognised by the checksums of its files): evaluate it on"
            + " mnist";
    assertUserError(lenet("evaluate", "--model", mnistModel, "--data", fashion), message);
    assertUserError(
        lenet("evaluate", "--model", mnistModel, "--data", fashion, "--dataset", "mnist"), message);
  }

  @Test
  void aModelOfTheSameKnownSetIsEvaluated() throws IOException {
    Path fashion = RealData.fashionMnist();
    CliTest.Result r =
        lenet("evaluate", "--model", modelRecordedAs("fashion-mnist"), "--data", fashion);
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("fashion-mnist test, 10000 images");
  }

  @Test
  void knownDataReadAsAnotherSetIsRefused() {
    Path fashion = RealData.fashionMnist();
    String message =
        fashion
            + " holds fashion-mnist (recognised by the checksums of its files), not mnist: load it"
            + " as fashion-mnist (--dataset fashion-mnist)";
    assertUserError(
        lenet("train", "--dataset", "mnist", "--data", fashion, "--out", tmp.resolve("mnist-run")),
        message);
    assertUserError(
        lenet("evaluate", "--model", run, "--dataset", "mnist", "--data", fashion), message);
  }

  @Test
  void aModelForThreeClassesIsNotEvaluatedOnTen() throws IOException {
    Path model = tmp.resolve("three-classes");
    saveTrained(ModelSpec.builder().input(1, 28, 28).flatten().dense(3).build(), 28, 3, model);
    CliTest.Result r =
        lenet("evaluate", "--model", model, "--dataset", "fashion-mnist", "--data", data);
    assertUserError(
        r,
        "the model tells 3 classes apart but fashion-mnist test has 10 (T-shirt/top, Trouser,"
            + " Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag, Ankle boot)");
  }

  @Test
  void aModelForOtherImagesIsNotEvaluatedOnThese() throws IOException {
    Path model = tmp.resolve("small-images");
    saveTrained(ModelSpec.builder().input(1, 12, 12).flatten().dense(10).build(), 12, 10, model);
    CliTest.Result r =
        lenet("evaluate", "--model", model, "--dataset", "fashion-mnist", "--data", data);
    assertThat(r.status()).as(r.out() + r.err()).isEqualTo(Lenet.USER_ERROR);
    assertThat(r.err()).contains("the model takes").contains("fashion-mnist test holds");
  }

  @Test
  void aModelSavedByVersion010HasNoRecordAndIsEvaluated() {
    Path compat = Path.of("../lenet-tf/src/test/resources/compat/v0.1.0");
    CliTest.Result r =
        lenet("evaluate", "--model", compat.resolve("run"), "--data", compat.resolve("data"));
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("fashion-mnist test, 128 images").contains("accuracy ");
  }

  /** Trains {@code spec} for one epoch on random images built in memory, and saves it. */
  private static void saveTrained(ModelSpec spec, int size, int classes, Path dir)
      throws IOException {
    TrainingData random = new TrainingData(images(size, classes, 1), images(size, classes, 2));
    TrainingConfig config = TrainingConfig.builder().epochs(1).batchSize(16).threads(1).build();
    try (TfModel model = new TfTrainer().train(spec, random, config)) {
      model.save(dir);
    }
  }

  private static ImageDataset images(int size, int classes, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int n = 32;
    byte[] pixels = new byte[n * size * size];
    byte[] labels = new byte[n];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) r.nextInt(256);
    }
    for (int i = 0; i < n; i++) {
      labels[i] = (byte) r.nextInt(classes);
    }
    List<String> names =
        java.util.stream.IntStream.range(0, classes).mapToObj(i -> "c" + i).toList();
    return new ImageDataset("random", Shape.image(1, size, size), pixels, labels, names);
  }
}
