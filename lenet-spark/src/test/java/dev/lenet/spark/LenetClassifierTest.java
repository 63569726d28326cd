package dev.lenet.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lenet.api.image.ImageReader;
import dev.lenet.api.image.TestImages;
import dev.lenet.api.spec.Shape;
import dev.lenet.api.train.Prediction;
import dev.lenet.tf.TfModel;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transformer in local[2] on the 10,000 Fashion-MNIST test images as PNG files: the same
 * predictions as {@code TfModel.predict} on the same files, error rows for bad files, one model
 * load per JVM, and a pipeline that saves and loads.
 */
class LenetClassifierTest {

  @TempDir static Path dir;
  static SparkFixture fixture;

  @BeforeAll
  static void setUp() throws IOException {
    fixture = SparkFixture.create(dir);
  }

  @AfterAll
  static void tearDown() {
    if (fixture != null) {
      fixture.close();
    }
  }

  private LenetClassifier classifier() {
    return new LenetClassifier().setModelPath(fixture.model.toString());
  }

  private Dataset<Row> files() {
    return fixture.spark.read().format("binaryFile").load(fixture.images.toString());
  }

  @Test
  void everyFileGetsExactlyWhatTfModelPredictGivesAndBadFilesGetErrorRows() {
    Dataset<Row> files = files().withColumn("partition", functions.spark_partition_id());
    int partitions = files.rdd().getNumPartitions();
    assertThat(partitions).as("partitions").isGreaterThanOrEqualTo(20);
    List<Row> rows =
        classifier()
            .setProbabilitiesCol("probabilities")
            .transform(files)
            .select(
                "path",
                "prediction",
                "className",
                "probability",
                "probabilities",
                "error",
                "partition")
            .collectAsList();
    assertThat(rows).hasSize(10_000 + SparkFixture.BAD_FILES);

    // Every task shared one model: a per-task or per-partition loader would load dozens of times.
    assertThat(ModelCache.loads(fixture.model.toString())).isEqualTo(1);

    Map<String, String> errors = new HashMap<>();
    for (Row row : rows) {
      if (!row.isNullAt(5)) {
        errors.put(fileName(row.getString(0)), row.getString(5));
        assertThat(row.isNullAt(1) && row.isNullAt(2) && row.isNullAt(3) && row.isNullAt(4))
            .as("nulls in the error row of %s", row.getString(0))
            .isTrue();
      }
    }
    assertThat(errors.keySet())
        .containsExactlyInAnyOrder("truncated.png", "notes.txt", "garbage.jpg");
    errors.forEach((file, message) -> assertThat(message).contains(file));

    try (TfModel model = TfModel.load(fixture.model)) {
      ImageReader reader = ImageReader.standard();
      List<float[]> inputs = new ArrayList<>();
      List<Integer> partitionOf = new ArrayList<>();
      for (Row row : rows) {
        Path file = Path.of(URI.create(row.getString(0)));
        inputs.add(row.isNullAt(5) ? reader.read(file, model.spec().input()) : null);
        partitionOf.add(row.getInt(6));
      }
      List<Prediction> expected =
          SparkBatches.predict(model, inputs, partitionOf, LenetClassifier.DEFAULT_BATCH_SIZE);
      int correct = 0;
      for (int i = 0; i < rows.size(); i++) {
        Row row = rows.get(i);
        Prediction p = expected.get(i);
        if (p == null) {
          continue;
        }
        String name = fileName(row.getString(0));
        assertThat(row.getInt(1)).as(name).isEqualTo(p.predictedClass());
        assertThat(row.getString(2)).as(name).isEqualTo(model.classNames().get(p.predictedClass()));
        assertThat(Float.floatToRawIntBits(row.getFloat(3)))
            .as(name)
            .isEqualTo(Float.floatToRawIntBits(p.probabilities().get(p.predictedClass())));
        assertThat(row.<Float>getList(4)).as(name).isEqualTo(p.probabilities());
        int label = name.charAt(6) - '0';
        if (row.getInt(1) == label) {
          correct++;
        }
      }
      // Labels are in the file names: the accuracy is the one evaluate reports for the same model.
      assertThat(correct / 10_000.0).isEqualTo(model.evaluate(fixture.data.test()).accuracy());
    }
  }

