package dev.lenet.tf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.lenet.api.data.FashionMnist;
import dev.lenet.api.data.ImageDataset;
import dev.lenet.api.data.TrainingData;
import dev.lenet.api.internal.Checkpoints;
import dev.lenet.api.spec.LeNet;
import dev.lenet.api.train.Checkpoint;
import dev.lenet.api.train.CheckpointPolicy;
import dev.lenet.api.train.EpochMetrics;
import dev.lenet.api.train.Evaluation;
import dev.lenet.api.train.Prediction;
import dev.lenet.api.train.TrainingConfig;
import dev.lenet.api.train.TrainingListener;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Files written by lenet 0.1.0 (commit 47551a5) still load and resume, with the results that code
 * gave: a run directory of {@code lenet train} (its saved model and checkpoint) and three stopped
 * runs' checkpoints (the book's LeNet with SGD; a narrow LeNet with momentum and with Adam, whose
 * optimizer state is in the checkpoint). The fixtures, the data they were trained on and how they
 * were written are in {@code src/test/resources/compat/v0.1.0} (see its README.md); {@code
 * expected.json} there holds what that code computed from them, compared here bit for bit.
 *
 * <p>Every recorded run used one thread, on this project's 2-core x86-64 machine. A CPU with other
 * vector instructions can make TensorFlow's kernels round differently; if this test fails only on
 * such a machine and nothing else changed, that is the reason, not a format break.
 */
class CompatibilityTest {

  /** The parameters of {@link LeNet#classic()}, by the names 0.1.0 gave them in its files. */
  static final List<String> LENET_WEIGHTS =
      List.of(
          "layer1.weight",
          "layer1.bias",
          "layer4.weight",
          "layer4.bias",
          "layer8.weight",
          "layer8.bias",
          "layer10.weight",
          "layer10.bias",
          "layer12.weight",
          "layer12.bias");

  static Path fixtures;
  static JsonNode expected;
  static TrainingData data;

  @TempDir Path tmp;

  @BeforeAll
  static void readFixtures() throws IOException, URISyntaxException {
    fixtures =
        Path.of(CompatibilityTest.class.getResource("/compat/v0.1.0/expected.json").toURI())
            .getParent();
    expected = JsonMapper.builder().build().readTree(fixtures.resolve("expected.json").toFile());
    data = FashionMnist.load(fixtures.resolve("data"));
    // The loader passes over an incomplete directory; make sure these are the fixture's files.
    assertThat(data.train().size()).as("training images in " + data.train()).isEqualTo(512);
    assertThat(data.test().size()).as("test images in " + data.test()).isEqualTo(128);
  }

  @Test
  void theSavedModelLoadsAndPredictsTheRecordedProbabilitiesBitForBit() {
    JsonNode want = expected.get("model");
    try (TfModel model = TfModel.load(fixtures.resolve("run/model"))) {
      assertThat(model.spec()).isEqualTo(LeNet.classic());
      assertThat(model.classNames()).isEqualTo(data.train().classNames());
      assertThat(model.config())
          .isEqualTo(TrainingConfig.book().toBuilder().epochs(2).threads(1).build());
      assertHistory(model.history(), want.get("history"));

      Map<String, float[]> weights = model.weights();
      assertThat(weights.keySet()).containsExactlyInAnyOrderElementsOf(LENET_WEIGHTS);
      assertThat(hashes(weights)).isEqualTo(strings(want.get("weights_sha256")));

      List<Prediction> predictions = model.predict(inputs(data.test()), 10);
      List<List<String>> bits = new ArrayList<>();
      for (Prediction p : predictions) {
        bits.add(p.probabilities().stream().map(CompatibilityTest::hex).toList());
      }
      assertThat(bits).isEqualTo(stringLists(want.get("probabilities_bits")));
      assertThat(predictions.stream().map(Prediction::predictedClass))
          .containsExactlyElementsOf(ints(want.get("predicted_classes")));

      Evaluation evaluation = model.evaluate(data.test());
      assertThat(hex(evaluation.accuracy())).isEqualTo(want.get("test_accuracy_bits").asText());
      List<List<Long>> confusion = new ArrayList<>();
      want.get("confusion")
          .forEach(row -> confusion.add(ints(row).stream().map(Integer::longValue).toList()));
      assertThat(evaluation.confusion()).isEqualTo(confusion);
    }
  }

  /** The run's last checkpoint and its saved model hold the same trained state. */
  @Test
  void theRunsCheckpointHoldsTheSavedModelsWeights() {
    JsonNode want = expected.get("run_checkpoint");
    Checkpoint checkpoint = Checkpoints.latest(fixtures.resolve("run/checkpoints")).orElseThrow();
    assertThat(checkpoint.epoch()).isEqualTo(want.get("epoch").asInt());
    assertThat(checkpoint.spec()).isEqualTo(LeNet.classic());
    assertThat(checkpoint.config().epochs()).isEqualTo(2);
    assertHistory(checkpoint.history(), want.get("history"));
    assertThat(hashes(checkpoint.tensors())).isEqualTo(strings(want.get("tensors_sha256")));
    try (TfModel model = TfModel.load(fixtures.resolve("run/model"))) {
      Map<String, float[]> weights = model.weights();
      for (String name : LENET_WEIGHTS) {
        assertThat(checkpoint.tensors().get(name)).as(name).containsExactly(weights.get(name));
      }
    }
  }

