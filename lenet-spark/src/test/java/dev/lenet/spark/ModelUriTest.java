package dev.lenet.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lenet.api.train.ModelFormatException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model path given as a URI: copied through Hadoop's {@code FileSystem} once per JVM, classifying
 * as the local path does; a URI that cannot be read fails with a message naming it.
 */
class ModelUriTest extends SharedSparkTest {

  @TempDir static Path dir;

  @Test
  void aPathWithASchemeIsAUriAsSparkReadsPaths() {
    assertThat(ModelCopy.uri("/models/fashion")).isEmpty();
    assertThat(ModelCopy.uri("runs/lr=0.1/model")).isEmpty();
    assertThat(ModelCopy.uri("hdfs://nn/models/fashion").orElseThrow().getScheme())
        .isEqualTo("hdfs");
    URI spaced = ModelCopy.uri("file:/my models/fashion").orElseThrow();
    assertThat(spaced.getScheme()).isEqualTo("file");
    assertThat(spaced.getPath()).isEqualTo("/my models/fashion");
  }

  @Test
  void aFileUriIsCopiedOncePerJvmAndClassifiesAsTheLocalPath() {
    String uri = fixture.model.toUri().toString();
    assertThat(uri).startsWith("file:");
    Dataset<Row> some = floatRows(300).repartition(12).cache();
    assertThat(some.rdd().getNumPartitions()).isEqualTo(12);
    String[] columns = {"prediction", "className", "probability", "error"};
    List<Row> local =
        fixture
            .classifier()
            .setInputCol("pixels")
            .setBatchSize(16)
            .transform(some)
            .select("path", columns)
            .orderBy("path")
            .collectAsList();
    LenetClassifier byUri =
        fixture.classifier().setModelPath(uri).setInputCol("pixels").setBatchSize(16);
    List<Row> fromUri =
        byUri.transform(some).select("path", columns).orderBy("path").collectAsList();
    some.unpersist();

    assertThat(fromUri).hasSize(300).isEqualTo(local);
    assertThat(fromUri).allSatisfy(row -> assertThat(row.isNullAt(4)).isTrue());
    // 12 tasks: one copy and one load in this JVM.
    assertThat(ModelCache.copies(uri)).isEqualTo(1);
    assertThat(ModelCache.loads(uri)).isEqualTo(1);
    assertThat(ModelCache.copies(fixture.model.toString())).isZero();
  }

  @Test
  void aMissingUriFailsTheJobWithAMessageNamingIt() {
    String missing = dir.resolve("no-such-model").toUri().toString();
    assertThatThrownBy(() -> ModelCache.get(missing))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageStartingWith(
            "model directory "
                + missing
                + " could not be read through Hadoop's FileSystem (java.io.FileNotFoundException:")
        .hasMessageEndingWith(
            "check that it names a directory a lenet model was saved in and that every executor"
                + " can read it: the file system's jar on the classpath, its settings in"
                + " core-site.xml or spark.hadoop.* entries");
    assertThat(ModelCache.copies(missing)).isZero();

    // In a job: the job fails (not an error row per image) and says why.
    Dataset<Row> some = floatRows(10);
    assertThatThrownBy(
            () ->
                fixture
                    .classifier()
                    .setModelPath(missing)
                    .setInputCol("pixels")
                    .transform(some)
                    .collectAsList())
        .isInstanceOf(SparkException.class)
        .hasMessageContaining(
            ModelFormatException.class.getName() + ": model directory " + missing);
  }

  @Test
  void aUriThatIsNotAModelDirectoryIsNamed() throws IOException {
    String unknown = "nosuchfs://host/models/fashion";
    assertThatThrownBy(() -> ModelCache.get(unknown))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageStartingWith("model directory " + unknown + " could not be read")
        .hasMessageContaining("No FileSystem for scheme \"nosuchfs\"");

    String file = fixture.model.resolve("spec.json").toUri().toString();
    assertThatThrownBy(() -> ModelCache.get(file))
        .isInstanceOf(ModelFormatException.class)
        .hasMessage(
            "model directory "
                + file
                + " is a file; set the model path to the directory a lenet model was saved in");

    String empty = Files.createDirectories(dir.resolve("empty")).toUri().toString();
    assertThatThrownBy(() -> ModelCache.get(empty))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageStartingWith("model directory " + empty + " (copied to ")
        .hasMessageContaining("lenet-model-");
    assertThat(ModelCache.loads(empty)).isZero();
  }

  @Test
  void theHadoopConfigurationTakesTheSparkHadoopEntries() {
    SparkConf conf = SparkEnv.get().conf();
    conf.set("spark.hadoop.lenet.test.entry", "from-spark");
    try {
      assertThat(ModelCopy.hadoopConfiguration().get("lenet.test.entry")).isEqualTo("from-spark");
    } finally {
      conf.remove("spark.hadoop.lenet.test.entry");
    }
    assertThat(ModelCopy.hadoopConfiguration().get("lenet.test.entry")).isNull();
  }

  /** The first {@code n} test images as float arrays named "image I" in a path column. */
  private static Dataset<Row> floatRows(int n) {
    List<Row> rows = new ArrayList<>(n);
    byte[] pixels = new byte[784];
    for (int i = 0; i < n; i++) {
      fixture.data.test().pixelBuffer().get(i * 784, pixels);
      List<Float> floats = new ArrayList<>(784);
      for (int k = 0; k < 784; k++) {
        floats.add((pixels[k] & 0xFF) / 255f);
      }
      rows.add(RowFactory.create(String.format(Locale.ROOT, "image %03d", i), floats));
    }
    StructType schema =
        new StructType()
            .add("path", DataTypes.StringType)
            .add("pixels", DataTypes.createArrayType(DataTypes.FloatType));
    return fixture.spark.createDataFrame(rows, schema);
  }
}