  @Test
  void floatArraysInTheModelsShapeAreClassifiedAndWrongSizesGetErrors() {
    List<Row> input = new ArrayList<>();
    byte[] pixels = new byte[784];
    for (int i = 0; i < 500; i++) {
      fixture.data.test().pixelBuffer().get(i * 784, pixels);
      List<Float> floats = new ArrayList<>(784);
      for (int k = 0; k < 784; k++) {
        floats.add((pixels[k] & 0xFF) / 255f);
      }
      input.add(RowFactory.create("image " + i, floats));
    }
    input.add(RowFactory.create("short", List.of(0.5f, 0.5f)));
    StructType schema =
        new StructType()
            .add("path", DataTypes.StringType)
            .add("pixels", DataTypes.createArrayType(DataTypes.FloatType));
    Dataset<Row> df =
        fixture
            .spark
            .createDataFrame(input, schema)
            .repartition(10)
            .withColumn("partition", functions.spark_partition_id());
    List<Row> rows =
        classifier()
            .setInputCol("pixels")
            .setBatchSize(7)
            .transform(df)
            .select("path", "prediction", "probability", "error", "pixels", "partition")
            .collectAsList();
    assertThat(rows).hasSize(501);
    try (TfModel model = TfModel.load(fixture.model)) {
      List<float[]> inputs = new ArrayList<>();
      List<Integer> partitionOf = new ArrayList<>();
      for (Row row : rows) {
        List<Float> values = row.getList(4);
        float[] floats = new float[values.size()];
        for (int k = 0; k < floats.length; k++) {
          floats[k] = values.get(k);
        }
        inputs.add(row.getString(0).equals("short") ? null : floats);
        partitionOf.add(row.getInt(5));
      }
      List<Prediction> expected = SparkBatches.predict(model, inputs, partitionOf, 7);
      for (int i = 0; i < rows.size(); i++) {
        Row row = rows.get(i);
        String name = row.getString(0);
        if (name.equals("short")) {
          assertThat(row.isNullAt(1)).isTrue();
          assertThat(row.getString(3))
              .isEqualTo("short: expected 784 floats for the model's input 1x28x28, found 2");
        } else {
          Prediction p = expected.get(i);
          assertThat(row.isNullAt(3)).as(name).isTrue();
          assertThat(row.getInt(1)).as(name).isEqualTo(p.predictedClass());
          assertThat(Float.floatToRawIntBits(row.getFloat(2)))
              .as(name)
              .isEqualTo(Float.floatToRawIntBits(p.probabilities().get(p.predictedClass())));
        }
      }
    }
    assertThat(ModelCache.loads(fixture.model.toString())).isEqualTo(1);
  }

  @Test
  void aPipelineWithTheClassifierSavesLoadsAndGivesTheSameRows() throws IOException {
    Dataset<Row> some = files().filter("path LIKE '%/00%' OR path LIKE '%notes.txt'");
    LenetClassifier classifier = classifier().setBatchSize(50).setClassNameCol("label_name");
    PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {classifier}).fit(some);
    String saved = dir.resolve("pipeline").toString();
    fitted.write().overwrite().save(saved);
    PipelineModel loaded = PipelineModel.load(saved);

    LenetClassifier stage = (LenetClassifier) loaded.stages()[0];
    assertThat(stage.uid()).isEqualTo(classifier.uid());
    assertThat(stage.getOrDefault(stage.batchSize())).isEqualTo(50);
    assertThat(stage.getOrDefault(stage.modelPath())).isEqualTo(fixture.model.toString());

