package dev.lenet.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lenet.api.image.ImageReader;
import dev.lenet.api.train.Prediction;
import dev.lenet.tf.TfModel;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;

/**
 * The transformer in local[2] on {@code binaryFile} rows of the 10,000 Fashion-MNIST test images as
 * PNG files: the same predictions as {@code TfModel.predict} on the same files and {@code
 * evaluate}'s accuracy, error rows for bad files, one model load per JVM, and the input and output
 * column checks.
 */
class EncodedFilesTest extends SharedSparkTest {

  @Test
  void everyFileGetsExactlyWhatTfModelPredictGivesAndBadFilesGetErrorRows() {
    Dataset<Row> files = fixture.files().withColumn("partition", functions.spark_partition_id());
    int partitions = files.rdd().getNumPartitions();
    assertThat(partitions).as("partitions").isGreaterThanOrEqualTo(20);
    List<Row> rows =
        fixture
            .classifier()
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
        errors.put(SparkFixture.fileName(row.getString(0)), row.getString(5));
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
        String name = SparkFixture.fileName(row.getString(0));
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
  void aMissingOrWrongInputColumnIsNamed() {
    Dataset<Row> files = fixture.files();
    assertThatThrownBy(() -> fixture.classifier().setInputCol("image").transform(files))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("input column image is not in the data");
    assertThatThrownBy(() -> fixture.classifier().setInputCol("length").transform(files))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "input column length must hold encoded images (binary), arrays of float or images of"
                + " Spark's image source (struct of origin, height, width, nChannels, mode, data),"
                + " found bigint");
    assertThatThrownBy(() -> fixture.classifier().setErrorCol("path").transform(files))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("output column path already exists; choose another name");
  }
}