  /**
   * Each stopped run (3 epochs, stopped after epoch 2) resumes from a copy of its checkpoint to the
   * metrics and weights 0.1.0 reached, which were also those of an uninterrupted run.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {"checkpoints", "optimizer-checkpoints/momentum", "optimizer-checkpoints/adam"})
  void aStoppedRunResumesFromItsCheckpointToTheRecordedResult(String dir) throws IOException {
    JsonNode want = expected.get("resumed").get(dir);
    Path fixture = fixtures.resolve(dir);
    Path copy = tmp.resolve("checkpoints");
    copyTree(fixture, copy);

    Checkpoint start = Checkpoints.latest(copy).orElseThrow();
    assertThat(start.epoch()).isEqualTo(want.get("from_epoch").asInt());
    assertThat(start.config().epochs()).isEqualTo(3);
    assertThat(start.config().intraOpThreads()).isEqualTo(1);
    assertThat(start.config().interOpThreads()).isEqualTo(1);
    if (dir.equals("checkpoints")) {
      assertThat(start.spec()).isEqualTo(LeNet.classic());
      assertThat(start.tensors().keySet()).containsExactlyInAnyOrderElementsOf(LENET_WEIGHTS);
    }

    // Compared exactly: one-thread resumed runs gave the same bits alone and after other tests in
    // the same JVM, whose sessions size TensorFlow's process-wide thread pools and kernel caches.
    try (TfModel resumed =
        new TfTrainer().resume(data, TrainingListener.NONE, CheckpointPolicy.everyEpoch(copy))) {
      assertHistory(resumed.history(), want.get("history"));
      assertThat(hashes(resumed.weights())).isEqualTo(strings(want.get("weights_sha256")));
    }
    assertThat(list(copy)).containsExactly(".lock", "epoch-0003");
    assertThat(list(fixture)).containsExactly("epoch-0002");
  }

  /** The first 8 test images (pixels / 255, as batches scale them), an all-0 and an all-1 image. */
  static float[] inputs(ImageDataset test) {
    int size = (int) test.imageShape().size();
    float[] images = new float[10 * size];
    for (int i = 0; i < 8; i++) {
      for (int k = 0; k < size; k++) {
        images[i * size + k] = test.pixel(i, k) / 255f;
      }
    }
    java.util.Arrays.fill(images, 9 * size, 10 * size, 1f);
    return images;
  }

  /** Compares loss and accuracies by their bits; timings are not compared. */
  static void assertHistory(List<EpochMetrics> actual, JsonNode want) {
    assertThat(actual).hasSize(want.size());
    for (int e = 0; e < actual.size(); e++) {
      EpochMetrics m = actual.get(e);
      JsonNode w = want.get(e);
      String epoch = "epoch " + (e + 1);
      assertThat(m.epoch()).as(epoch).isEqualTo(w.get("epoch").asInt());
      assertThat(hex(m.trainLoss()))
          .as(epoch + " train loss %s, recorded %s", m.trainLoss(), w.get("train_loss"))
          .isEqualTo(w.get("train_loss_bits").asText());
      assertThat(hex(m.trainAccuracy()))
          .as(epoch + " train accuracy %s, recorded %s", m.trainAccuracy(), w.get("train_accuracy"))
          .isEqualTo(w.get("train_accuracy_bits").asText());
      assertThat(hex(m.testAccuracy()))
          .as(epoch + " test accuracy %s, recorded %s", m.testAccuracy(), w.get("test_accuracy"))
          .isEqualTo(w.get("test_accuracy_bits").asText());
    }
  }

  /** SHA-256 of each tensor's floats as big-endian bytes, in hex. */
  static Map<String, String> hashes(Map<String, float[]> tensors) {
    Map<String, String> out = new LinkedHashMap<>();
    tensors.forEach(
        (name, values) -> {
          ByteBuffer bytes = ByteBuffer.allocate(values.length * 4);
          bytes.asFloatBuffer().put(values);
          try {
            out.put(
                name,
                HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.array())));
          } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
          }
        });
    return out;
  }

  static String hex(float f) {
    return String.format("%08x", Float.floatToIntBits(f));
  }

  static String hex(double d) {
    return String.format("%016x", Double.doubleToLongBits(d));
  }

  static Map<String, String> strings(JsonNode object) {
    Map<String, String> out = new LinkedHashMap<>();
    object.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  static List<List<String>> stringLists(JsonNode rows) {
    List<List<String>> out = new ArrayList<>();
    rows.forEach(
        row -> {
          List<String> r = new ArrayList<>();
          row.forEach(v -> r.add(v.asText()));
          out.add(r);
        });
    return out;
  }

  static List<Integer> ints(JsonNode array) {
    List<Integer> out = new ArrayList<>();
    array.forEach(v -> out.add(v.asInt()));
    return out;
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  static List<String> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
