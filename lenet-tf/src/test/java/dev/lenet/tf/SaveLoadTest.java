package dev.lenet.tf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lenet.api.spec.ModelSpec;
import dev.lenet.api.spec.SpecJson;
import dev.lenet.api.train.ModelFormatException;
import dev.lenet.api.train.Prediction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

class SaveLoadTest {

  @TempDir static Path tmp;
  static Path saved;
  static float[] images;
  static List<Prediction> expected;

  @BeforeAll
  static void trainAndSave() throws IOException {
    try (TfModel model =
        new TfTrainer()
            .train(TrainingTest.smallNet(), TrainingTest.QUADRANTS, TrainingTest.quick().build())) {
      saved = tmp.resolve("model");
      model.save(saved);
      images = new float[20 * 144];
      System.arraycopy(
          TrainingTest.QUADRANTS.test().batches(20).inOrder().iterator().next().images(),
          0,
          images,
          0,
          images.length);
      expected = model.predict(images, 20);
    }
  }

  @Test
  void aLoadedModelPredictsBitForBitTheSame() {
    try (TfModel loaded = TfModel.load(saved)) {
      assertThat(loaded.predict(images, 20)).isEqualTo(expected);
      assertThat(loaded.spec()).isEqualTo(TrainingTest.smallNet());
      assertThat(loaded.classNames()).containsExactly("c0", "c1", "c2", "c3");
      assertThat(loaded.history()).hasSize(3);
      assertThat(loaded.config()).isEqualTo(TrainingTest.quick().build());
    }
  }

  @Test
  void theSavedModelServesThroughItsSignatureWithPlainTensorFlowJava() {
    try (SavedModelBundle bundle =
            SavedModelBundle.load(saved.resolve("saved_model").toString(), "serve");
        TFloat32 x =
            TFloat32.tensorOf(
                org.tensorflow.ndarray.Shape.of(20, 12, 12, 1),
                DataBuffers.of(images, true, false));
        Result r = bundle.function("serving_default").call(Map.of("images", x))) {
      TFloat32 probabilities = (TFloat32) r.get("probabilities").orElseThrow();
      assertThat(r.get("logits")).isPresent();
      for (int i = 0; i < 20; i++) {
        for (int c = 0; c < 4; c++) {
          assertThat(probabilities.getFloat(i, c))
              .isEqualTo(expected.get(i).probabilities().get(c));
        }
      }
    }
  }

  /**
   * The session's graph runs fused kernels ({@code _FusedMatMul}), which are internal to
   * TensorFlow; the export holds the standard ops, for any TensorFlow runtime to load and optimize.
   */
  @Test
  void theSavedModelHoldsOnlyTensorFlowsPublicOps() {
    try (SavedModelBundle bundle =
        SavedModelBundle.load(saved.resolve("saved_model").toString(), "serve")) {
      List<String> internal = new ArrayList<>();
      bundle
          .graph()
          .operations()
          .forEachRemaining(
              op -> {
                if (op.type().startsWith("_")) {
                  internal.add(op.name() + " (" + op.type() + ")");
                }
              });
      assertThat(internal).isEmpty();
      assertThat(bundle.graph().operation("MatMul")).isNotNull();
    }
  }

  @Test
  void theDirectoryHoldsAServableSavedModelAndNoTrainingData() throws IOException {
    assertThat(saved.resolve("saved_model/saved_model.pb")).isRegularFile();
    assertThat(saved.resolve("spec.json")).isRegularFile();
    assertThat(saved.resolve("model.json")).isRegularFile();
    long bytes;
    try (Stream<Path> files = Files.walk(saved.resolve("saved_model/variables"))) {
      bytes = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
    // 1,204 float parameters; the 172,800 bytes of training images must not be in there.
    assertThat(bytes).isLessThan(20_000);
    try (Stream<Path> siblings = Files.list(tmp)) {
      assertThat(siblings.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.contains(".saving-") || n.contains(".old-"));
    }
  }

  @Test
  void savingOverAnOlderModelReplacesIt() throws IOException {
    Path dir = tmp.resolve("copies").resolve("m");
    try (TfModel loaded = TfModel.load(saved)) {
      loaded.save(dir);
      loaded.save(dir);
    }
    try (TfModel again = TfModel.load(dir)) {
      assertThat(again.predict(images, 20)).isEqualTo(expected);
    }
    try (Stream<Path> files = Files.list(dir.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("m");
    }
  }

  private static Path copy(String name) throws IOException {
    Path dir = tmp.resolve("broken-" + name);
    try (Stream<Path> files = Files.walk(saved)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path to = dir.resolve(saved.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    }
    return dir;
  }

  @Test
  void missingPiecesAreNamed() throws IOException {
    assertThatThrownBy(() -> TfModel.load(tmp.resolve("nowhere")))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("nowhere: does not exist");
    Path noMeta = copy("meta");
    Files.delete(noMeta.resolve("model.json"));
    assertThatThrownBy(() -> TfModel.load(noMeta))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("missing model.json");
    Path noSpec = copy("spec");
    Files.delete(noSpec.resolve("spec.json"));
    assertThatThrownBy(() -> TfModel.load(noSpec))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("missing spec.json");
    Path noGraph = copy("graph");
    Files.delete(noGraph.resolve("saved_model/saved_model.pb"));
    assertThatThrownBy(() -> TfModel.load(noGraph))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("missing saved_model/saved_model.pb");
  }

  @Test
  void aSpecThatDoesNotMatchTheWeightsIsRefused() throws IOException {
    Path dir = copy("mismatch");
    ModelSpec wider = TrainingTest.smallNet(8);
    SpecJson.write(wider, dir.resolve("spec.json"));
    assertThatThrownBy(() -> TfModel.load(dir))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("variable layer1_weight has shape [3, 3, 1, 4]")
        .hasMessageContaining("spec.json needs [3, 3, 1, 8] for layer1.weight")
        .hasMessageContaining("does not match the saved weights");
  }

  @Test
  void aNewerFormatSaysToUpgrade() throws IOException {
    Path dir = copy("newer");
    Path meta = dir.resolve("model.json");
    Files.writeString(meta, Files.readString(meta).replace("\"format\" : 1", "\"format\" : 99"));
    assertThatThrownBy(() -> TfModel.load(dir))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("model format 99")
        .hasMessageContaining("upgrade lenet");
  }
}