    String[] columns = {"prediction", "label_name", "probability", "error"};
    List<Row> before =
        fitted.transform(some).select("path", columns).orderBy("path").collectAsList();
    List<Row> after =
        loaded.transform(some).select("path", columns).orderBy("path").collectAsList();
    assertThat(before).hasSize(1001);
    assertThat(after).isEqualTo(before);
  }

  @Test
  void sparkImageSourceRowsGiveExactlyTheFloatsImageReaderGivesForTheSameFiles()
      throws IOException {
    Path colour = Files.createDirectories(dir.resolve("colour"));
    Random random = new Random(14);
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      paths.add(fixture.images.resolve(pngName(i)).toString());
    }
    // Colour, with and without alpha, in a size that the resize must average.
    for (int type : new int[] {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR}) {
      BufferedImage image = new BufferedImage(41, 33, type);
      for (int y = 0; y < 33; y++) {
        for (int x = 0; x < 41; x++) {
          image.setRGB(x, y, random.nextInt());
        }
      }
      Path file = colour.resolve("colour" + type + ".png");
      Files.write(file, TestImages.encode(image, "png"));
      paths.add(file.toString());
    }
    List<Row> rows =
        fixture.spark.read().format("image").load(paths.toArray(String[]::new)).collectAsList();
    assertThat(rows).hasSize(paths.size());
    ImageReader reader = ImageReader.standard();
    Set<Integer> channelCounts = new HashSet<>();
    for (Row row : rows) {
      Row image = row.getStruct(0);
      String origin = SparkImages.origin(image);
      channelCounts.add(image.getInt(3));
      Path file = Path.of(URI.create(origin));
      for (Shape shape : new Shape[] {Shape.image(1, 28, 28), Shape.image(3, 28, 28)}) {
        assertThat(SparkImages.input(image, shape, origin))
            .as("%s as %s", origin, shape)
            .containsExactly(reader.read(file, shape));
      }
    }
    assertThat(channelCounts).as("gray, BGR and BGRA rows").containsExactlyInAnyOrder(1, 3, 4);
  }

  @Test
  void sparkImageSourceRowsAreClassifiedAsTheirFilesAndInvalidRowsAreErrors() {
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      paths.add(fixture.images.resolve(pngName(i)).toString());
    }
    for (String bad : new String[] {"truncated.png", "notes.txt", "garbage.jpg"}) {
      paths.add(fixture.images.resolve(bad).toString());
    }
    String[] all = paths.toArray(String[]::new);
    // One image per call into the model: identical floats give identical probabilities.
    LenetClassifier classifier = classifier().setBatchSize(1);
    Dataset<Row> images = fixture.spark.read().format("image").load(all);
    List<Row> fromImages =
        classifier
            .setInputCol("image")
            .transform(images)
            .select("image.origin", "prediction", "probability", "error")
            .collectAsList();
    Map<String, Row> fromFiles = new HashMap<>();
    for (Row row :
        classifier()
            .setBatchSize(1)
            .transform(fixture.spark.read().format("binaryFile").load(all))
            .select("path", "prediction", "probability", "error")
            .collectAsList()) {
      fromFiles.put(fileName(row.getString(0)), row);
    }
    assertThat(fromImages).hasSize(203);
    List<String> errors = new ArrayList<>();
    for (Row row : fromImages) {
      String name = fileName(row.getString(0));
      if (!row.isNullAt(3)) {
        errors.add(name);
        assertThat(row.getString(3))
            .isEqualTo(
                row.getString(0)
                    + ": Spark's image source could not decode this file (an invalid image row)");
        assertThat(row.isNullAt(1) && row.isNullAt(2)).as(name).isTrue();
        continue;
      }
      Row file = fromFiles.get(name);
      assertThat(row.getInt(1)).as(name).isEqualTo(file.getInt(1));
      assertThat(Float.floatToRawIntBits(row.getFloat(2)))
          .as(name)
          .isEqualTo(Float.floatToRawIntBits(file.getFloat(2)));
    }
    assertThat(errors).containsExactlyInAnyOrder("truncated.png", "notes.txt", "garbage.jpg");
  }

  private String pngName(int i) {
    return String.format(Locale.ROOT, "%05d_%d.png", i, fixture.data.test().label(i));
  }

  @Test
  void topKListsTheMostProbableClassesInOrderAndErrorCountCountsTheBadRows() {
    Dataset<Row> some = files().filter("path LIKE '%/000%' OR path LIKE '%notes.txt'");
    assertThat(classifier().transform(some).columns()).doesNotContain("topK");
    List<Row> rows =
        classifier()
            .setTopK(3)
            .setProbabilitiesCol("probabilities")
            .transform(some)
            .select("path", "prediction", "probabilities", "topK", "error")
            .collectAsList();
    assertThat(rows).hasSize(101);
    LenetClassifier counting = classifier().setErrorCol("why");
    Dataset<Row> withBad =
        files().filter("path LIKE '%/000%' OR path NOT LIKE '%.png' OR path LIKE '%truncated%'");
    Dataset<Row> out = counting.transform(withBad).cache();
    assertThat(counting.errorCount(out)).isEqualTo(SparkFixture.BAD_FILES);
    assertThat(out.count()).isEqualTo(100 + SparkFixture.BAD_FILES);
    out.unpersist();
    assertThat(counting.errorCount(counting.transform(some))).isEqualTo(1);
    assertThatThrownBy(() -> counting.errorCount(some))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("error column why is not in the data");
    List<String> names;
    try (TfModel model = TfModel.load(fixture.model)) {
      names = model.classNames();
    }
    for (Row row : rows) {
      String name = fileName(row.getString(0));
      if (!row.isNullAt(4)) {
        assertThat(name).isEqualTo("notes.txt");
        assertThat(row.isNullAt(3)).isTrue();
        continue;
      }
      List<Float> probabilities = row.getList(2);
      List<Integer> expected = new ArrayList<>();
      for (int c = 0; c < probabilities.size(); c++) {
        expected.add(c);
      }
      expected.sort(
          Comparator.comparing((Integer c) -> probabilities.get(c))
              .reversed()
              .thenComparing(c -> c));
      List<Row> top = row.getList(3);
      assertThat(top).as(name).hasSize(3);
      for (int i = 0; i < 3; i++) {
        int c = expected.get(i);
        assertThat(top.get(i))
            .as(name)
            .isEqualTo(RowFactory.create(c, names.get(c), probabilities.get(c)));
      }
      assertThat(top.get(0).getInt(0)).as(name).isEqualTo(row.getInt(1));
    }
    // More than the model's classes: all of them, one each.
    Row first = classifier().setTopK(25).setTopKCol("best").transform(some).select("best").first();
    assertThat(first.<Row>getList(0).stream().map(r -> r.getString(1)))
        .containsExactlyInAnyOrderElementsOf(names);
    assertThatThrownBy(() -> classifier().setTopK(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("topK must be at least 0, found -1");
  }

  @Test
  void aMissingOrWrongInputColumnIsNamed() {
    Dataset<Row> files = files();
    assertThatThrownBy(() -> classifier().setInputCol("image").transform(files))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("input column image is not in the data");
    assertThatThrownBy(() -> classifier().setInputCol("length").transform(files))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "input column length must hold encoded images (binary), arrays of float or images of"
                + " Spark's image source (struct of origin, height, width, nChannels, mode, data),"
                + " found bigint");
    assertThatThrownBy(() -> classifier().setErrorCol("path").transform(files))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("output column path already exists; choose another name");
  }

  private static String fileName(String uri) {
    return uri.substring(uri.lastIndexOf('/') + 1);
  }
}
